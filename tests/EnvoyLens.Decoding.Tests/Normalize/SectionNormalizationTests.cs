using EnvoyLens.Core;
using EnvoyLens.Model;
using Google.Protobuf.WellKnownTypes;
using static EnvoyLens.Decoding.Tests.Normalize.NormalizeHarness;
using AdminV3 = Envoy.Admin.V3;

namespace EnvoyLens.Decoding.Tests.Normalize;

public sealed class SectionNormalizationTests
{
    [Fact]
    public void GivenASectionAnyOfAnUnknownType_ThenItIsSummarizedRawAndReportedAsUnknownSection()
    {
        var legacy = new Any { TypeUrl = "type.googleapis.com/envoy.admin.v2alpha.SomethingNobodyMapped" };
        var clusters = Parse<AdminV3.ClustersConfigDump>("""{ "static_clusters": [ { "cluster": { "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "c" } } ] }""");

        var result = Run(legacy, clusters);

        Assert.Equal(2, result.Config.Sections.Count);
        var raw = result.Config.Sections[0];
        Assert.Equal("type.googleapis.com/envoy.admin.v2alpha.SomethingNobodyMapped", raw.TypeUrl);
        Assert.Equal((0, 1), (raw.Typed, raw.Raw));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownSection, diagnostic.Code);
        Assert.Equal("/configs/0", diagnostic.Pointer.Value);
        Assert.Equal(Source, diagnostic.Source);
        Assert.Equal("c", Assert.Single(result.Config.Clusters).Name);
    }

    [Fact]
    public void GivenAKnownMessageThatIsNotADumpSection_ThenItIsAnUnknownSection()
    {
        var result = Run(new AdminV3.ServerInfo { Version = "x" });

        Assert.Equal("type.googleapis.com/envoy.admin.v3.ServerInfo", Assert.Single(result.Config.Sections).TypeUrl);
        Assert.Equal(DiagnosticCodes.UnknownSection, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void GivenScopedRoutes_ThenTheyAreCountedByState()
    {
        var scoped = Parse<AdminV3.ScopedRoutesConfigDump>("""
        {
          "inline_scoped_route_configs": [ { "name": "inline", "scoped_route_configs": [
            { "@type": "type.googleapis.com/envoy.config.route.v3.ScopedRouteConfiguration", "name": "s1", "route_configuration_name": "r1" } ] } ],
          "dynamic_scoped_route_configs": [ { "name": "dyn", "scoped_route_configs": [
            { "@type": "type.googleapis.com/envoy.config.route.v3.ScopedRouteConfiguration", "name": "s2", "route_configuration_name": "r2" },
            { "@type": "type.googleapis.com/envoy.config.route.v3.ScopedRouteConfiguration", "name": "s3", "route_configuration_name": "r3" } ] } ]
        }
        """);

        var section = Assert.Single(Run(scoped).Config.Sections);

        Assert.Equal(1, section.Counts["ScopedRoute:Static"]);
        Assert.Equal(2, section.Counts["ScopedRoute:Active"]);
        Assert.Equal((3, 0), (section.Typed, section.Raw));
    }

    [Fact]
    public void GivenAnEntryWithOnlyAClientStatus_ThenItIsCountedUnderThatStatusAndNoResourceIsInvented()
    {
        var dump = Parse<AdminV3.ClustersConfigDump>("""{ "dynamic_active_clusters": [ { "client_status": "DOES_NOT_EXIST" } ] }""");

        var result = Run(dump);

        Assert.Empty(result.Config.Clusters);
        Assert.Equal(1, Assert.Single(result.Config.Sections).Counts["Cluster:DOES_NOT_EXIST"]);
        Assert.Equal(DiagnosticLevel.Info, Assert.Single(result.Diagnostics).Level);
    }

    [Fact]
    public void GivenARejectedEntryWithItsFailedConfiguration_ThenTheRejectedResourceIsThatConfiguration()
    {
        var dump = Parse<AdminV3.ClustersConfigDump>("""
        { "dynamic_active_clusters": [ { "error_state": {
            "details": "cluster: unknown field",
            "failed_configuration": { "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "bad-cluster", "type": "STRICT_DNS" } } } ] }
        """);

        var cluster = Assert.Single(Run(dump).Config.Clusters);

        Assert.Equal("bad-cluster", cluster.Name);
        Assert.Equal(ResourceState.Rejected, cluster.Meta.State);
        Assert.Equal("STRICT_DNS", cluster.Type);
        Assert.Equal("/configs/0/dynamic_active_clusters/0/error_state/failed_configuration", cluster.Meta.Pointer.Value);
        Assert.Equal("cluster: unknown field", cluster.Meta.Error!.Details);
    }

    [Fact]
    public void GivenAnActiveListenerWithAnErrorState_ThenTheActiveItemCarriesTheLastRejectedUpdate()
    {
        var dump = Parse<AdminV3.ListenersConfigDump>("""
        { "dynamic_listeners": [ { "name": "l",
            "active_state": { "version_info": "1", "listener": { "@type": "type.googleapis.com/envoy.config.listener.v3.Listener", "name": "l" } },
            "error_state": { "details": "rejected v2", "version_info": "2" } } ] }
        """);

        var listener = Assert.Single(Run(dump).Config.Listeners);

        Assert.Equal(ResourceState.Active, listener.Meta.State);
        Assert.Equal("1", listener.Meta.VersionInfo);
        Assert.Equal("2", listener.Meta.Error!.VersionInfo);
    }

    [Fact]
    public void GivenTrackedTypes_ThenTheResourceMessagesAreAmongThem()
    {
        var tracked = EnvoyLens.Decoding.Normalize.ConfigDumpNormalizer.TrackedTypes;

        Assert.Contains("envoy.config.listener.v3.Listener", tracked);
        Assert.Contains("envoy.config.cluster.v3.Cluster", tracked);
        Assert.Contains("envoy.config.route.v3.RouteConfiguration", tracked);
        Assert.Contains("envoy.extensions.transport_sockets.tls.v3.Secret", tracked);
        Assert.Contains("envoy.config.endpoint.v3.ClusterLoadAssignment", tracked);
    }
}
