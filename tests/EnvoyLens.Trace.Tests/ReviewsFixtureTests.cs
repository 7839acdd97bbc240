using EnvoyLens.TestKit;

namespace EnvoyLens.Trace.Tests;

/// <summary>The bundled Istio reviews-v1 sidecar capture (fixtures/snapshots/reviews).</summary>
public sealed class ReviewsFixtureTests
{
    private static readonly Lazy<Model.EnvoySnapshot> Reviews = new(Dumps.Reviews);

    private static TraceResult Trace(string target, Func<TraceRequest, TraceRequest>? with = null)
    {
        var request = TraceRequest.For(target);
        return new RequestTracer(Reviews.Value).Trace(with?.Invoke(request) ?? request);
    }

    [Fact]
    public void Given_the_ratings_url_When_traced_Then_it_reaches_the_ratings_v1_cluster_through_the_vip_listener_with_a_healthy_endpoint()
    {
        var result = Trace("http://ratings.default.svc.cluster.local:9080/ratings/0");

        Assert.Equal(TraceOutcome.Forwarded, result.Verdict.Outcome);
        Assert.Equal("outbound|9080|v1|ratings.default.svc.cluster.local", result.Verdict.Cluster);
        Assert.Equal("10.96.121.33", result.DestinationAddress);
        Assert.Equal(
            ["0.0.0.0_15001", "10.96.121.33_9080"],
            result.Hops.Where(h => h.Kind == HopKind.Listener).Select(h => h.Name));
        Assert.Equal("ratings.default.svc.cluster.local:9080", result.Hops.Single(h => h.Kind == HopKind.RouteConfig).Name);
        var endpoints = result.Hops.Single(h => h.Kind == HopKind.Endpoints);
        Assert.Contains(endpoints.Details, d => d.Contains("10.244.1.14:9080 HEALTHY", StringComparison.Ordinal));
        var tls = result.Hops.Single(h => h.Kind == HopKind.UpstreamTls);
        Assert.Contains("SNI: outbound_.9080_.v1_.ratings.default.svc.cluster.local", tls.Details);
        Assert.Contains(tls.Details, d => d.Contains("spiffe://cluster.local/ns/default/sa/bookinfo-ratings", StringComparison.Ordinal));
        Assert.All(result.Hops, h => Assert.False(h.Pointer.IsRoot, h.Kind + " " + h.Name + " has no pointer"));
    }

    [Fact]
    public void Given_the_short_service_name_When_traced_Then_the_vip_comes_from_the_virtual_host_domains_and_the_wildcard_listener_routes_it()
    {
        var result = Trace("http://ratings:9080/ratings/0");

        Assert.Equal("10.96.121.33", result.DestinationAddress);
        Assert.Contains("virtual host ratings.default.svc.cluster.local:9080", result.AddressSource, StringComparison.Ordinal);
        Assert.Equal("outbound|9080|v1|ratings.default.svc.cluster.local", result.Verdict.Cluster);
    }

    [Fact]
    public void Given_a_host_no_virtual_host_serves_When_sent_to_the_ratings_vip_Then_it_stops_at_the_virtual_host_with_NR()
    {
        var result = Trace("http://nosuch.example:9080/", r => r with { Address = "10.96.121.33" });

        Assert.Equal(TraceOutcome.Stopped, result.Verdict.Outcome);
        Assert.Equal("NR", result.Verdict.ResponseFlag);
        Assert.Equal(404u, result.Verdict.Status);
        Assert.Equal(HopKind.VirtualHost, result.Hops[^1].Kind);
        Assert.Equal("given with --address", result.AddressSource);
    }

    [Fact]
    public void Given_the_reviews_service_When_traced_Then_the_weighted_route_shows_both_shares_and_follows_the_larger()
    {
        var result = Trace("http://reviews:9080/");

        var route = result.Hops.Single(h => h.Kind == HopKind.Route);
        Assert.Contains("weighted clusters: outbound|9080|v1|reviews.default.svc.cluster.local 80%, outbound|9080|v2|reviews.default.svc.cluster.local 20%", route.Details);
        Assert.Equal("outbound|9080|v1|reviews.default.svc.cluster.local", result.Verdict.Cluster);
    }

    [Fact]
    public void Given_an_inbound_request_When_traced_Then_the_virtual_inbound_plaintext_or_mtls_chain_for_the_port_is_chosen()
    {
        var result = Trace("http://reviews:9080/reviews/1", r => r with { Inbound = true });

        Assert.Equal("0.0.0.0_15006", result.Hops[0].Name);
        var chain = result.Hops.Single(h => h.Kind == HopKind.FilterChain);
        Assert.Equal("inbound|9080||", chain.Name);
        Assert.Contains("transport_protocol tls", chain.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_unknown_ip_on_an_unserved_port_When_traced_Then_the_virtual_outbound_passthrough_chain_takes_it()
    {
        var result = Trace("tcp://203.0.113.9:5432");

        Assert.Equal("0.0.0.0_15001", result.Hops[0].Name);
        Assert.Equal("PassthroughFilterChain", result.Hops.Single(h => h.Kind == HopKind.FilterChain).Name);
        Assert.Equal("PassthroughCluster", result.Verdict.Cluster);
        Assert.Equal(TraceOutcome.Forwarded, result.Verdict.Outcome);
    }
}

/// <summary>istioctl's own describe test data, read in place from the shared corpus.</summary>
public sealed class IstioDescribeCorpusTests
{
    private const string ProductPage = "outbound|9080||productpage.default.svc.cluster.local";

    [SkippableTheory]
    [InlineData("istio-describe-http-config.json", "http.8080")]
    [InlineData("istio-describe-tls-routes.json", "https.443.https.bookinfo-gateway.default")]
    public void Given_istioctls_describe_dumps_When_productpage_is_traced_from_the_gateway_route_Then_the_route_names_the_productpage_cluster(string file, string routeConfig)
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus is not present.");
        var snapshot = Dumps.DecodeFile(TestPaths.CorpusFile("config_dump", file));

        var result = new RequestTracer(snapshot).Trace(TraceRequest.For("http://bookinfo.example/productpage") with { RouteConfigName = routeConfig });

        var route = result.Hops.Single(h => h.Kind == HopKind.Route);
        Assert.Equal(HopStatus.Matched, route.Status);
        Assert.EndsWith("sends to cluster " + ProductPage + ".", route.Why, StringComparison.Ordinal);
        Assert.Equal(ProductPage, result.Hops[^1].Name);
        Assert.NotEqual(TraceOutcome.Forwarded, result.Verdict.Outcome);
    }
}
