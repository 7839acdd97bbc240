using EnvoyLens.Admin;
using EnvoyLens.Core;
using EnvoyLens.Decoding.Documents;
using EnvoyLens.Model;
using EnvoyLens.TestKit;

namespace EnvoyLens.Decoding.Tests.Documents;

/// <summary>v2-era configuration (Struct <c>config</c>, tcp_proxy <c>deprecated_v1</c>, <c>hosts</c>, <c>tls_context</c>) is read as its v3 form.</summary>
public sealed class LegacyConfigsTests
{
    private const string HcmType = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
    private const string TcpType = "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy";

    private static EnvoySnapshot Corpus(string file) => SnapshotDecoder.Decode(SnapshotSources.Open(TestPaths.CorpusFile("config_dump", file)));

    private static EnvoySnapshot Authored() => SnapshotDecoder.Decode(SnapshotSources.Open(TestPaths.Fixture("legacy", "v2-struct-configs", "config_dump.json")));

    [SkippableFact]
    public void Given_the_2018_dump_When_decoded_Then_its_http_listener_has_the_connection_manager_with_its_inline_route_and_http_filters()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");

        var snapshot = Corpus("istio-2018-v2-mapform-configdump.json");

        var listener = snapshot.FindListener("0.0.0.0_8080")!;
        Assert.False(listener.BindToPort);
        var filter = Assert.Single(Assert.Single(listener.FilterChains).Filters);
        Assert.Equal("envoy.http_connection_manager", filter.Name);
        Assert.Equal(HcmType, filter.Extension.TypeUrl);
        Assert.True(filter.Extension.Typed);
        var hcm = filter.HttpConnectionManager!;
        Assert.Equal("http", hcm.StatPrefix);
        Assert.Equal("8080", hcm.InlineRouteConfig!.Name);
        Assert.Equal("outbound|8080||istio-pilot.istio-system.svc.cluster.local", hcm.InlineRouteConfig.VirtualHosts[0].Routes[0].Cluster);
        Assert.Equal(["mixer", "envoy.cors", "envoy.fault", "envoy.router"], hcm.HttpFilters.Select(f => f.Name));

        var note = Assert.Single(snapshot.Diagnostics, d => d.Code == DiagnosticCodes.Interpretation && d.Pointer.Value == "/configs/listeners" && d.Message.Contains("v2-era", StringComparison.Ordinal));
        Assert.Equal(DiagnosticLevel.Info, note.Level);
        Assert.Contains("envoy.http_connection_manager → envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager", note.Message, StringComparison.Ordinal);
        Assert.Contains("'mixer' (1)", note.Message, StringComparison.Ordinal);
        Assert.Contains("pointers inside this section refer to the rewritten form", note.Message, StringComparison.Ordinal);

        // The connection manager's Struct is no longer an unknown field of the filter.
        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField && d.Message.StartsWith("envoy.config.listener.v3.Filter has no field", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Given_the_2018_dump_When_decoded_Then_a_cluster_given_by_hosts_has_those_hosts_as_inline_endpoints()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");

        var snapshot = Corpus("istio-2018-v2-mapform-configdump.json");

        var endpoint = Assert.Single(snapshot.FindCluster("xds-grpc")!.InlineEndpoints);
        Assert.Equal(new SocketAddress("istio-pilot.istio-system", 15010), endpoint.Address);
        Assert.Contains(snapshot.Diagnostics, d => d.Pointer.Value == "/configs/clusters" && d.Message.Contains("Cluster.hosts read as load_assignment", StringComparison.Ordinal));
        Assert.Contains(snapshot.Bootstrap!.StatsSinks, s => s.Name == "envoy.statsd" && s.TypeUrl == "type.googleapis.com/envoy.config.metrics.v3.StatsdSink" && s.Typed);
    }

    [SkippableFact]
    public void Given_the_2020_dump_When_decoded_Then_the_v1_tcp_proxy_route_is_the_chains_destination_match_and_cluster()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");

        var snapshot = Corpus("istio-2020-v2-camelcase-configdump.json");

        var listener = snapshot.FindListener("172.21.134.116_443")!;
        var chain = Assert.Single(listener.FilterChains);
        Assert.Equal(["172.21.134.116/32"], chain.Match.PrefixRanges);
        Assert.Null(chain.Match.DestinationPort);
        Assert.Equal(["mixer", "envoy.tcp_proxy"], chain.Filters.Select(f => f.Name));
        Assert.Null(chain.Filters[0].Extension.TypeUrl);
        var tcp = chain.Filters[1].TcpProxy!;
        Assert.Equal("outbound|443||istio-galley.istio-system.svc.cluster.local", tcp.Cluster);
        Assert.Equal("outbound|tcp|443", tcp.StatPrefix);
        Assert.Equal(TcpType, chain.Filters[1].Extension.TypeUrl);

        var http = snapshot.FindListener("0.0.0.0_8080")!;
        Assert.Equal("8080", http.FilterChains[0].Filters[0].HttpConnectionManager!.InlineRouteConfig!.Name);
        Assert.All(snapshot.Listeners, l => Assert.False(l.BindToPort));
        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField && d.Message.Contains("deprecated", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Given_struct_configs_under_both_legacy_keys_When_decoded_Then_each_connection_manager_names_its_rds_route_config()
    {
        var snapshot = Authored();

        Assert.Equal("9080", snapshot.FindListener("0.0.0.0_9080")!.FilterChains[0].Filters[0].HttpConnectionManager!.RdsRouteConfigName);
        var deprecated = snapshot.FindListener("0.0.0.0_9091")!.FilterChains[0].Filters[0];
        Assert.Equal("envoy.filters.network.http_connection_manager", deprecated.Name);
        Assert.Equal("9091", deprecated.HttpConnectionManager!.RdsRouteConfigName);
        Assert.Equal(["envoy.filters.http.router"], deprecated.HttpConnectionManager.HttpFilters.Select(f => f.Name));
        var accessLogNote = Assert.Single(snapshot.Diagnostics, d => d.Message.Contains("envoy.file_access_log → envoy.extensions.access_loggers.file.v3.FileAccessLog", StringComparison.Ordinal));
        Assert.Equal("/configs/1", accessLogNote.Pointer.Value);
    }

    [Fact]
    public void Given_a_v1_route_table_When_decoded_Then_each_reachable_route_is_a_filter_chain_matching_its_destination()
    {
        var snapshot = Authored();

        var chains = snapshot.FindListener("0.0.0.0_27017")!.FilterChains;
        Assert.Equal(2, chains.Count);
        Assert.Equal(["10.0.0.5/32"], chains[0].Match.PrefixRanges);
        Assert.Null(chains[0].Match.DestinationPort);
        Assert.Equal("outbound|27017||mongo-a.shop.svc.cluster.local", chains[0].Filters[0].TcpProxy!.Cluster);
        Assert.Equal(["10.0.0.6/32"], chains[1].Match.PrefixRanges);
        Assert.Equal(27017, chains[1].Match.DestinationPort);
        Assert.Equal("outbound|27017||mongo-b.shop.svc.cluster.local", chains[1].Filters[0].TcpProxy!.Cluster);
        Assert.All(chains, c => Assert.Equal("outbound|27017||mongo", c.Filters[0].TcpProxy!.StatPrefix));
        Assert.Contains(snapshot.Diagnostics, d => d.Pointer.Value == "/configs/1" && d.Message.Contains("split into one filter chain per route", StringComparison.Ordinal));

        // The third route matches what the first does: v1 never sends it a connection, so it is no chain (and said so).
        var shadowed = Assert.Single(snapshot.Diagnostics, d => d.Message.Contains("mongo-c", StringComparison.Ordinal));
        Assert.Equal(DiagnosticLevel.Warning, shadowed.Level);
        Assert.EndsWith("/deprecated_v1/routes/2", shadowed.Pointer.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_v1_route_with_a_port_range_When_decoded_Then_its_cluster_and_addresses_are_read_and_the_range_is_kept_raw_with_a_warning()
    {
        var snapshot = Authored();

        var chain = Assert.Single(snapshot.FindListener("10.0.0.7_3306")!.FilterChains);
        Assert.Equal("outbound|3306||mysql.shop.svc.cluster.local", chain.Filters[0].TcpProxy!.Cluster);
        Assert.Equal("outbound|3306||mysql", chain.Filters[0].TcpProxy!.StatPrefix);
        Assert.Equal(["10.0.0.7/32"], chain.Match.PrefixRanges);
        Assert.Null(chain.Match.DestinationPort);

        var warning = Assert.Single(snapshot.Diagnostics, d => d.Level == DiagnosticLevel.Warning && d.Message.Contains("3306-3310", StringComparison.Ordinal));
        Assert.Contains("is not one port", warning.Message, StringComparison.Ordinal);
        Assert.Contains(snapshot.RawPayloads, p => p.Json.Contains("3306-3310", StringComparison.Ordinal) && p.Pointer.Value.EndsWith("/deprecated_v1", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_v2_cluster_with_hosts_and_tls_context_When_decoded_Then_it_has_inline_endpoints_and_upstream_tls()
    {
        var snapshot = Authored();

        var cluster = snapshot.FindCluster("xds-grpc")!;
        Assert.Equal(new SocketAddress("istio-pilot.istio-system", 15011), Assert.Single(cluster.InlineEndpoints).Address);
        Assert.NotNull(cluster.Tls);
        Assert.Equal("istio-pilot.istio-system", cluster.Tls.Sni);
        Assert.True(cluster.Tls.HasTrustedCa);
        Assert.Equal("envoy.transport_sockets.tls", cluster.TransportSocket?.Name);

        // verify_subject_alt_name is gone in v3: kept raw and reported, not dropped.
        Assert.Contains(snapshot.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField && d.Pointer.Value.EndsWith("/verify_subject_alt_name", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_the_hidden_envoy_deprecated_fields_of_an_envoy_1_13_v3_dump_When_decoded_Then_they_are_read_like_their_v2_fields()
    {
        const string json = """
            {"configs": [
              {"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", "static_clusters": [{"cluster": {
                "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "xds-grpc", "type": "STRICT_DNS",
                "hidden_envoy_deprecated_hosts": [{"socket_address": {"address": "istiod.istio-system.svc", "port_value": 15012}}],
                "hidden_envoy_deprecated_tls_context": {"sni": "istiod.istio-system.svc"}}}]},
              {"@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", "dynamic_listeners": [{"name": "0.0.0.0_15443", "active_state": {"listener": {
                "@type": "type.googleapis.com/envoy.config.listener.v3.Listener", "name": "0.0.0.0_15443",
                "address": {"socket_address": {"address": "0.0.0.0", "port_value": 15443}},
                "listener_filters": [{"name": "envoy.listener.tls_inspector", "hidden_envoy_deprecated_config": {}}],
                "filter_chains": [{
                  "hidden_envoy_deprecated_tls_context": {"common_tls_context": {"alpn_protocols": ["h2"]}},
                  "filters": [{"name": "envoy.filters.network.tcp_proxy", "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy", "stat_prefix": "s",
                    "hidden_envoy_deprecated_deprecated_v1": {"routes": [{"cluster": "outbound|15443||a", "destination_ip_list": [{"address_prefix": "10.1.0.0", "prefix_len": 16}]}]}}}]}]}}}]}
            ]}
            """;
        var snapshot = SnapshotDecoder.Decode(new RawSnapshot("v3-113.json", [new RawDocument(AdminEndpoint.ConfigDump, "v3-113.json", System.Text.Encoding.UTF8.GetBytes(json))]));

        var cluster = snapshot.FindCluster("xds-grpc")!;
        Assert.Equal(new SocketAddress("istiod.istio-system.svc", 15012), Assert.Single(cluster.InlineEndpoints).Address);
        Assert.Equal("istiod.istio-system.svc", cluster.Tls?.Sni);
        var listener = snapshot.FindListener("0.0.0.0_15443")!;
        var inspector = Assert.Single(listener.ListenerFilters);
        Assert.Equal("type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector", inspector.TypeUrl);
        var chain = Assert.Single(listener.FilterChains);
        Assert.NotNull(chain.DownstreamTls);
        Assert.Equal(["10.1.0.0/16"], chain.Match.PrefixRanges);
        Assert.Equal("outbound|15443||a", chain.Filters[0].TcpProxy!.Cluster);
        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField);
    }

    [Fact]
    public void Given_a_v1_route_table_of_more_than_1024_routes_When_decoded_Then_it_is_kept_raw_with_a_warning_instead_of_copying_its_chain()
    {
        var routes = string.Join(",", Enumerable.Range(0, 1025).Select(i => $$"""{"cluster": "c{{i}}", "destination_ip_list": [{"address_prefix": "10.{{i / 256}}.{{i % 256}}.1", "prefix_len": 32}]}"""));
        var json = (
            "{'configs': [{'@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump', 'dynamic_listeners': [{'name': 'big', 'active_state': {'listener': {" +
            "'@type': 'type.googleapis.com/envoy.api.v2.Listener', 'name': 'big', 'address': {'socket_address': {'address': '0.0.0.0', 'port_value': 1}}," +
            "'filter_chains': [{'filters': [{'name': 'envoy.tcp_proxy', 'config': {'stat_prefix': 's', 'deprecated_v1': {'routes': [").Replace('\'', '"') + routes +
            "]}}}]}]}}}]}]}";

        var snapshot = SnapshotDecoder.Decode(new RawSnapshot("big.json", [new RawDocument(AdminEndpoint.ConfigDump, "big.json", System.Text.Encoding.UTF8.GetBytes(json))]));

        var chain = Assert.Single(snapshot.FindListener("big")!.FilterChains);
        Assert.Null(chain.Filters[0].TcpProxy!.Cluster);
        Assert.Contains(snapshot.Diagnostics, d => d.Level == DiagnosticLevel.Warning && d.Message.Contains("1025 routes, more than the 1024", StringComparison.Ordinal));
        Assert.Contains(snapshot.RawPayloads, p => p.Pointer.Value.EndsWith("/deprecated_v1", StringComparison.Ordinal) && p.Json.Contains("\"c1024\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_every_name_of_the_legacy_table_When_resolved_Then_its_v3_type_is_compiled()
    {
        var types = LegacyConfigs.Types.SelectMany(t => t.Value).ToList();

        Assert.All(types, t => Assert.True(SnapshotDecoder.Resolver.Resolve("type.googleapis.com/" + t.Value) is not null, $"{t.Key} → {t.Value} is not compiled"));
        Assert.Equal("envoy.extensions.filters.http.router.v3.Router", LegacyConfigs.Types[LegacyConfigs.Slot.HttpFilter]["envoy.router"]);
        Assert.Equal("envoy.extensions.filters.http.ratelimit.v3.RateLimit", LegacyConfigs.Types[LegacyConfigs.Slot.HttpFilter]["envoy.ratelimit"]);
        Assert.Equal("envoy.extensions.filters.network.ratelimit.v3.RateLimit", LegacyConfigs.Types[LegacyConfigs.Slot.NetworkFilter]["envoy.ratelimit"]);
        Assert.Equal("envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy", LegacyConfigs.Types[LegacyConfigs.Slot.NetworkFilter]["envoy.filters.network.tcp_proxy"]);
    }

    [SkippableFact]
    public void Given_a_current_dump_When_prepared_Then_no_section_is_parsed_or_changed()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var bytes = File.ReadAllBytes(TestPaths.CorpusFile("config_dump", "istio-compare-sidecar-configdump.json"));
        var layout = ConfigDumpDocument.Read(bytes, "c.json");
        var notes = new List<DecodeDiagnostic>();

        foreach (var entry in layout.Entries)
        {
            var original = layout.EntryBytes(entry);
            Assert.True(LegacyDumpShapes.Prepare(original, entry, "c.json", notes).Equals(original));
        }

        Assert.Empty(notes);
    }

    [Theory]
    [InlineData("""{"filters": [{"name": "envoy.tcp_proxy", "config": {"cluster": "a"}}]}""", true)]
    [InlineData("""{"tracing": {"http": {"name": "envoy.zipkin", "config": {"collector_cluster": "z"}}}}""", true)]
    [InlineData("""{"clusters": [{"name": "a", "hosts": [{"socket_address": {"address": "10.0.0.1"}}]}]}""", true)]
    [InlineData("""{"filter_chains": [{"tls_context": {}}]}""", true)]
    [InlineData("""{"listener": {"hidden_envoy_deprecated_use_original_dst": true}}""", true)]
    [InlineData("""{"filters": [{"name": "envoy.tcp_proxy", "config": {"cluster": """, true)]
    [InlineData("""{"metadata": {"filter_metadata": {"istio": {"config": "/apis/networking.istio.io/v1/namespaces/a/destination-rule/b"}}}}""", false)]
    [InlineData("""{"http_filters": [{"name": "istio.stats", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm", "config": {"vm_config": {}}}}]}""", false)]
    [InlineData("""{"http_filters": [{"name": "x", "config_discovery": {"config_source": {"ads": {}}}, "config": {}}]}""", false)]
    [InlineData("""{"runtime": {"envoy.deprecated_features:envoy.config.listener.v3.Listener.hidden_envoy_deprecated_use_original_dst": "true"}}""", false)]
    public void Given_a_section_When_checked_for_v2_era_properties_Then_only_property_names_where_a_conversion_applies_count(string json, bool expected)
    {
        Assert.Equal(expected, LegacyConfigs.MayApply(System.Text.Encoding.UTF8.GetBytes(json), null));
    }

    [Theory]
    [InlineData("""{"clusters": [{"name": "a"}, {"name": "b", "hosts": [{"socket_address": {"address": "10.0.0.1"}}]}]}""", true)]
    [InlineData("""{"listeners": [{"name": "a", "filter_chains": [{"filters": [{"name": "envoy.tcp_proxy", "config": {"cluster": "a"}}]}]}, {"name": "b"}]}""", true)]
    [InlineData("""{"clusters": [{"name": "a"}, {"name": "b"}], "config": {"x": 1}}""", true)]
    [InlineData("""{"config": {"x": 1}, "clusters": [{"name": "a"}, {"name": "b"}], "typed_config": {}}""", false)]
    [InlineData("""{"clusters": [{"name": "a", "metadata": {"filter_metadata": {"istio": {"config": "s"}}}}, {"name": "b", "metadata": {"filter_metadata": {"istio": {"config": "t"}}}}]}""", false)]
    [InlineData("""{"clusters": [{"name": "a", "config": {"x": 1}, "typed_config": {}}, {"name": "b"}], "static": [{"tls_context": {}}, "x"]}""", true)]
    [InlineData("""{"clusters": [{"name": "a", "config": {"x": 1}, "typed_config": {}}, {"name": "b", "config": "string"}], "other": ["config", {"config": 1}]}""", false)]
    public void Given_a_section_with_the_layout_outline_When_checked_across_the_cores_Then_the_answer_is_that_of_one_walk(string json, bool expected)
    {
        var dump = System.Text.Encoding.UTF8.GetBytes("""{"configs": [""" + json + "]}");
        var layout = ConfigDumpDocument.Read(dump, "x.json");
        var entry = Assert.Single(layout.Entries);
        Assert.NotNull(entry.Outline);

        Assert.Equal(expected, LegacyConfigs.MayApply(layout.EntryBytes(entry), null));
        Assert.Equal(expected, LegacyConfigs.MayApply(layout.EntryBytes(entry), entry.Outline));
    }

    [SkippableFact]
    public void Given_current_istio_dumps_whose_metadata_says_config_When_checked_Then_no_section_is_taken_for_v2_era_configuration()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var withConfigBytes = 0;
        foreach (var file in new[] { "istio-compare-sidecar-configdump.json", "istio-describe-http-config.json" })
        {
            var bytes = File.ReadAllBytes(TestPaths.CorpusFile("config_dump", file));
            var layout = ConfigDumpDocument.Read(bytes, file);
            foreach (var entry in layout.Entries)
            {
                var section = layout.EntryBytes(entry);
                withConfigBytes += section.Span.IndexOf("\"config\""u8) >= 0 ? 1 : 0;
                Assert.False(LegacyConfigs.MayApply(section, null), $"{file} {entry.Pointer}");
                Assert.False(LegacyConfigs.MayApply(section, entry.Outline), $"{file} {entry.Pointer}, with its outline");
            }
        }

        // The byte pattern alone would have sent these sections through the tree walk.
        Assert.True(withConfigBytes > 0);
    }
}
