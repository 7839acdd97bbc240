using System.Text.Json.Nodes;

namespace EnvoyLens.Cli.Tests.Scan;

/// <summary>A small fleet: namespace and label selection, bundles, and what the scan asks each proxy for.</summary>
public sealed class ScanOptionsTests
{
    [Fact]
    public async Task Given_a_namespace_and_a_selector_When_scanned_with_bundles_Then_only_those_pods_are_read_and_each_leaves_a_redacted_bundle_analyze_reads()
    {
        await using var fleet = await ScanFleet.StartAsync(healthy: 8);
        var bundles = fleet.Path("bundles");
        fleet.Healthy.EditConfigDump = root =>
        {
            var ads = root["configs"]![0]!["bootstrap"]!["dynamic_resources"]!["ads_config"]!["grpc_services"]![0]!.AsObject();
            ads["initial_metadata"] = new JsonArray(new JsonObject { ["key"] = "authorization", ["value"] = "Bearer very-secret-token" });
            return root;
        };
        var result = await Task.Run(() => Cli.Run(
            "scan", "-n", "bookinfo", "-l", "app=reviews-v1", "--kubeconfig", fleet.Kubeconfig, "--at", ScanFleet.At, "--qps", "5",
            "--bundles", bundles, "-o", "json", "--fail-on", "never"));
        Assert.Equal((0, string.Empty), (result.ExitCode, result.Err));
        var root = JsonNode.Parse(result.Out)!;
        Assert.Equal(("bookinfo", false, "app=reviews-v1"), ((string?)root["scope"]!["namespace"], (bool)root["scope"]!["allNamespaces"]!, (string?)root["scope"]!["selector"]));
        var pods = root["pods"]!.AsArray();
        Assert.Equal(["reviews-v1-6c8d7b9f4-k8s2m", "reviews-v1-6c8d7b9f4-odd01", "reviews-v1-6c8d7b9f4-x2x7q"], pods.Select(p => (string)p!["name"]!));
        Assert.Contains(fleet.Api.Requests, r => r.Path == "/api/v1/namespaces/bookinfo/pods" && r.Query.Contains("labelSelector=app%3Dreviews-v1", StringComparison.Ordinal));
        Assert.DoesNotContain(fleet.Api.Requests, r => r.Path == "/api/v1/pods");

        foreach (var pod in pods)
        {
            var bundle = (string)pod!["bundle"]!;
            Assert.Equal(Path.Combine(bundles, "bookinfo." + (string)pod["name"]! + ".tar.gz"), bundle);
            var analyze = Cli.RunAt(new Clock(DateTimeOffset.Parse(ScanFleet.At, System.Globalization.CultureInfo.InvariantCulture)), "analyze", "--bundle", bundle, "-o", "json", "--fail-on", "never");
            Assert.Equal(0, analyze.ExitCode);
            Assert.Equal(
                pod["findings"]!.AsArray().Select(f => (string)f!["ruleId"]! + " " + (string)f["message"]!),
                JsonNode.Parse(analyze.Out)!["findings"]!.AsArray().Select(f => (string)f!["ruleId"]! + " " + (string)f["message"]!));
        }

        // A token in the served config dump reaches the bundle only as [redacted].
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead((string)pods[0]!["bundle"]!), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var archive = reader.ReadToEnd();
        Assert.Contains("[redacted]", archive, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-token", archive, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-token", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_scan_When_it_reads_a_proxy_Then_it_asks_only_allowlisted_GETs_of_what_the_rules_read()
    {
        await using var fleet = await ScanFleet.StartAsync(healthy: 1);
        var result = await Task.Run(() => Cli.Run("scan", "-n", "team-0", "--kubeconfig", fleet.Kubeconfig, "--at", ScanFleet.At, "-o", "json"));
        Assert.Equal(string.Empty, result.Err);
        Assert.Single(JsonNode.Parse(result.Out)!["pods"]!.AsArray());
        var asked = fleet.Healthy.Requests.ToList();
        Assert.All(asked, r => Assert.Equal("GET", r.Method));
        Assert.Equal(
            ["/server_info", "/config_dump?include_eds", "/clusters?format=json", "/listeners?format=json", "/certs", "/stats?format=json&usedonly", "/init_dump"],
            asked.Select(r => r.PathAndQuery));
        Assert.All(asked, r => Assert.True(EnvoyLens.Admin.Live.AdminAllowlist.IsAllowed(r.PathAndQuery, out _)));
    }

    [Fact]
    public void Given_bad_options_When_scanned_Then_one_sentence_and_exit_2()
    {
        Assert.Equal((2, "envoylens: --concurrency 0 must be 1 or more.\n"), Run("scan", "--concurrency", "0", "--kubeconfig", "missing"));
        Assert.Equal((2, "envoylens: --in-cluster uses the pod's service account; do not give --kubeconfig or --context with it.\n"), Run("scan", "--in-cluster", "--kubeconfig", "k"));
        Assert.Equal((2, "envoylens: give -n NAMESPACE or -A (all namespaces), not both.\n"), Run("scan", "-n", "x", "-A", "--kubeconfig", "missing"));
        Assert.Equal((2, "envoylens: --shard '2' must be I/N with 0 <= I < N, e.g. 0/4.\n"), Run("scan", "--shard", "2", "--kubeconfig", "missing"));
        Assert.Equal((2, "envoylens: cannot read scan result 'nothing.json': no such file.\n"), Run("scan", "merge", "nothing.json"));
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static (int, string) Run(params string[] args)
    {
        var r = Cli.Run(args);
        return (r.ExitCode, r.Err);
    }
}
