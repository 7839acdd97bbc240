using System.Diagnostics;
using System.Globalization;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// The built <c>envoylens</c> of this configuration as a separate process, run by the same <c>dotnet</c> as the tests:
/// for what only a real process shows (signals, a terminal on stderr, what is left on disk).
/// </summary>
internal static class CliProcess
{
    /// <summary>The built tool's entry assembly.</summary>
    public static string Dll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            return Path.Combine(TestPaths.RepoRoot, "src", "EnvoyLens.Cli", "bin", configuration, "net10.0", "envoylens.dll");
        }
    }

    /// <summary>The <c>dotnet</c> host that runs the tests.</summary>
    public static string Host => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>Starts the tool with stdout and stderr redirected.</summary>
    public static Process Start(params string[] args) => StartWithTemp(null, args);

    /// <summary>
    /// As <see cref="Start(string[])"/>, with the process's temporary folder (<c>TMPDIR</c>) at <paramref name="temp"/>
    /// when given. Through env(1) with SIGINT and SIGTERM reset to their defaults: a test run started in the background
    /// by a non-interactive shell inherits SIGINT as ignored, and a signal ignored at exec stays ignored in the child,
    /// whatever handler the tool registers. (env execs the tool, so the process id is the tool's.)
    /// </summary>
    public static Process StartWithTemp(string? temp, params string[] args)
    {
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (temp is not null)
        {
            start.Environment["TMPDIR"] = temp;
        }

        start.ArgumentList.Add("--default-signal=INT,TERM");
        start.ArgumentList.Add(Host);
        start.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        return Process.Start(start)!;
    }

    /// <summary>Sends <paramref name="signal"/> (<c>INT</c>, <c>TERM</c>, <c>KILL</c>) to <paramref name="process"/> with kill(1).</summary>
    public static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="limit"/> (a bound, not a measurement).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, $"gave up waiting for {what} after {limit.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
            await Task.Delay(50);
        }
    }
}
