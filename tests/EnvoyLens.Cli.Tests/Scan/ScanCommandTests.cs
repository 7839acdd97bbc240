using System.Text.Json;
using System.Text.Json.Nodes;

namespace EnvoyLens.Cli.Tests.Scan;

/// <summary>
/// <c>envoylens scan</c> against the Kubernetes API test server and real admin servers behind real port-forwards:
/// one scan of the whole fleet (shared by the tests of this class), read as JSON, table and SARIF.
/// </summary>
public sealed class ScanCommandTests : IClassFixture<ScanCommandTests.FleetScan>
{
    private const int Concurrency = 4;
    private readonly FleetScan _scan;

    public ScanCommandTests(FleetScan scan) => _scan = scan;

    [Fact]
    public void Given_a_fleet_When_scanned_as_json_Then_every_pod_is_a_row_with_the_right_state_and_the_exit_is_1()
    {
        var json = _scan.Json;
        Assert.Equal((1, string.Empty), (json.ExitCode, json.Err));
        var root = JsonNode.Parse(json.Out)!;
        Assert.Equal("envoylens-scan/v1", (string?)root["schema"]);
        var pods = root["pods"]!.AsArray().ToDictionary(p => (string)p!["namespace"]! + "/" + (string)p["name"]!, p => p!);
        Assert.Equal(_scan.Fleet.ProxyPods.Order(StringComparer.Ordinal), pods.Keys);
        Assert.Equal(_scan.Fleet.WithoutProxy, (int)root["summary"]!["withoutProxy"]!);

        var expired = pods[ScanFleet.Expired];
        Assert.Equal("LIVE", (string?)expired["state"]);
        Assert.Contains(expired["findings"]!.AsArray(), f => (string?)f!["ruleId"] == "EL4001" && (string?)f["severity"] == "error");
        Assert.True(DateTimeOffset.Parse((string)expired["soonestCertExpiry"]!, System.Globalization.CultureInfo.InvariantCulture) < DateTimeOffset.Parse(ScanFleet.At, System.Globalization.CultureInfo.InvariantCulture));

        var warming = pods[ScanFleet.Warming];
        Assert.Equal("INITIALIZING", (string?)warming["state"]);
        Assert.Contains(warming["findings"]!.AsArray(), f => (string?)f!["ruleId"] == "EL2005");

        // The Linkerd pod: its linkerd-proxy found, read on admin port 4191, judged by the Linkerd rules only.
        var linkerd = pods[ScanFleet.Linkerd];
        Assert.Equal(("ready", "linkerd", "enterprise-2.16.1"), ((string?)linkerd["state"], (string?)linkerd["proxy"]!["kind"], (string?)linkerd["proxy"]!["version"]));
        Assert.Contains(linkerd["findings"]!.AsArray(), f => (string?)f!["ruleId"] == "EL6001" && (string?)f["severity"] == "error");
        Assert.All(linkerd["findings"]!.AsArray(), f => Assert.StartsWith("EL6", (string?)f!["ruleId"], StringComparison.Ordinal));
        Assert.Contains(_scan.Fleet.Api.Requests, r => r.Path.EndsWith("/namespaces/emojivoto/pods/web-7b8c9d6f5-lnkd1/portforward", StringComparison.Ordinal) && r.Query.Contains("ports=4191", StringComparison.Ordinal));

        Assert.Equal(("no sidecar", false), ((string?)pods[ScanFleet.NoSidecar]["state"], (bool)pods[ScanFleet.NoSidecar]["read"]!));
        Assert.Contains("has no proxy container", (string?)pods[ScanFleet.NoSidecar]["reason"], StringComparison.Ordinal);
        Assert.Equal("forbidden", (string?)pods[ScanFleet.Forbidden]["state"]);
        Assert.Contains("pods/portforward", (string?)pods[ScanFleet.Forbidden]["reason"], StringComparison.Ordinal);
        Assert.Equal("timeout", (string?)pods[ScanFleet.Hanging]["state"]);
        Assert.Equal("pod export-8c7b6a5d4-hang1.payments did not answer within 10 s (--timeout-per-pod).", (string?)pods[ScanFleet.Hanging]["reason"]);

        // A healthy replica reports exactly what analyze reports of the same capture (the fixture's seeded findings).
        var healthy = pods["team-0/svc-0-5f6d7c8b9-00000"];
        Assert.Equal(("LIVE", "istio", "1.32.3", "Deployment/svc-0"), ((string?)healthy["state"], (string?)healthy["proxy"]!["kind"], (string?)healthy["proxy"]!["version"], (string?)healthy["workload"]));
        var analyze = Cli.RunAt(new Clock(DateTimeOffset.Parse(ScanFleet.At, System.Globalization.CultureInfo.InvariantCulture)), "analyze", "--bundle", TestKit.TestPaths.Fixture("snapshots", "reviews"), "-o", "json");
        var expected = JsonNode.Parse(analyze.Out)!["findings"]!.AsArray().Select(f => (string)f!["ruleId"]! + " " + (string)f["message"]!).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, healthy["findings"]!.AsArray().Select(f => (string)f!["ruleId"]! + " " + (string)f["message"]!));
        Assert.DoesNotContain(healthy["findings"]!.AsArray(), f => (string?)f!["ruleId"] is "EL4001" or "EL2005");
    }

    [Fact]
    public void Given_a_fleet_When_scanned_Then_the_mesh_wide_findings_name_the_odd_replica_and_trust_root()
    {
        var mesh = JsonNode.Parse(_scan.Json.Out)!["mesh"]!.AsArray();
        var replica = Assert.Single(mesh, m => (string?)m!["kind"] == "replica-config")!;
        Assert.Equal("bookinfo/Deployment/reviews-v1", (string?)replica["subject"]);
        Assert.Equal([ScanFleet.OtherMesh], replica["pods"]!.AsArray().Select(p => (string)p!));
        var roots = Assert.Single(mesh, m => (string?)m!["kind"] == "trust-roots")!;
        Assert.Equal([ScanFleet.OtherMesh, ScanFleet.Expired], roots["pods"]!.AsArray().Select(p => (string)p!));

        // Rules failing on several pods come first, ranked by how many pods they fail on.
        var counts = mesh.Where(m => (string?)m!["kind"] == "rule").Select(m => m!["pods"]!.AsArray().Count).ToList();
        Assert.NotEmpty(counts);
        Assert.Equal(counts.OrderDescending(), counts);
        Assert.All(counts, c => Assert.True(c >= 2));
    }

    [Fact]
    public void Given_a_fleet_When_scanned_Then_the_api_server_never_saw_more_port_forwards_at_once_than_the_concurrency()
    {
        Assert.InRange(_scan.MaxConcurrentPortForwards, 2, Concurrency);
        Assert.True(_scan.PortForwards >= _scan.Fleet.ProxyPods.Count - 1, $"{_scan.PortForwards} port-forwards");
    }

    [Fact]
    public void Given_a_fleet_When_scanned_as_a_table_Then_each_pod_row_names_its_state_and_the_reasons_follow()
    {
        var table = _scan.Table;
        Assert.Equal((1, string.Empty), (table.ExitCode, table.Err));
        var lines = table.Out.Split('\n');
        Assert.Matches("^POD +NAMESPACE +PROXY +STATE +ERRORS +WARNINGS +SOONEST CERT EXPIRY +TOP FINDING$", lines[0]);
        Assert.Matches(@"^ledger-7d9f8c6b5-exp01 +payments +istio 1\.32\.3 +LIVE +[1-9]\d* +\d+ +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(expired\) +EL4001 ", Row(lines, "ledger-7d9f8c6b5-exp01"));
        Assert.Matches(@"^api-5c8d7f9b4-warm1 +payments +istio 1\.32\.3 +INITIALIZING +[1-9]", Row(lines, "api-5c8d7f9b4-warm1"));
        Assert.Matches(@"^batch-6f7d8c9b5-nosc1 +payments +- +no sidecar +- +- +- +-$", Row(lines, "batch-6f7d8c9b5-nosc1"));
        Assert.Matches(@"^web-7b8c9d6f5-lnkd1 +emojivoto +linkerd enterprise-2\.16\.1 +ready +1 +0 +2026-11-19T10:00:00Z \(expired\) +EL6001 ", Row(lines, "web-7b8c9d6f5-lnkd1"));
        Assert.Matches(@"^audit-7b6c5d4f3-deny1 +payments +istio 1 +forbidden +- +- +- +-$", Row(lines, "audit-7b6c5d4f3-deny1"));
        Assert.Matches(@"^export-8c7b6a5d4-hang1 +payments +istio 1 +timeout +- +-", Row(lines, "export-8c7b6a5d4-hang1"));
        Assert.Matches(@"^svc-0-5f6d7c8b9-00000 +team-0 +istio 1\.32\.3 +LIVE +1 +9 +2027-01-01T00:00:00Z +EL1005 Cluster outbound\|9080\|v2\|ratings", Row(lines, "svc-0-5f6d7c8b9-00000"));
        Assert.Contains("  payments/export-8c7b6a5d4-hang1: pod export-8c7b6a5d4-hang1.payments did not answer within 10 s (--timeout-per-pod).\n", table.Out, StringComparison.Ordinal);
        Assert.Contains("\n200 pods with a proxy: 197 read, 3 could not be read;", table.Out, StringComparison.Ordinal);
        Assert.Contains("3 pods without a proxy skipped.", table.Out, StringComparison.Ordinal);
        Assert.Contains("\nMesh-wide:\n  EL3006 (info) fails on 195 of 197 pods read.\n", table.Out, StringComparison.Ordinal);
        Assert.Contains("bookinfo/Deployment/reviews-v1: 3 replicas with 2 different configurations; bookinfo/reviews-v1-6c8d7b9f4-odd01 differs from the others.", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_fleet_When_scanned_as_sarif_Then_findings_are_results_located_at_their_pod_and_unread_pods_are_notifications()
    {
        var sarif = JsonNode.Parse(_scan.Sarif.Out)!;
        Assert.Equal("2.1.0", (string?)sarif["version"]);
        var run = sarif["runs"]![0]!;
        var results = run["results"]!.AsArray();
        Assert.Contains(results, r => (string?)r!["ruleId"] == "EL4001"
            && (string?)r["locations"]![0]!["logicalLocations"]![0]!["fullyQualifiedName"] is { } name && name.StartsWith(ScanFleet.Expired + "/", StringComparison.Ordinal));
        var ruleIds = run["tool"]!["driver"]!["rules"]!.AsArray().Select(r => (string)r!["id"]!).ToList();
        Assert.All(results, r => Assert.Equal((string?)r!["ruleId"], ruleIds[(int)r["ruleIndex"]!]));
        var notes = run["invocations"]![0]!["toolExecutionNotifications"]!.AsArray().Select(n => (string)n!["message"]!["text"]!).ToList();
        Assert.Equal(3, notes.Count(n => n.StartsWith("payments/", StringComparison.Ordinal)));
        Assert.Equal(1, _scan.Sarif.ExitCode);
    }

    [Fact]
    public void Given_fail_on_never_When_scanned_as_merge_Then_the_exit_is_0()
    {
        var file = _scan.Fleet.Path("whole.json");
        File.WriteAllText(file, _scan.Json.Out);
        Assert.Equal(0, Cli.Run("scan", "merge", file, "--fail-on", "never").ExitCode);
        Assert.Equal(1, Cli.Run("scan", "merge", file).ExitCode);
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static string Row(string[] lines, string pod) => Assert.Single(lines, l => l.StartsWith(pod + " ", StringComparison.Ordinal));

    /// <summary>The fleet, scanned once as JSON, table and SARIF.</summary>
    public sealed class FleetScan : IAsyncLifetime
    {
        internal ScanFleet Fleet { get; private set; } = null!;

        internal CliResult Json { get; private set; } = null!;

        internal CliResult Table { get; private set; } = null!;

        internal CliResult Sarif { get; private set; } = null!;

        public int MaxConcurrentPortForwards { get; private set; }

        public int PortForwards { get; private set; }

        public async Task InitializeAsync()
        {
            Fleet = await ScanFleet.StartAsync();
            string[] args = ["scan", "-A", "--kubeconfig", Fleet.Kubeconfig, "--at", ScanFleet.At, "--concurrency", Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout-per-pod", "10s", "--qps", "0"];
            Json = await Task.Run(() => Cli.Run([.. args, "-o", "json"]));
            MaxConcurrentPortForwards = Fleet.Api.MaxConcurrentPortForwards;
            PortForwards = Fleet.Api.PortForwardCount;
            Table = await Task.Run(() => Cli.Run(args));
            Sarif = await Task.Run(() => Cli.Run([.. args, "-o", "sarif"]));
        }

        public async Task DisposeAsync() => await Fleet.DisposeAsync();
    }
}
