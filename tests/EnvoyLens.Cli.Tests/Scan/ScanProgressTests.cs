using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EnvoyLens.Cli.Tests.Scan;

/// <summary>
/// The progress line of <c>envoylens scan</c>, drawn on stderr only when stderr is a terminal: the real CLI process runs
/// under script(1), which gives it a pseudo-terminal, with stdin and stdout redirected, so that everything the terminal
/// shows is stderr. Namespace <c>payments</c> of the test fleet has five pods with a proxy, three of which cannot be
/// read (no sidecar, port-forward forbidden, port-forward hanging past <c>--timeout-per-pod</c>).
/// </summary>
public sealed partial class ScanProgressTests : IAsyncLifetime
{
    private ScanFleet _fleet = null!;

    public async Task InitializeAsync() => _fleet = await ScanFleet.StartAsync(healthy: 0);

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task Given_stderr_on_a_terminal_When_a_namespace_is_scanned_Then_a_progress_line_counts_pods_and_failures_and_is_cleared_at_the_end()
    {
        var stdoutFile = _fleet.Path("stdout.txt");
        string[] scan =
        [
            CliProcess.Host, CliProcess.Dll, "scan", "-n", "payments", "--kubeconfig", _fleet.Kubeconfig, "--at", ScanFleet.At,
            "--concurrency", "2", "--timeout-per-pod", "5s", "--qps", "0",
        ];
        // Only stderr on the terminal: with stdin on it too, the runtime would switch the terminal's keypad mode.
        var command = string.Join(' ', scan.Select(Quote)) + " < /dev/null > " + Quote(stdoutFile);
        var start = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["--quiet", "--flush", "--return", "--command", command, "/dev/null"])
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var terminal = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var shown = await terminal;
        Assert.Equal(string.Empty, await errors);

        // --return: script exits with the scan's code; 1 for the pods that could not be read.
        Assert.Equal(1, process.ExitCode);
        var frames = Frame().Matches(shown);
        Assert.Equal(5, frames.Count);
        Assert.Equal([1, 2, 3, 4, 5], frames.Select(m => Number(m, "done")));
        Assert.All(frames, m => Assert.Equal(5, Number(m, "total")));
        var failed = frames.Select(m => Number(m, "failed")).ToList();
        Assert.Equal(failed.Order(), failed);
        Assert.Equal(3, failed[^1]);
        var elapsed = frames.Select(m => double.Parse(m.Groups["elapsed"].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(elapsed.Order(), elapsed);

        // The line is cleared once the scan is done, and nothing but the line was drawn: the rows went to stdout.
        Assert.Equal("\r\u001b[K", shown[(frames[^1].Index + frames[^1].Length)..]);
        Assert.Equal(string.Empty, Frame().Replace(shown[..(frames[^1].Index + frames[^1].Length)], string.Empty));
        var table = await File.ReadAllTextAsync(stdoutFile);
        Assert.StartsWith("POD ", table, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", table, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", table, StringComparison.Ordinal);
        Assert.Contains("\n5 pods with a proxy: 2 read, 3 could not be read;", table, StringComparison.Ordinal);
    }

    /// <summary>One drawing of the line: back to the start of the line, the counts, then erase to the end of the line.</summary>
    [GeneratedRegex(@"\rscan: (?<done>\d+)/(?<total>\d+) pods, (?<failed>\d+) failed, (?<elapsed>\d+\.\d) s\u001b\[K")]
    private static partial Regex Frame();

    private static int Number(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    /// <summary>A word for sh -c, in single quotes.</summary>
    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
