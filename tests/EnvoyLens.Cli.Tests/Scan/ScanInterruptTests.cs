using System.Text.Json.Nodes;

namespace EnvoyLens.Cli.Tests.Scan;

/// <summary>
/// Ctrl-C (and SIGTERM) during <c>envoylens scan</c>: the real CLI process scans namespace <c>payments</c> of the test
/// fleet one pod at a time, in name order (<c>api</c>, <c>audit</c>, <c>batch</c>, <c>export</c>, <c>ledger</c>), and
/// is stuck on <c>export</c>, whose port-forward hangs far past any deadline of the test. Once the API server has seen
/// that port-forward, the three pods before it are rows; the signal must end the scan at once with those rows, a
/// sentence saying it was interrupted, and exit 130. Interrupted before the API server has answered the pod list, it
/// says that nothing was scanned.
/// </summary>
public sealed class ScanInterruptTests : IAsyncLifetime
{
    private static readonly string[] Done = ["api-5c8d7f9b4-warm1", "audit-7b6c5d4f3-deny1", "batch-6f7d8c9b5-nosc1"];
    private static readonly string[] NotDone = ["export-8c7b6a5d4-hang1", "ledger-7d9f8c6b5-exp01"];
    private ScanFleet _fleet = null!;

    public async Task InitializeAsync() => _fleet = await ScanFleet.StartAsync(healthy: 0);

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task Given_a_scan_stuck_on_a_hanging_pod_When_it_gets_SIGINT_Then_it_prints_the_rows_scanned_says_so_and_exits_130()
    {
        var (exitCode, stdout, stderr) = await InterruptAsync("INT");

        Assert.Equal(130, exitCode);
        var lines = stdout.Split('\n');
        Assert.Matches("^POD +NAMESPACE +PROXY +STATE ", lines[0]);
        Assert.Equal(Done, lines.Skip(1).TakeWhile(l => l.Length > 0).Select(l => l.Split(' ')[0]));
        Assert.Matches(@"^api-5c8d7f9b4-warm1 +payments +istio 1\.32\.3 +INITIALIZING ", lines[1]);
        Assert.Matches("^audit-7b6c5d4f3-deny1 +payments +istio 1 +forbidden ", lines[2]);
        Assert.Matches("^batch-6f7d8c9b5-nosc1 +payments +- +no sidecar ", lines[3]);
        Assert.All(NotDone, pod => Assert.DoesNotContain(pod, stdout, StringComparison.Ordinal));
        Assert.Contains(
            "\n3 pods with a proxy: 1 read, 2 could not be read; ",
            stdout,
            StringComparison.Ordinal);
        Assert.Contains(" Interrupted: 3 of 5 pods scanned.\n", stdout, StringComparison.Ordinal);
        Assert.Equal("envoylens: scan interrupted; 3 of 5 pods were scanned.\n", stderr);
    }

    [Fact]
    public async Task Given_a_scan_stuck_on_a_hanging_pod_When_it_gets_SIGTERM_Then_the_json_holds_the_rows_scanned_and_says_interrupted()
    {
        var (exitCode, stdout, stderr) = await InterruptAsync("TERM", "-o", "json");

        Assert.Equal(130, exitCode);
        var root = JsonNode.Parse(stdout)!;
        Assert.Equal(Done, root["pods"]!.AsArray().Select(p => (string)p!["name"]!));
        var summary = root["summary"]!;
        Assert.True((bool)summary["interrupted"]!);
        Assert.Equal(5, (int)summary["planned"]!);
        Assert.Equal(3, (int)summary["pods"]!);
        Assert.Equal("envoylens: scan interrupted; 3 of 5 pods were scanned.\n", stderr);
    }

    [Fact]
    public async Task Given_a_pod_list_that_never_comes_When_the_scan_gets_SIGINT_Then_it_says_nothing_was_scanned_and_exits_130()
    {
        _fleet.Api.HangPodLists = true;
        using var process = CliProcess.Start("scan", "-A", "--kubeconfig", _fleet.Kubeconfig, "--at", ScanFleet.At, "--qps", "0");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await CliProcess.WaitUntilAsync(
                () => _fleet.Api.Requests.Any(r => r.Path == "/api/v1/pods") || process.HasExited,
                TimeSpan.FromMinutes(2),
                "the scan to ask for the pod list");
            if (process.HasExited)
            {
                Assert.Fail($"the scan ended (exit {process.ExitCode}) before it asked for the pod list: {await stderr}");
            }

            await CliProcess.SignalAsync(process, "INT");

            // Far below the 2 minutes the scan gives the pod list.
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        Assert.Equal(130, process.ExitCode);
        Assert.Equal(string.Empty, await stdout);
        Assert.Equal("envoylens: scan interrupted while listing pods; nothing was scanned.\n", await stderr);
    }

    /// <summary>Starts the scan, waits until it is stuck on the hanging pod, signals it and waits (bounded) for it to end.</summary>
    private async Task<(int ExitCode, string Stdout, string Stderr)> InterruptAsync(string signal, params string[] extra)
    {
        using var process = CliProcess.Start(
        [
            "scan", "-n", "payments", "--kubeconfig", _fleet.Kubeconfig, "--at", ScanFleet.At,
            "--concurrency", "1", "--timeout-per-pod", "600s", "--qps", "0", .. extra,
        ]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await CliProcess.WaitUntilAsync(
                () => _fleet.Api.Requests.Any(r => r.Path.EndsWith("/pods/export-8c7b6a5d4-hang1/portforward", StringComparison.Ordinal)) || process.HasExited,
                TimeSpan.FromMinutes(2),
                "the scan to reach the hanging pod");
            if (process.HasExited)
            {
                Assert.Fail($"the scan ended (exit {process.ExitCode}) before it reached the hanging pod: {await stderr}");
            }

            await CliProcess.SignalAsync(process, signal);

            // Far below --timeout-per-pod: the hanging read was abandoned, not waited out.
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        var err = await stderr;
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        return (process.ExitCode, await stdout, err);
    }
}
