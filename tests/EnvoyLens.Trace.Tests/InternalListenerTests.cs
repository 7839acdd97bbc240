using EnvoyLens.Model;

namespace EnvoyLens.Trace.Tests;

/// <summary>A cluster whose endpoint is an <c>envoy_internal_address</c> hands the connection to that internal listener: the trace goes on there, and stops on a loop.</summary>
public sealed class InternalListenerTests
{
    private static string Waypoint(string cluster) =>
        Dumps.J("{'name':'waypoint','internal_listener':{},'filter_chains':[{'filters':[{'name':'envoy.filters.network.tcp_proxy','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy','stat_prefix':'w','cluster':'" + cluster + "'}}]}]}");

    private static string InternalEndpoint(string cluster, string listener) =>
        Dumps.J("{'cluster_name':'" + cluster + "','endpoints':[{'lb_endpoints':[{'endpoint':{'address':{'envoy_internal_address':{'server_listener_name':'" + listener + "'}}},'health_status':'HEALTHY'}]}]}");

    private static EnvoySnapshot Dump(string waypointCluster, string internalListener = "waypoint") => Dumps.Decode(Dumps.ConfigDump(
        listeners: [Dumps.HttpListener(8080, "web"), Waypoint(waypointCluster)],
        routes: [Dumps.RouteConfig("web", Dumps.VirtualHost("any", ["*"], "to-waypoint"))],
        clusters: [Dumps.EdsCluster("to-waypoint"), Dumps.EdsCluster("backend")],
        endpoints: [InternalEndpoint("to-waypoint", internalListener), Dumps.Endpoints("backend", ("10.0.0.5", "HEALTHY"))]));

    private static TraceResult Trace(EnvoySnapshot snapshot) => new RequestTracer(snapshot).Trace(TraceRequest.For("http://web.example:8080/"));

    [Fact]
    public void Given_a_cluster_whose_endpoint_is_an_internal_listener_When_traced_Then_the_trace_continues_into_it_to_the_backend()
    {
        var result = Trace(Dump("backend"));

        var handOff = Assert.Single(result.Hops, h => h.Kind == HopKind.Listener && h.Name == "waypoint");
        Assert.Equal(HopStatus.Matched, handOff.Status);
        Assert.StartsWith("The endpoint of cluster to-waypoint is the internal listener waypoint (envoy_internal_address)", handOff.Why, StringComparison.Ordinal);
        var after = result.Hops.SkipWhile(h => h != handOff).Skip(1).Select(h => h.Kind).ToList();
        Assert.Equal([HopKind.FilterChain, HopKind.NetworkFilter, HopKind.Cluster, HopKind.Endpoints, HopKind.UpstreamTls], after);
        Assert.Equal(TraceOutcome.Forwarded, result.Verdict.Outcome);
        Assert.Equal("backend", result.Verdict.Cluster);
    }

    [Fact]
    public void Given_an_internal_listener_that_sends_back_to_its_own_cluster_When_traced_Then_the_loop_stops_with_a_sentence()
    {
        var result = Trace(Dump("to-waypoint"));

        var last = result.Hops[^1];
        Assert.Equal(HopKind.Listener, last.Kind);
        Assert.Equal(HopStatus.Stopped, last.Status);
        Assert.Contains("which this connection has already passed through: the internal hand-offs loop", last.Why, StringComparison.Ordinal);
        Assert.Equal(2, result.Hops.Count(h => h.Kind == HopKind.Listener && h.Name == "waypoint"));
        Assert.Equal(TraceOutcome.Stopped, result.Verdict.Outcome);
        Assert.StartsWith("The connection loops through internal listener waypoint", result.Verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_internal_address_naming_a_missing_listener_When_traced_Then_it_stops_with_UF()
    {
        var result = Trace(Dump("backend", internalListener: "nowhere"));

        Assert.Equal(TraceOutcome.Stopped, result.Verdict.Outcome);
        Assert.Equal("UF", result.Verdict.ResponseFlag);
        Assert.Contains("internal listener nowhere, which is not in the capture", result.Hops[^1].Why, StringComparison.Ordinal);
    }
}
