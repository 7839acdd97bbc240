using System.Diagnostics;
using System.Text;
using EnvoyLens.TestKit.Live;
using Microsoft.AspNetCore.Http;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// Ctrl-C during <c>envoylens snapshot</c>: the real CLI process, started against a fake admin server on 127.0.0.1
/// whose <c>/config_dump</c> stalls half way, receives SIGINT (or SIGTERM) and leaves no staging folder behind; while
/// the folder exists it is private (mode 0700) and holds nothing of the stalled, secret-bearing response.
/// </summary>
public sealed class SnapshotInterruptTests : IAsyncLifetime
{
    private const string Secret = "s3cret-interrupted-capture";
    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-interrupt-").FullName;
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FakeAdminServer _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = await FakeAdminServer.StartAsync();
        _admin.Routes["/config_dump"] = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(
                "{\"configs\":[{\"@type\":\"type.googleapis.com/envoy.admin.v3.SecretsConfigDump\",\"static_secrets\":[{\"secret\":{\"tls_certificate\":{\"private_key\":{\"inline_string\":\"" +
                Secret + "\"}}}}" + new string(' ', 70_000)));
            await context.Response.Body.FlushAsync();
            _stalled.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client went away, as it should.
            }
        };
    }

    public async Task DisposeAsync()
    {
        await _admin.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [SkippableTheory]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Given_a_stalled_capture_When_the_process_gets_a_signal_Then_no_staging_folder_is_left_and_it_exits_130(string signal)
    {
        Skip.If(OperatingSystem.IsWindows(), "POSIX signals are sent with kill(1).");
        var output = Path.Combine(_dir, "bundle.tar.gz");
        using var process = CliProcess.Start("snapshot", "--admin", _admin.BaseAddress.GetLeftPart(UriPartial.Authority), "-o", output, "--timeout", "300s");
        var stderr = process.StandardError.ReadToEndAsync();
        await _stalled.Task.WaitAsync(TimeSpan.FromMinutes(2));

        var staging = Assert.Single(Directory.GetDirectories(_dir));
        Assert.StartsWith(".bundle.tar.gz.", Path.GetFileName(staging), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(staging));
        Assert.DoesNotContain(Directory.GetFiles(staging), f => File.ReadAllText(f).Contains(Secret, StringComparison.Ordinal));

        using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(130, process.ExitCode);
        Assert.Contains("interrupted; the partial capture was deleted", await stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Given_a_stalled_live_read_When_the_process_is_killed_Then_no_temporary_file_holds_the_secret()
    {
        Skip.If(OperatingSystem.IsWindows(), "POSIX signals are sent with kill(1).");
        var temp = Directory.CreateDirectory(Path.Combine(_dir, "tmp")).FullName;
        using var process = CliProcess.StartWithTemp(temp, "config", "secrets", "--admin", _admin.BaseAddress.GetLeftPart(UriPartial.Authority), "--timeout", "300s");
        await _stalled.Task.WaitAsync(TimeSpan.FromMinutes(2));

        // SIGKILL: no handler, no finally; whatever the read put on disk stays there.
        using (var kill = Process.Start("kill", ["-KILL", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        // The runtime's own debug pipes and diagnostics socket live there too: they have no size and are never opened
        // (opening a FIFO blocks); any file that could hold a body has one.
        var left = Directory.GetFiles(temp, "*", SearchOption.AllDirectories).Where(f => new FileInfo(f).Length > 0).ToList();
        Assert.DoesNotContain(left, f => File.ReadAllText(f).Contains(Secret, StringComparison.Ordinal));
        Assert.NotEmpty(Directory.GetDirectories(temp, "envoylens-live-*"));
    }
}
