using System.Text;
using System.Text.Json;
using EnvoyLens.Admin;
using EnvoyLens.Core;
using EnvoyLens.Decoding.Documents;
using EnvoyLens.Model;
using EnvoyLens.TestKit;

namespace EnvoyLens.Decoding.Tests.Documents;

/// <summary>The early (2018) envoy.admin.v2alpha config dump shapes are rewritten to v3 before decoding.</summary>
public sealed class LegacyDumpShapesTests
{
    private const string MapForm2018 = "istio-2018-v2-mapform-configdump.json";

    /// <summary>An early-shape dump spelled in snake_case, with every legacy list the rewrite knows.</summary>
    private const string SnakeCaseEarlyDump = """
        {"configs": [
          {"@type": "type.googleapis.com/envoy.admin.v2alpha.ListenersConfigDump",
           "version_info": "v7",
           "static_listeners": [
             {"name": "admin-like", "address": {"socket_address": {"address": "127.0.0.1", "port_value": 15000}}}
           ],
           "dynamic_active_listeners": [
             {"version_info": "v7", "listener": {"name": "virtual", "address": {"socket_address": {"address": "0.0.0.0", "port_value": 15001}}},
              "last_updated": "2018-05-29T20:35:10Z"}
           ],
           "dynamic_warming_listeners": [
             {"version_info": "v8", "listener": {"name": "virtual", "address": {"socket_address": {"address": "0.0.0.0", "port_value": 15001}}}}
           ],
           "dynamic_draining_listeners": [
             {"version_info": "v6", "listener": {"name": "old_9090", "address": {"socket_address": {"address": "0.0.0.0", "port_value": 9090}}}}
           ]},
          {"@type": "type.googleapis.com/envoy.admin.v2alpha.ClustersConfigDump",
           "version_info": "v7",
           "static_clusters": [
             {"name": "xds-grpc", "type": "STRICT_DNS", "connect_timeout": "1s"},
             {"cluster": {"name": "wrapped-untyped", "type": "STATIC", "connect_timeout": "1s"}, "last_updated": "2018-05-29T20:35:10Z"}
           ],
           "dynamic_active_clusters": [
             {"version_info": "v7", "cluster": {"name": "outbound|80||web", "type": "EDS", "connect_timeout": "1s"}}
           ],
           "dynamic_warming_clusters": [
             {"version_info": "v8", "cluster": {"name": "outbound|81||api", "type": "EDS", "connect_timeout": "1s"}}
           ]},
          {"@type": "type.googleapis.com/envoy.admin.v2alpha.RoutesConfigDump",
           "static_route_configs": [
             {"name": "static-route", "virtual_hosts": [{"name": "vh", "domains": ["*"]}]}
           ],
           "dynamic_route_configs": [
             {"version_info": "v7", "route_config": {"name": "80", "virtual_hosts": [{"name": "web", "domains": ["web"]}]}}
           ]}
        ]}
        """;

    /// <summary>v2alpha-typed and v3-typed sections already in the v3 shape (inner resources carry @type).</summary>
    private const string V3ShapedDump = """
        {"configs": [
          {"@type": "type.googleapis.com/envoy.admin.v2alpha.ListenersConfigDump",
           "dynamic_listeners": [{"name": "l", "active_state": {"version_info": "1", "listener": {"@type": "type.googleapis.com/envoy.api.v2.Listener", "name": "l"}}}],
           "static_listeners": [{"listener": {"@type": "type.googleapis.com/envoy.api.v2.Listener", "name": "s"}, "last_updated": "2020-01-01T00:00:00Z"}]},
          {"@type": "type.googleapis.com/envoy.admin.v2alpha.ClustersConfigDump",
           "staticClusters": [{"cluster": {"@type": "type.googleapis.com/envoy.api.v2.Cluster", "name": "c"}}],
           "dynamicActiveClusters": [{"versionInfo": "1", "cluster": {"@type": "type.googleapis.com/envoy.api.v2.Cluster", "name": "d"}}]},
          {"@type": "type.googleapis.com/envoy.admin.v2alpha.RoutesConfigDump",
           "static_route_configs": [{"route_config": {"@type": "type.googleapis.com/envoy.api.v2.RouteConfiguration", "name": "r"}}],
           "dynamic_route_configs": [{"route_config": {"@type": "type.googleapis.com/envoy.api.v2.RouteConfiguration", "name": "q"}}]},
          {"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
           "static_clusters": [{"cluster": {"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "e"}}]}
        ]}
        """;

    private static EnvoySnapshot DecodeText(string json, string source) =>
        SnapshotDecoder.Decode(new RawSnapshot(source, [new RawDocument(AdminEndpoint.ConfigDump, source, Encoding.UTF8.GetBytes(json))]));

    private static IEnumerable<(ConfigEntry Entry, ReadOnlyMemory<byte> Original, ReadOnlyMemory<byte> After, DecodeDiagnostic? Note)> RewriteAll(byte[] bytes, string source)
    {
        var layout = ConfigDumpDocument.Read(bytes, source);
        foreach (var entry in layout.Entries)
        {
            var original = layout.EntryBytes(entry);
            var after = LegacyDumpShapes.Rewrite(original, entry, source, out var note);
            yield return (entry, original, after, note);
        }
    }

    [SkippableFact]
    public void Given_the_2018_map_form_dump_When_decoded_Then_listeners_clusters_and_routes_appear_with_their_names()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var path = TestPaths.CorpusFile("config_dump", MapForm2018);

        var snapshot = SnapshotDecoder.Decode(SnapshotSources.Open(path));

        var listener = Assert.Single(snapshot.Listeners);
        Assert.Equal("0.0.0.0_8080", listener.Meta.Name);
        Assert.Equal(ResourceOrigin.Dynamic, listener.Meta.Origin);
        Assert.Equal(ResourceState.Active, listener.Meta.State);
        Assert.Equal("2018-05-29 20:34:55.438944238 +0000 UTC m=+600.424148258", listener.Meta.VersionInfo);
        Assert.Equal(8080, listener.Address?.Port);

        Assert.Equal(2, snapshot.Clusters.Count);
        Assert.Equal(ResourceOrigin.Static, snapshot.FindCluster("xds-grpc")?.Meta.Origin);
        var dynamicCluster = snapshot.FindCluster("outbound|15004||istio-policy.istio-system.svc.cluster.local");
        Assert.NotNull(dynamicCluster);
        Assert.Equal(ResourceOrigin.Dynamic, dynamicCluster.Meta.Origin);
        Assert.Equal(ResourceState.Active, dynamicCluster.Meta.State);

        var route = Assert.Single(snapshot.RouteConfigs);
        Assert.Equal("inbound|9080||details.default.svc.cluster.local", route.Name);
        Assert.Equal(ResourceOrigin.Static, route.Meta.Origin);
        Assert.NotEmpty(route.VirtualHosts);

        // Pointers stay inside the section the resource came from.
        Assert.StartsWith("/configs/listeners/", listener.Meta.Pointer.Value, StringComparison.Ordinal);
        Assert.All(snapshot.Clusters, c => Assert.StartsWith("/configs/clusters/", c.Meta.Pointer.Value, StringComparison.Ordinal));
        Assert.StartsWith("/configs/routes/", route.Meta.Pointer.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Level == DiagnosticLevel.Error);
    }

    [SkippableFact]
    public void Given_the_2018_map_form_dump_When_decoded_Then_each_rewritten_section_is_named_once_and_the_bootstrap_is_not()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var path = TestPaths.CorpusFile("config_dump", MapForm2018);

        var snapshot = SnapshotDecoder.Decode(SnapshotSources.Open(path));

        var notes = snapshot.Diagnostics
            .Where(d => d.Code == DiagnosticCodes.Interpretation && d.Message.Contains("rewritten to the v3 shape", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(["/configs/listeners", "/configs/clusters", "/configs/routes"], notes.Select(n => n.Pointer.Value));
        Assert.All(notes, n =>
        {
            Assert.Equal(DiagnosticLevel.Info, n.Level);
            Assert.Equal(path, n.Source);
            Assert.Contains(path, n.Message, StringComparison.Ordinal);
            Assert.Contains(n.Pointer.Value, n.Message, StringComparison.Ordinal);
            Assert.Contains("pointers inside this section refer to the rewritten form", n.Message, StringComparison.Ordinal);
        });

        // The legacy keys no longer surface as unknown fields of the v3 dump messages.
        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField && d.Message.Contains("ConfigDump", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Given_the_2018_camelCase_dump_When_rewritten_Then_added_keys_follow_camelCase_and_inner_resources_get_v2_types()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var bytes = File.ReadAllBytes(TestPaths.CorpusFile("config_dump", MapForm2018));

        var sections = RewriteAll(bytes, MapForm2018).ToDictionary(r => r.Entry.MapKey!, r => JsonDocument.Parse(r.After).RootElement);

        var dynamic = Assert.Single(sections["listeners"].GetProperty("dynamicListeners").EnumerateArray());
        Assert.Equal("0.0.0.0_8080", dynamic.GetProperty("name").GetString());
        Assert.Equal(LegacyDumpShapes.ListenerType, dynamic.GetProperty("activeState").GetProperty("listener").GetProperty("@type").GetString());
        Assert.False(sections["listeners"].TryGetProperty("dynamicActiveListeners", out _));
        Assert.Equal(LegacyDumpShapes.ClusterType, sections["clusters"].GetProperty("staticClusters")[0].GetProperty("cluster").GetProperty("@type").GetString());
        Assert.Equal(LegacyDumpShapes.ClusterType, sections["clusters"].GetProperty("dynamicActiveClusters")[0].GetProperty("cluster").GetProperty("@type").GetString());
        Assert.Equal(LegacyDumpShapes.RouteConfigurationType, sections["routes"].GetProperty("staticRouteConfigs")[0].GetProperty("routeConfig").GetProperty("@type").GetString());
        // The section's own type and version are kept.
        Assert.Equal("type.googleapis.com/envoy.admin.v2alpha.ListenersConfigDump", sections["listeners"].GetProperty("@type").GetString());
        Assert.True(sections["listeners"].TryGetProperty("versionInfo", out _));
    }

    [Fact]
    public void Given_an_authored_snake_case_early_dump_When_decoded_Then_every_resource_and_state_appears()
    {
        var snapshot = DecodeText(SnakeCaseEarlyDump, "early.json");

        Assert.Equal(
            [("admin-like", ResourceOrigin.Static, ResourceState.Active), ("old_9090", ResourceOrigin.Dynamic, ResourceState.Draining),
             ("virtual", ResourceOrigin.Dynamic, ResourceState.Active), ("virtual", ResourceOrigin.Dynamic, ResourceState.Warming)],
            snapshot.Listeners.Select(l => (l.Meta.Name, l.Meta.Origin, l.Meta.State)).Order());
        Assert.Contains(snapshot.Listeners, l => l.Meta.Name == "virtual" && l.Meta.State == ResourceState.Warming && l.Meta.VersionInfo == "v8");
        Assert.Contains(snapshot.Listeners, l => l.Meta.Name == "virtual" && l.Meta.State == ResourceState.Active && l.Meta.LastUpdated == new DateTimeOffset(2018, 5, 29, 20, 35, 10, TimeSpan.Zero));

        Assert.Equal(
            [("outbound|80||web", ResourceOrigin.Dynamic, ResourceState.Active), ("outbound|81||api", ResourceOrigin.Dynamic, ResourceState.Warming),
             ("wrapped-untyped", ResourceOrigin.Static, ResourceState.Active), ("xds-grpc", ResourceOrigin.Static, ResourceState.Active)],
            snapshot.Clusters.Select(c => (c.Meta.Name, c.Meta.Origin, c.Meta.State)).Order());
        Assert.Equal("STRICT_DNS", snapshot.FindCluster("xds-grpc")?.Type);

        Assert.Equal(
            [("80", ResourceOrigin.Dynamic), ("static-route", ResourceOrigin.Static)],
            snapshot.RouteConfigs.Select(r => (r.Name, r.Meta.Origin)).Order());
        Assert.Equal("web", Assert.Single(snapshot.FindRouteConfig("80")!.VirtualHosts).Name);

        Assert.Equal(3, snapshot.Diagnostics.Count(d => d.Code == DiagnosticCodes.Interpretation && d.Message.Contains("rewritten to the v3 shape", StringComparison.Ordinal)));
        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Level != DiagnosticLevel.Info);
    }

    [Fact]
    public void Given_an_authored_snake_case_early_dump_When_rewritten_Then_states_of_one_listener_share_an_entry_in_snake_case()
    {
        var listeners = RewriteAll(Encoding.UTF8.GetBytes(SnakeCaseEarlyDump), "early.json").First();

        Assert.NotNull(listeners.Note);
        using var doc = JsonDocument.Parse(listeners.After);
        var dynamic = doc.RootElement.GetProperty("dynamic_listeners").EnumerateArray().ToList();
        Assert.Equal(["virtual", "old_9090"], dynamic.Select(d => d.GetProperty("name").GetString()));
        Assert.True(dynamic[0].TryGetProperty("active_state", out var active));
        Assert.True(dynamic[0].TryGetProperty("warming_state", out var warming));
        Assert.Equal("v7", active.GetProperty("version_info").GetString());
        Assert.Equal("2018-05-29T20:35:10Z", active.GetProperty("last_updated").GetString());
        Assert.Equal("v8", warming.GetProperty("version_info").GetString());
        Assert.True(dynamic[1].TryGetProperty("draining_state", out _));
        var staticListener = Assert.Single(doc.RootElement.GetProperty("static_listeners").EnumerateArray());
        Assert.Equal("admin-like", staticListener.GetProperty("listener").GetProperty("name").GetString());
        Assert.Equal(LegacyDumpShapes.ListenerType, staticListener.GetProperty("listener").GetProperty("@type").GetString());
    }

    [Fact]
    public void Given_sections_already_in_v3_shape_When_rewritten_Then_they_come_back_identical_without_a_note()
    {
        var results = RewriteAll(Encoding.UTF8.GetBytes(V3ShapedDump), "v3.json").ToList();

        Assert.Equal(4, results.Count);
        Assert.All(results, r =>
        {
            Assert.Null(r.Note);
            Assert.True(r.Original.Span.SequenceEqual(r.After.Span));
            Assert.True(r.Original.Equals(r.After), "the original bytes are handed back, not a copy");
        });
        var snapshot = DecodeText(V3ShapedDump, "v3.json");
        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Message.Contains("rewritten to the v3 shape", StringComparison.Ordinal));
        Assert.Equal(["c", "d", "e"], snapshot.Clusters.Select(c => c.Meta.Name).Order());
    }

    [SkippableFact]
    public void Given_every_other_corpus_dump_When_rewritten_Then_no_entry_changes()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var files = Directory.GetFiles(TestPaths.CorpusFile("config_dump"), "*.json")
            .Where(f => Path.GetFileName(f) != MapForm2018)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);

        foreach (var file in files)
        {
            foreach (var r in RewriteAll(File.ReadAllBytes(file), file))
            {
                Assert.Null(r.Note);
                Assert.True(r.Original.Equals(r.After), $"{file} {r.Entry.Pointer} was changed");
            }
        }
    }
}
