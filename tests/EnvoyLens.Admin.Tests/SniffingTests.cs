using System.Text;
using EnvoyLens.Core;
using EnvoyLens.TestKit;

namespace EnvoyLens.Admin.Tests;

public sealed class SniffingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, AdminEndpoint> CorpusFiles()
    {
        var data = new TheoryData<string, AdminEndpoint>
        {
            { "clusters/consul-dataplane-clusters.json", AdminEndpoint.Clusters },
            { "server_info/datadog-envoy-1.14.1-server_info.json", AdminEndpoint.ServerInfo },
            { "stats/beats-envoyproxy-serverstats.txt", AdminEndpoint.Stats },
            { "stats/netdata-envoy-prometheus.txt", AdminEndpoint.StatsPrometheus },
            // linkerd2-proxy /metrics is Prometheus text too, told from Envoy's by its metric families.
            { "stats/linkerd-proxy-diagnostics-metrics.txt", AdminEndpoint.LinkerdMetrics },
            { "golden/istio-proxyconfig-ecds/configdump.json", AdminEndpoint.ConfigDump },
            { "golden/istio-proxyconfig-routes/empty-gateway/configdump.json", AdminEndpoint.ConfigDump },
            { "golden/istio-proxyconfig-routes/istio-gateway-http-route-prefix/configdump.json", AdminEndpoint.ConfigDump },
            { "golden/istio-proxyconfig-routes/k8s-gateway-http-route-path-prefix/configdump.json", AdminEndpoint.ConfigDump },
        };
        foreach (var name in new[]
                 {
                     "consul-troubleshoot-upstreams-configdump.json", "envoy-gateway-egctl-translate.all.json",
                     "istio-1.5-envoy-1.13-configdump.json", "istio-2018-v2-mapform-configdump.json",
                     "istio-2020-v2-camelcase-configdump.json", "istio-2023-secrets-only.json",
                     "istio-compare-sidecar-configdump-diff.json", "istio-compare-sidecar-configdump.json",
                     "istio-describe-http-config.json", "istio-describe-tls-routes.json", "kuma-dataplane-no-hds.json",
                 })
        {
            data.Add("config_dump/" + name, AdminEndpoint.ConfigDump);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(CorpusFiles))]
    public void Given_a_corpus_file_When_opened_alone_Then_its_endpoint_is_sniffed(string file, AdminEndpoint expected)
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var path = TestPaths.CorpusFile(file.Split('/'));

        var snapshot = SnapshotSources.Open(path);

        var doc = Assert.Single(snapshot.Documents);
        Assert.Equal(expected, doc.Endpoint);
        Assert.Equal(path, doc.Source);
        Assert.Equal(File.ReadAllBytes(path), doc.Content);
        Assert.Null(snapshot.CapturedAt);
    }

    [SkippableFact]
    public void Given_the_corpus_manifest_listing_every_file_When_compared_Then_the_sniffing_table_covers_all_admin_outputs()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var listed = File.ReadAllLines(TestPaths.CorpusFile("MANIFEST.tsv")).Skip(1)
            .Select(l => l.Split('\t')[0])
            .Where(p => !p.StartsWith("certs/", StringComparison.Ordinal) && (p.EndsWith(".json", StringComparison.Ordinal) || p.EndsWith(".txt", StringComparison.Ordinal)))
            .Where(p => !p.StartsWith("golden/", StringComparison.Ordinal) || p.EndsWith("/configdump.json", StringComparison.Ordinal))
            .ToHashSet();

        var covered = CorpusFiles().Select(row => (string)row[0]).ToHashSet();

        var missing = listed.Except(covered).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "corpus files without a sniffing expectation: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("configs:\n- '@type': type.googleapis.com/envoy.admin.v3.ClustersConfigDump\n", AdminEndpoint.ConfigDump)]
    [InlineData("default:\n  eg-pod:\n    configs:\n    - {}\n", AdminEndpoint.ConfigDump)]
    [InlineData("{\"ns\": {\"pod\": {\"configs\": []}}}", AdminEndpoint.ConfigDump)]
    [InlineData("{\"certificates\": []}", AdminEndpoint.Certs)]
    [InlineData("{\"listener_statuses\": []}", AdminEndpoint.Listeners)]
    [InlineData("{\"unready_targets_dumps\": []}", AdminEndpoint.InitDump)]
    [InlineData("{\"stats\": [{\"name\": \"a\", \"value\": 1}]}", AdminEndpoint.Stats)]
    [InlineData("{\"state\": \"LIVE\", \"version\": \"x\", \"node\": {\"id\": \"a\"}}", AdminEndpoint.ServerInfo)]
    [InlineData("envoy 267724/RELEASE live 1571 1571 0\n", AdminEndpoint.ServerInfo)]
    [InlineData("outbound|80||a.b::10.0.0.1:80::cx_active::0\n", AdminEndpoint.Clusters)]
    [InlineData("envoy_server_live{} 1\n", AdminEndpoint.StatsPrometheus)]
    [InlineData("cluster.outbound|80||a.b.upstream_cx_total: 4\n", AdminEndpoint.Stats)]
    [InlineData("LIVE\n", AdminEndpoint.Ready)]
    [InlineData("ready\n", AdminEndpoint.Ready)]
    [InlineData("live\n", AdminEndpoint.Live)]
    [InlineData("# HELP request_total Total count of HTTP requests.\n# TYPE request_total counter\nrequest_total{direction=\"inbound\",target_addr=\"10.0.0.1:80\"} 3\n", AdminEndpoint.LinkerdMetrics)]
    [InlineData("proxy_build_info{version=\"2.16.1\"} 1\n", AdminEndpoint.LinkerdMetrics)]
    [InlineData("identity_cert_refresh_count 1\n", AdminEndpoint.LinkerdMetrics)]
    [InlineData("# TYPE envoy_cluster_upstream_rq counter\nenvoy_cluster_upstream_rq{cluster_name=\"a\"} 1\nrequest_total{direction=\"inbound\"} 3\n", AdminEndpoint.StatsPrometheus)]
    [InlineData("# TYPE process_open_fds gauge\nprocess_open_fds 3\n", AdminEndpoint.StatsPrometheus)]
    [InlineData("{\"layers\": [], \"entries\": {}}", AdminEndpoint.Runtime)]
    [InlineData("{\"allocated\": \"1\", \"heap_size\": \"2\"}", AdminEndpoint.Memory)]
    [InlineData("{\"something\": \"else\"}", AdminEndpoint.ConfigDump)]
    [InlineData("", AdminEndpoint.ConfigDump)]
    public void Given_authored_content_When_sniffed_Then_the_endpoint_is_recognised(string content, AdminEndpoint expected)
    {
        Assert.Equal(expected, DocumentSniffer.Sniff(Encoding.UTF8.GetBytes(content)));
    }

    [Fact]
    public void Given_a_large_dump_whose_configs_come_first_When_sniffed_Then_only_a_prefix_is_needed()
    {
        var sb = new StringBuilder("{\"configs\": [");
        for (var i = 0; i < 200_000; i++)
        {
            sb.Append("{\"@type\": \"t\", \"n\": ").Append(i).Append("},");
        }

        sb.Append("{}]}");

        Assert.Equal(AdminEndpoint.ConfigDump, DocumentSniffer.Sniff(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    [Fact]
    public void Given_a_single_file_When_opened_Then_the_snapshot_holds_exactly_its_bytes()
    {
        var path = _temp.File("my dump.json");
        File.WriteAllText(path, "{\"configs\": []}");

        var snapshot = SnapshotSources.Open(path);

        Assert.Equal(path, snapshot.Origin);
        Assert.Equal(AdminEndpoint.ConfigDump, Assert.Single(snapshot.Documents).Endpoint);
    }

    // Found by the protojson fuzz target: a top-level name that is not UTF-8 (here byte 0xB8) threw
    // InvalidOperationException out of the sniffer, before decoding could name the byte.
    [Fact]
    public void Given_a_top_level_name_that_is_not_utf8_When_sniffed_Then_the_other_names_still_decide()
    {
        byte[] content = [.. "{\"con"u8, 0xB8, .. "igs\": 1, \"cluster_statuses\": []}"u8];

        Assert.Equal(AdminEndpoint.Clusters, DocumentSniffer.Recognize(content));
    }

    [Fact]
    public void Given_a_top_level_name_with_an_escaped_lone_surrogate_When_sniffed_Then_the_other_names_still_decide()
    {
        var content = "{\"\\ud800\": 1, \"certificates\": []}"u8.ToArray();

        Assert.Equal(AdminEndpoint.Certs, DocumentSniffer.Recognize(content));
    }

    [Fact]
    public void Given_a_file_whose_only_name_is_not_utf8_When_opened_Then_it_is_read_as_a_config_dump_for_decoding_to_judge()
    {
        var path = _temp.File("broken.json");
        File.WriteAllBytes(path, [.. "{\"con"u8, 0xB8, .. "igs\": []}"u8]);

        var snapshot = SnapshotSources.Open(path);

        Assert.Equal(AdminEndpoint.ConfigDump, Assert.Single(snapshot.Documents).Endpoint);
    }
}
