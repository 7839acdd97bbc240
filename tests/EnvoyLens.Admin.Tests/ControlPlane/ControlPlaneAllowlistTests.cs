using EnvoyLens.Admin.ControlPlane;
using EnvoyLens.Core;

namespace EnvoyLens.Admin.Tests.ControlPlane;

/// <summary>What the control-plane allowlist admits: the two CSDS methods and the aggregated stream with Istio's two debug types, nothing else.</summary>
public sealed class ControlPlaneAllowlistTests
{
    private const string Status = ControlPlaneAllowlist.StatusService;
    private const string Ads = ControlPlaneAllowlist.AggregatedService;

    public static TheoryData<string, string, string?, string?> Refused() => new()
    {
        { Ads, "DeltaAggregatedResources", null, null },
        { Ads, "DeltaAggregatedResources", "istio.io/debug/syncz", null },
        { Ads, "StreamAggregatedResources", null, null },
        { Ads, "StreamAggregatedResources", "type.googleapis.com/envoy.config.cluster.v3.Cluster", null },
        { Ads, "StreamAggregatedResources", "type.googleapis.com/envoy.config.listener.v3.Listener", null },
        { Ads, "StreamAggregatedResources", "istio.io/debug", "adsz" },
        { Ads, "StreamAggregatedResources", "istio.io/debug/connections", null },
        { Ads, "StreamAggregatedResources", "istio.io/debug/config_dump", null },
        { Ads, "StreamAggregatedResources", "ISTIO.IO/DEBUG/SYNCZ", null },
        { Status, "FetchClientStatus", "istio.io/debug/syncz", null },
        { Status, "fetchclientstatus", null, null },
        { Status, "FetchClientStatus", null, "node\nid" },
        { "envoy.service.cluster.v3.ClusterDiscoveryService", "StreamClusters", null, null },
        { "envoy.service.load_stats.v3.LoadReportingService", "StreamLoadStats", null, null },
        { "envoy.service.health.v3.HealthDiscoveryService", "StreamHealthCheck", null, null },
        { "grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo", null, null },
        { "istio.v1.auth.IstioCertificateService", "CreateCertificate", null, null },
        { Status + "/../" + Ads, "StreamAggregatedResources", "istio.io/debug/syncz", null },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Given_a_call_off_the_allowlist_When_checked_Then_it_is_refused_with_a_reason(string service, string method, string? typeUrl, string? node)
    {
        var call = new ControlPlaneCall(service, method, typeUrl, node);

        Assert.False(ControlPlaneAllowlist.IsAllowed(call, out _, out var reason));
        Assert.NotEmpty(reason);
        var error = Assert.Throws<EnvoyLensException>(() => ControlPlaneAllowlist.Check(call, "http://istiod:15010"));
        Assert.StartsWith($"EnvoyLens refuses to call {call.Display} on http://istiod:15010: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; it only makes the allowlisted read-only status calls.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Status, "FetchClientStatus", null, null, ControlPlaneCallKind.Unary)]
    [InlineData(Status, "FetchClientStatus", null, "sidecar~10.0.0.1~a.b~b.svc.cluster.local", ControlPlaneCallKind.Unary)]
    [InlineData(Status, "StreamClientStatus", null, null, ControlPlaneCallKind.Stream)]
    [InlineData(Ads, "StreamAggregatedResources", "istio.io/debug/syncz", null, ControlPlaneCallKind.Stream)]
    [InlineData(Ads, "StreamAggregatedResources", "istio.io/debug/config_dump", "reviews-v1.default", ControlPlaneCallKind.Stream)]
    public void Given_an_allowlisted_call_When_checked_Then_it_is_allowed_with_its_kind(string service, string method, string? typeUrl, string? node, ControlPlaneCallKind expected)
    {
        Assert.True(ControlPlaneAllowlist.IsAllowed(new ControlPlaneCall(service, method, typeUrl, node), out var kind, out var reason), reason);
        Assert.Equal(expected, kind);
    }

    [Fact]
    public void The_allowlist_is_exactly_the_three_methods_and_the_two_debug_types()
    {
        Assert.Equal(
        [
            "/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources",
            "/envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus",
            "/envoy.service.status.v3.ClientStatusDiscoveryService/StreamClientStatus",
        ], ControlPlaneAllowlist.Paths);
        Assert.Equal(["istio.io/debug/config_dump", "istio.io/debug/syncz"], ControlPlaneAllowlist.TypeUrls);
    }

    [Fact]
    public void Given_a_discovery_request_When_written_Then_its_bytes_are_the_node_the_names_and_the_type_in_field_order()
    {
        var bytes = XdsRequestWriter.DiscoveryRequest("istio.io/debug/config_dump", ["a.b"]);

        // node = 2 { id = 1 }, resource_names = 3, type_url = 4.
        var node = XdsRequestWriter.DebugNodeId;
        byte[] expected =
        [
            0x12, (byte)(node.Length + 2), 0x0a, (byte)node.Length, .. System.Text.Encoding.ASCII.GetBytes(node),
            0x1a, 3, .. "a.b"u8.ToArray(),
            0x22, 26, .. "istio.io/debug/config_dump"u8.ToArray(),
        ];
        Assert.Equal(expected, bytes);
        Assert.Empty(XdsRequestWriter.ClientStatusRequest(null));
        Assert.Equal([0x0a, 5, 0x0a, 3, 0x0a, 1, (byte)'n'], XdsRequestWriter.ClientStatusRequest("n"));
    }
}
