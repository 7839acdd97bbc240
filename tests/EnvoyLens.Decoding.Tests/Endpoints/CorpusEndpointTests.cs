using EnvoyLens.Decoding.Endpoints;
using EnvoyLens.Model;
using EnvoyLens.TestKit;

namespace EnvoyLens.Decoding.Tests.Endpoints;

/// <summary>The admin outputs of the shared corpus, read into the model.</summary>
public sealed class CorpusEndpointTests
{
    private static byte[] Corpus(params string[] parts)
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        return File.ReadAllBytes(TestPaths.CorpusFile(parts));
    }

    [SkippableFact]
    public void Given_envoy_1_14_server_info_When_read_Then_version_and_state_are_kept()
    {
        var bytes = Corpus("server_info", "datadog-envoy-1.14.1-server_info.json");

        var doc = ServerInfoDocument.Read(bytes, "server_info.json");

        Assert.Equal("222aaacccfff888/1.14.1/Clean/RELEASE/BoringSSL", doc.Value.Version);
        Assert.Equal("LIVE", doc.Value.State);
        Assert.Null(doc.Value.Node);
        Assert.Null(doc.Value.UptimeCurrentEpoch);
        Assert.Equal("server_info.json", doc.Value.Source);
        Assert.Empty(doc.Diagnostics);
    }

    [SkippableFact]
    public void Given_consul_clusters_json_When_read_Then_every_cluster_and_host_is_there()
    {
        var bytes = Corpus("clusters", "consul-dataplane-clusters.json");

        var doc = ClustersDocument.Read(bytes, "clusters.json");

        Assert.Empty(doc.Diagnostics);
        Assert.Equal([3, 1, 0, 1, 1], doc.Value.Select(c => c.Hosts.Count));
        Assert.Equal("original-destination", doc.Value[2].Name);
        Assert.Equal([true, true, true, true, false], doc.Value.Select(c => c.AddedViaApi));
        var agent = doc.Value[4];
        Assert.Equal("local_agent", agent.Name);
        var host = Assert.Single(agent.Hosts);
        Assert.Equal("192.168.79.187", host.Address.Address);
        Assert.Equal(8502, host.Address.Port);
        Assert.Equal("HEALTHY", host.Health);
        Assert.Equal(1u, host.Weight);
        Assert.Equal(EndpointSource.AdminClusters, host.Source);
        Assert.Equal("/cluster_statuses/4/host_statuses/0", host.Pointer.Value);
        Assert.True(host.IsHealthy);
        Assert.Null(host.Locality);
        Assert.Equal(10, agent.Stats["rq_error"]);
        Assert.Equal(8, agent.Stats["cx_connect_fail"]);
        Assert.Equal(0, agent.Stats["rq_timeout"]);
        Assert.All(doc.Value.SelectMany(c => c.Hosts), h => Assert.Equal("HEALTHY", h.Health));
    }

    [SkippableFact]
    public void Given_metricbeat_text_stats_When_read_Then_each_line_is_a_stat()
    {
        var bytes = Corpus("stats", "beats-envoyproxy-serverstats.txt");

        var doc = StatsDocument.Read(bytes, "stats.txt");

        Assert.Equal("text", doc.Value.Format);
        Assert.Equal(41, doc.Value.Stats.Count);
        Assert.Empty(doc.Diagnostics);
        Assert.Equal(389, doc.Value.Value("filesystem.flushed_by_timer"));
        Assert.Equal(4, doc.Value.Value("listener_manager.listener_create_success"));
        Assert.Equal(0, doc.Value.Value("http2.tx_reset"));
    }

    [SkippableFact]
    public void Given_netdata_prometheus_stats_When_read_Then_samples_types_and_labels_are_kept()
    {
        var bytes = Corpus("stats", "netdata-envoy-prometheus.txt");

        var doc = StatsDocument.Read(bytes, "prom.txt");

        Assert.Equal("prometheus", doc.Value.Format);
        Assert.Empty(doc.Diagnostics);
        Assert.Equal(630, doc.Value.Stats.Count);
        var stale = doc.Value.Get("envoy_cluster_assignment_stale")!;
        Assert.Equal(StatKind.Counter, stale.Kind);
        Assert.Equal("service_envoyproxy_io", stale.Tags["envoy_cluster_name"]);
        Assert.Equal(1, doc.Value.Value("envoy_server_live"));
        Assert.Equal(StatKind.Gauge, doc.Value.Get("envoy_server_state")!.Kind);
        var sum = doc.Value.Get("envoy_server_initialization_time_ms_sum")!;
        Assert.Equal(StatKind.Histogram, sum.Kind);
        Assert.Equal(76.5, sum.Value);
        var inf = doc.Value.Stats.Single(s => s.Name == "envoy_server_initialization_time_ms_bucket" && s.Tags.GetValueOrDefault("le") == "+Inf");
        Assert.Equal(1, inf.Value);
        Assert.Equal(7, doc.Value.Stats.Where(s => s.Kind == StatKind.Histogram).Select(s => s.Name[..s.Name.LastIndexOf('_')]).Distinct().Count());
    }
}
