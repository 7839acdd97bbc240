using System.Text;
using EnvoyLens.Core;
using EnvoyLens.Decoding.Endpoints;
using EnvoyLens.Model;

namespace EnvoyLens.Decoding.Tests.Endpoints;

/// <summary>Authored admin outputs: forms the corpus lacks, and broken documents.</summary>
public sealed class AuthoredEndpointTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Given_server_info_json_with_node_and_uptimes_When_read_Then_the_model_has_them()
    {
        const string json = """
            {"version": "abc/1.32.3/Clean/RELEASE/BoringSSL", "state": "INITIALIZING",
             "uptime_current_epoch": "125s", "uptime_all_epochs": "3600.5s", "hot_restart_version": "11.104",
             "node": {"id": "sidecar~10.1.2.3~reviews-v1-abc.default~default.svc.cluster.local", "cluster": "reviews.default",
                      "user_agent_name": "envoy", "user_agent_build_version": {"version": {"major_number": 1, "minor_number": 32, "patch": 3}},
                      "locality": {"region": "eu", "zone": "eu-1a"},
                      "metadata": {"NAMESPACE": "default", "ISTIO_VERSION": "1.24.0", "LABELS": {"app": "reviews"}}},
             "command_line_options": {"concurrency": 2}}
            """;

        var info = ServerInfoDocument.Read(Utf8(json), "server_info").Value;

        Assert.Equal("INITIALIZING", info.State);
        Assert.Equal(TimeSpan.FromSeconds(125), info.UptimeCurrentEpoch);
        Assert.Equal(TimeSpan.FromSeconds(3600.5), info.UptimeAllEpochs);
        Assert.Equal("11.104", info.HotRestartVersion);
        Assert.NotNull(info.Node);
        Assert.Equal("1.32.3", info.Node.UserAgentVersion);
        Assert.Equal("default", info.Node.Namespace);
        Assert.Equal("1.24.0", info.Node.IstioVersion);
        Assert.Equal("eu/eu-1a", info.Node.Locality!.ToString());
        Assert.Equal("reviews", info.Node.Metadata["LABELS"].GetProperty("app").GetString());
    }

    [Fact]
    public void Given_the_old_plain_text_server_info_When_read_Then_fields_are_split()
    {
        var info = ServerInfoDocument.Read(Utf8("envoy 267724/RELEASE live 1571 3142 1\n"), "server_info").Value;

        Assert.Equal("267724/RELEASE", info.Version);
        Assert.Equal("LIVE", info.State);
        Assert.Equal(TimeSpan.FromSeconds(1571), info.UptimeCurrentEpoch);
        Assert.Equal(TimeSpan.FromSeconds(3142), info.UptimeAllEpochs);
    }

    [Fact]
    public void Given_server_info_with_a_bad_uptime_When_read_Then_a_diagnostic_names_the_field_and_the_rest_is_kept()
    {
        var doc = ServerInfoDocument.Read(Utf8("""{"version": "v", "state": "LIVE", "uptime_current_epoch": "soon"}"""), "si");

        Assert.Equal("v", doc.Value.Version);
        Assert.Null(doc.Value.UptimeCurrentEpoch);
        var d = Assert.Single(doc.Diagnostics);
        Assert.Equal("/uptime_current_epoch", d.Pointer.Value);
    }

    [Theory]
    [InlineData("", "si is empty, not Envoy /server_info output.")]
    [InlineData("{\"version\": ", "si is not valid JSON (line 1), so it cannot be read as Envoy /server_info output.")]
    [InlineData("{\"a\": 1}", "si is not Envoy /server_info output: it has none of \"version\", \"state\" or \"node\".")]
    public void Given_a_malformed_server_info_When_read_Then_one_sentence_names_the_source(string content, string message)
    {
        var ex = Assert.Throws<EnvoyLensException>(() => ServerInfoDocument.Read(Utf8(content), "si"));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Given_json_stats_with_histograms_and_text_readouts_When_read_Then_all_three_kinds_are_kept()
    {
        const string json = """
            {"stats": [
              {"name": "cluster.a.upstream_cx_total", "value": 12},
              {"name": "server.version_text", "value": "1.32.3"},
              42,
              {"histograms": {"supported_quantiles": [0, 50, 100],
                "computed_quantiles": [{"name": "cluster.a.upstream_rq_time", "values": [{"interval": 1, "cumulative": 2}, {"interval": null}, {"cumulative": 9.5}]}]}}
            ]}
            """;

        var doc = StatsDocument.Read(Utf8(json), "stats.json");

        Assert.Equal("json", doc.Value.Format);
        Assert.Equal(12, doc.Value.Value("cluster.a.upstream_cx_total"));
        Assert.Equal("1.32.3", doc.Value.Get("server.version_text")!.Text);
        var h = doc.Value.Get("cluster.a.upstream_rq_time")!;
        Assert.Equal(StatKind.Histogram, h.Kind);
        Assert.Equal("P0(1,2) P50(nan,nan) P100(nan,9.5)", h.Text);
        Assert.Equal("/stats/2", Assert.Single(doc.Diagnostics).Pointer.Value);
    }

    [Fact]
    public void Given_text_stats_with_histograms_and_a_bad_line_When_read_Then_the_bad_line_is_a_diagnostic()
    {
        const string text = "cluster.a.upstream_cx_total: 7\ngarbage line\ncluster.a.upstream_rq_time: P0(nan,1) P25(nan,2)\nserver.text: \"hello\"\n";

        var doc = StatsDocument.Read(Utf8(text), "stats");

        Assert.Equal(3, doc.Value.Stats.Count);
        Assert.Equal(StatKind.Histogram, doc.Value.Get("cluster.a.upstream_rq_time")!.Kind);
        Assert.Equal("hello", doc.Value.Get("server.text")!.Text);
        Assert.Contains("line 2", Assert.Single(doc.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_prometheus_labels_with_escapes_When_read_Then_labels_are_unescaped()
    {
        const string text = "# TYPE envoy_x counter\nenvoy_x{a=\"q\\\"uote\",b=\"back\\\\slash\",} 3 1700000000\nenvoy_y NaN\n";

        var doc = StatsDocument.Read(Utf8(text), "p");

        var x = doc.Value.Get("envoy_x")!;
        Assert.Equal("q\"uote", x.Tags["a"]);
        Assert.Equal("back\\slash", x.Tags["b"]);
        Assert.Equal(3, x.Value);
        Assert.True(double.IsNaN(doc.Value.Value("envoy_y")!.Value));
        Assert.Equal(StatKind.Unknown, doc.Value.Get("envoy_y")!.Kind);
    }

    [Fact]
    public void Given_text_clusters_When_read_Then_hosts_health_flags_and_cluster_lines_are_read()
    {
        const string text = """
            outbound|9080||reviews.default.svc.cluster.local::observability_name::outbound|9080||reviews.default.svc.cluster.local
            outbound|9080||reviews.default.svc.cluster.local::default_priority::max_connections::4294967295
            outbound|9080||reviews.default.svc.cluster.local::added_via_api::true
            outbound|9080||reviews.default.svc.cluster.local::10.0.0.1:9080::cx_active::2
            outbound|9080||reviews.default.svc.cluster.local::10.0.0.1:9080::rq_error::1
            outbound|9080||reviews.default.svc.cluster.local::10.0.0.1:9080::health_flags::healthy
            outbound|9080||reviews.default.svc.cluster.local::10.0.0.1:9080::weight::1
            outbound|9080||reviews.default.svc.cluster.local::10.0.0.1:9080::region::us-east1
            outbound|9080||reviews.default.svc.cluster.local::10.0.0.1:9080::zone::us-east1-b
            outbound|9080||reviews.default.svc.cluster.local::10.0.0.1:9080::priority::0
            outbound|9080||reviews.default.svc.cluster.local::[fd00::2]:9080::cx_active::3
            outbound|9080||reviews.default.svc.cluster.local::[fd00::2]:9080::health_flags::/failed_active_hc/failed_outlier_check
            outbound|9080||reviews.default.svc.cluster.local::[fd00::2]:9080::priority::1
            BlackHoleCluster::added_via_api::false
            """;

        var doc = ClustersDocument.Read(Utf8(text), "clusters.txt");

        Assert.Empty(doc.Diagnostics);
        Assert.Equal(["outbound|9080||reviews.default.svc.cluster.local", "BlackHoleCluster"], doc.Value.Select(c => c.Name));
        var reviews = doc.Value[0];
        Assert.True(reviews.AddedViaApi);
        Assert.False(doc.Value[1].AddedViaApi);
        Assert.Equal(2, reviews.Hosts.Count);
        var ok = reviews.Hosts[0];
        Assert.Equal("10.0.0.1:9080", ok.Address.ToString());
        Assert.True(ok.IsHealthy);
        Assert.Equal("us-east1/us-east1-b", ok.Locality!.ToString());
        var bad = reviews.Hosts[1];
        Assert.Equal("fd00::2", bad.Address.Address);
        Assert.Equal(9080, bad.Address.Port);
        Assert.True(bad.FailedActiveHealthCheck);
        Assert.True(bad.FailedOutlierCheck);
        Assert.False(bad.IsHealthy);
        Assert.Equal(1u, bad.Priority);
        Assert.Equal(5, reviews.Stats["cx_active"]);
        Assert.Equal(4294967295, reviews.Stats["default_priority.max_connections"]);
    }

    [Fact]
    public void Given_clusters_json_with_failures_and_one_bad_host_When_read_Then_flags_are_kept_and_the_bad_host_is_a_diagnostic()
    {
        const string json = """
            {"cluster_statuses": [{"name": "c", "success_rate_ejection_threshold": {"value": 42.5},
              "host_statuses": [
                {"address": {"socket_address": {"address": "10.0.0.9", "port_value": 80}},
                 "health_status": {"failed_outlier_check": true, "eds_health_status": "HEALTHY"},
                 "locality": {"zone": "z1"}, "priority": 2, "hostname": "h.example"},
                {"address": {"socket_address": {"address": "10.0.0.10", "port_value": 80}},
                 "health_status": {"eds_health_status": "DRAINING"}},
                {"stats": []},
                {"address": {"pipe": {"path": "/var/run/x.sock"}}, "health_status": {"failed_active_degraded_check": true}}
              ]}, "not a cluster"]}
            """;

        var doc = ClustersDocument.Read(Utf8(json), "clusters.json");

        var c = Assert.Single(doc.Value);
        Assert.Equal(42.5, c.Stats["success_rate_ejection_threshold"]);
        Assert.Equal(3, c.Hosts.Count);
        Assert.True(c.Hosts[0].FailedOutlierCheck);
        Assert.False(c.Hosts[0].FailedActiveHealthCheck);
        Assert.False(c.Hosts[0].IsHealthy);
        Assert.Equal("z1", c.Hosts[0].Locality!.Zone);
        Assert.Equal(2u, c.Hosts[0].Priority);
        Assert.Equal("h.example", c.Hosts[0].Hostname);
        Assert.Equal("DRAINING", c.Hosts[1].Health);
        Assert.Equal("pipe", c.Hosts[2].Address.Kind);
        Assert.Equal("DEGRADED", c.Hosts[2].Health);
        Assert.Equal(["/cluster_statuses/0/host_statuses/2", "/cluster_statuses/1"], doc.Diagnostics.Select(d => d.Pointer.Value));
    }

    [Fact]
    public void Given_internal_listener_hosts_in_clusters_json_When_read_Then_the_endpoint_id_is_kept_as_in_the_config_dump()
    {
        const string json = """
            {"cluster_statuses": [{"name": "c", "host_statuses": [
              {"address": {"envoy_internal_address": {"server_listener_name": "connect_originate", "endpoint_id": "10.0.0.5:9080"}}, "health_status": {"eds_health_status": "HEALTHY"}},
              {"address": {"envoy_internal_address": {"server_listener_name": "main_internal"}}, "health_status": {"eds_health_status": "HEALTHY"}}]}]}
            """;

        var hosts = Assert.Single(ClustersDocument.Read(Utf8(json), "clusters.json").Value).Hosts;

        Assert.Equal(["connect_originate/10.0.0.5:9080", "main_internal"], hosts.Select(h => h.Address.ToString()));
        Assert.All(hosts, h => Assert.Equal("internal", h.Address.Kind));
    }

    [Fact]
    public void Given_a_config_dump_When_read_as_clusters_Then_the_error_says_it_is_not_clusters_output()
    {
        var ex = Assert.Throws<EnvoyLensException>(() => ClustersDocument.Read(Utf8("{\"configs\": []}"), "x.json"));

        Assert.Equal("x.json is not Envoy /clusters output: the JSON object has no \"cluster_statuses\".", ex.Message);
    }

    [Fact]
    public void Given_certs_output_When_read_Then_roles_sans_and_times_are_kept()
    {
        const string json = """
            {"certificates": [{
              "ca_cert": [{"path": "<inline>", "serial_number": "1a2b", "subject_alt_names": [], "days_until_expiration": "3650",
                           "valid_from": "2024-01-01T00:00:00Z", "expiration_time": "2034-01-01T00:00:00Z"}],
              "cert_chain": [{"path": "/etc/certs/cert-chain.pem", "serial_number": "ff",
                              "subject_alt_names": [{"uri": "spiffe://cluster.local/ns/default/sa/reviews"}, {"dns": "reviews"}, {"ip_address": "10.0.0.1"}],
                              "days_until_expiration": 0, "valid_from": "2024-01-01T00:00:00Z", "expiration_time": "yesterday"}]
            }, 7]}
            """;

        var doc = CertsDocument.Read(Utf8(json), "certs.json");

        var set = Assert.Single(doc.Value);
        var ca = Assert.Single(set.CaCerts);
        Assert.Equal("ca", ca.Role);
        Assert.Equal(3650, ca.DaysUntilExpiration);
        Assert.Equal(new DateTimeOffset(2034, 1, 1, 0, 0, 0, TimeSpan.Zero), ca.ExpirationTime);
        var leaf = Assert.Single(set.CertChain);
        Assert.Equal("cert_chain", leaf.Role);
        Assert.Equal(["URI:spiffe://cluster.local/ns/default/sa/reviews", "DNS:reviews", "IP:10.0.0.1"], leaf.SubjectAltNames);
        Assert.Equal(0, leaf.DaysUntilExpiration);
        Assert.Null(leaf.ExpirationTime);
        Assert.Equal(["/certificates/0/cert_chain/0", "/certificates/1"], doc.Diagnostics.Select(d => d.Pointer.Value));
    }

    [Fact]
    public void Given_empty_certs_output_When_read_Then_there_are_no_sets()
    {
        Assert.Empty(CertsDocument.Read(Utf8("{\"certificates\": []}"), "certs").Value);
        Assert.Empty(CertsDocument.Read(Utf8("{}"), "certs").Value);
    }

    [Fact]
    public void Given_listeners_output_When_read_Then_addresses_are_kept()
    {
        const string json = """
            {"listener_statuses": [
              {"name": "virtualInbound", "local_address": {"socket_address": {"address": "0.0.0.0", "port_value": 15006}},
               "additional_local_addresses": [{"socket_address": {"address": "::", "port_value": 15006}}]},
              {"name": "internal", "local_address": {"envoy_internal_address": {"server_listener_name": "connect_originate"}}},
              {"local_address": {}}
            ]}
            """;

        var doc = ListenersDocument.Read(Utf8(json), "listeners");

        Assert.Equal(["virtualInbound", "internal"], doc.Value.Select(l => l.Name));
        Assert.Equal("0.0.0.0:15006", doc.Value[0].LocalAddress!.ToString());
        Assert.Equal(":::15006", Assert.Single(doc.Value[0].AdditionalLocalAddresses).ToString());
        Assert.Equal("internal", doc.Value[1].LocalAddress!.Kind);
        Assert.Equal("/listener_statuses/2", Assert.Single(doc.Diagnostics).Pointer.Value);
    }

    [Fact]
    public void Given_init_dump_output_When_read_Then_managers_and_targets_are_kept()
    {
        const string json = """
            {"unready_targets_dumps": [{"name": "Server", "target_names": ["Listener-init-target 0.0.0.0_15006", "RdsRouteConfigSubscription init 9080"]}, {"name": "empty"}]}
            """;

        var doc = InitDumpDocument.Read(Utf8(json), "init_dump");

        Assert.Equal("Server", doc.Value[0].Manager);
        Assert.Equal(2, doc.Value[0].Targets.Count);
        Assert.Empty(doc.Value[1].Targets);
    }

    [Fact]
    public void Given_an_init_dump_whose_list_is_not_an_array_When_read_Then_one_sentence_says_so()
    {
        var ex = Assert.Throws<EnvoyLensException>(() => InitDumpDocument.Read(Utf8("{\"unready_targets_dumps\": 3}"), "init"));

        Assert.Equal("init is not Envoy /init_dump output: \"unready_targets_dumps\" at /unready_targets_dumps is a number, not an array.", ex.Message);
    }
}
