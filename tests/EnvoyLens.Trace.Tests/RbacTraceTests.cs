using EnvoyLens.Model;

namespace EnvoyLens.Trace.Tests;

/// <summary>RBAC filters with policies, evaluated as far as the request determines them.</summary>
public sealed class RbacTraceTests
{
    private const string Reviews = "spiffe://cluster.local/ns/default/sa/reviews";

    private static TraceResult Trace(EnvoySnapshot snapshot, string target, Func<TraceRequest, TraceRequest>? with = null)
    {
        var request = TraceRequest.For(target);
        return new RequestTracer(snapshot).Trace(with?.Invoke(request) ?? request);
    }

    /// <summary>An HTTP listener on 8080 whose HTTP RBAC filter has <paramref name="rules"/> (and optional shadow rules).</summary>
    private static EnvoySnapshot HttpRbac(string rules, string? shadow = null)
    {
        var rbac = Dumps.J("{'name':'envoy.filters.http.rbac','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC','rules':" + rules +
            (shadow is null ? string.Empty : ",'shadow_rules':" + shadow) + "}},");
        return Dumps.Decode(Dumps.ConfigDump(
            listeners: [Dumps.HttpListener(8080, "web", rbac)],
            routes: [Dumps.RouteConfig("web", Dumps.VirtualHost("web", ["*"], "c"))],
            clusters: [Dumps.EdsCluster("c")],
            endpoints: [Dumps.Endpoints("c", ("10.0.0.1", "HEALTHY"))]));
    }

    private const string AllowReviewsGet = """
        {'action':'ALLOW','policies':{
          'reviews-get':{'permissions':[{'and_rules':{'rules':[{'header':{'name':':method','string_match':{'exact':'GET'}}},{'url_path':{'path':{'prefix':'/ratings/'}}}]}}],
                         'principals':[{'authenticated':{'principal_name':{'exact':'spiffe://cluster.local/ns/default/sa/reviews'}}}]}}}
        """;

    [Fact]
    public void Given_an_allow_policy_for_one_principal_When_another_principal_calls_Then_it_is_denied_with_the_rbac_flag()
    {
        var result = Trace(HttpRbac(Dumps.J(AllowReviewsGet)), "http://web:8080/ratings/0", r => r with { SourcePrincipal = "spiffe://cluster.local/ns/default/sa/productpage" });

        Assert.Equal(TraceOutcome.Stopped, result.Verdict.Outcome);
        Assert.Equal("rbac_access_denied_matched_policy[none]", result.Verdict.ResponseFlag);
        Assert.Equal(403u, result.Verdict.Status);
        var hop = result.Hops[^1];
        Assert.Equal(HopStatus.Stopped, hop.Status);
        Assert.Contains("policy reviews-get: no principal matches the peer", hop.Details);
    }

    [Fact]
    public void Given_an_allow_policy_When_its_principal_calls_with_a_matching_method_and_path_Then_it_passes_and_the_request_is_forwarded()
    {
        var result = Trace(HttpRbac(Dumps.J(AllowReviewsGet)), "http://web:8080/ratings/0", r => r with { SourcePrincipal = Reviews });

        Assert.Equal(TraceOutcome.Forwarded, result.Verdict.Outcome);
        var hop = result.Hops.Single(h => h.Kind == HopKind.HttpFilter);
        Assert.Equal(HopStatus.Matched, hop.Status);
        Assert.Contains("policy reviews-get matches", hop.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_allow_policy_When_the_permission_does_not_match_Then_it_is_denied_even_without_a_principal()
    {
        var post = Trace(HttpRbac(Dumps.J(AllowReviewsGet)), "http://web:8080/ratings/0", r => r with { Method = "POST" });
        var path = Trace(HttpRbac(Dumps.J(AllowReviewsGet)), "http://web:8080/details/0", r => r with { SourcePrincipal = Reviews });

        Assert.Equal("rbac_access_denied_matched_policy[none]", post.Verdict.ResponseFlag);
        Assert.Contains("policy reviews-get: no permission matches the request", post.Hops[^1].Details);
        Assert.Equal("rbac_access_denied_matched_policy[none]", path.Verdict.ResponseFlag);
    }

    [Fact]
    public void Given_an_allow_policy_on_a_principal_When_the_principal_is_unknown_Then_the_policy_is_unknown_and_the_trace_goes_on()
    {
        var result = Trace(HttpRbac(Dumps.J(AllowReviewsGet)), "http://web:8080/ratings/0");

        Assert.Equal(TraceOutcome.Forwarded, result.Verdict.Outcome);
        var hop = result.Hops.Single(h => h.Kind == HopKind.HttpFilter);
        Assert.Equal(HopStatus.NotEvaluated, hop.Status);
        Assert.Contains(hop.Details, d => d.StartsWith("policy reviews-get: unknown", StringComparison.Ordinal) && d.Contains("--source-principal", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_deny_policy_on_a_source_range_and_a_header_When_the_request_matches_Then_it_stops_naming_the_policy()
    {
        var rules = Dumps.J("""
            {'action':'DENY','policies':{
              'block-office':{'permissions':[{'any':true}],'principals':[{'remote_ip':{'address_prefix':'192.168.0.0','prefix_len':16}}]},
              'block-tester':{'permissions':[{'destination_port':8080}],'principals':[{'header':{'name':'x-user','string_match':{'exact':'tester'}}}]}}}
            """);
        var snapshot = HttpRbac(rules);

        var office = Trace(snapshot, "http://web:8080/", r => r with { SourceIp = "192.168.4.5" });
        var tester = Trace(snapshot, "http://web:8080/", r => r with { SourceIp = "10.0.0.9", Headers = [new("x-user", "tester")] });
        var other = Trace(snapshot, "http://web:8080/", r => r with { SourceIp = "10.0.0.9", Headers = [new("x-user", "alice")] });
        var unknownSource = Trace(snapshot, "http://web:8080/", r => r with { Headers = [new("x-user", "alice")] });

        Assert.Equal("rbac_access_denied_matched_policy[block-office]", office.Verdict.ResponseFlag);
        Assert.Equal("rbac_access_denied_matched_policy[block-tester]", tester.Verdict.ResponseFlag);
        Assert.Equal(TraceOutcome.Forwarded, other.Verdict.Outcome);
        Assert.Equal(HopStatus.Matched, other.Hops.Single(h => h.Kind == HopKind.HttpFilter).Status);
        Assert.Equal(TraceOutcome.Forwarded, unknownSource.Verdict.Outcome);
        var unknownHop = unknownSource.Hops.Single(h => h.Kind == HopKind.HttpFilter);
        Assert.Equal(HopStatus.NotEvaluated, unknownHop.Status);
        Assert.Contains(unknownHop.Details, d => d.StartsWith("policy block-office: unknown", StringComparison.Ordinal) && d.Contains("--source", StringComparison.Ordinal));
        Assert.Contains("policy block-tester: no principal matches the peer", unknownHop.Details);
    }

    [Fact]
    public void Given_shadow_rules_that_would_deny_When_traced_Then_they_are_reported_and_the_request_passes()
    {
        var shadow = Dumps.J("{'action':'DENY','policies':{'all':{'permissions':[{'any':true}],'principals':[{'any':true}]}}}");
        var result = Trace(HttpRbac(Dumps.J("{'action':'DENY'}"), shadow), "http://web:8080/");

        Assert.Equal(TraceOutcome.Forwarded, result.Verdict.Outcome);
        Assert.Contains(result.Hops, h => h.Kind == HopKind.HttpFilter && h.Why.Contains("would deny it (policy all)", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_network_rbac_with_not_id_and_port_When_the_principal_is_excluded_Then_the_connection_is_closed()
    {
        var rbac = Dumps.J("""
            {'name':'envoy.filters.network.rbac','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC','stat_prefix':'r','rules':{'action':'ALLOW','policies':{
              'not-reviews':{'permissions':[{'destination_port':9080}],'principals':[{'not_id':{'authenticated':{'principal_name':{'suffix':'/sa/reviews'}}}}]}}}}},
            """);
        var listener = Dumps.J("{'name':'tcp','address':{'socket_address':{'address':'0.0.0.0','port_value':9080}},'filter_chains':[{'filters':[" + rbac +
            "{'name':'envoy.filters.network.tcp_proxy','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy','stat_prefix':'t','cluster':'c'}}]}]}");
        var snapshot = Dumps.Decode(Dumps.ConfigDump(listeners: [listener], clusters: [Dumps.EdsCluster("c")], endpoints: [Dumps.Endpoints("c", ("10.0.0.1", "HEALTHY"))]));

        var reviews = Trace(snapshot, "tcp://10.1.2.3:9080", r => r with { SourcePrincipal = Reviews });
        var other = Trace(snapshot, "tcp://10.1.2.3:9080", r => r with { SourcePrincipal = "spiffe://cluster.local/ns/default/sa/details" });

        Assert.Equal("rbac_access_denied_matched_policy[none]", reviews.Verdict.ResponseFlag);
        Assert.Null(reviews.Verdict.Status);
        Assert.Equal(TraceOutcome.Forwarded, other.Verdict.Outcome);
    }

    [Fact]
    public void Given_rule_sets_When_asked_whether_they_deny_everyone_Then_only_those_no_peer_or_request_can_pass_are()
    {
        static RbacConfig Rules(string rules) => HttpRbac(Dumps.J(rules)).Listeners[0].FilterChains[0].Filters[0].HttpConnectionManager!.HttpFilters[0].Rbac[0];

        Assert.True(RequestTracer.DeniesEveryone(Rules("{'action':'ALLOW'}")));
        Assert.True(RequestTracer.DeniesEveryone(Rules("{'action':'ALLOW','policies':{'nobody':{'permissions':[{'any':true}],'principals':[{'not_id':{'any':true}}]}}}")));
        Assert.True(RequestTracer.DeniesEveryone(Rules("{'action':'DENY','policies':{'all':{'permissions':[{'any':true}],'principals':[{'any':true}]}}}")));
        Assert.False(RequestTracer.DeniesEveryone(Rules(AllowReviewsGet)));
        Assert.False(RequestTracer.DeniesEveryone(Rules("{'action':'DENY','policies':{'office':{'permissions':[{'any':true}],'principals':[{'remote_ip':{'address_prefix':'192.168.0.0','prefix_len':16}}]}}}")));
        Assert.False(RequestTracer.DeniesEveryone(Rules("{'action':'DENY'}")));
    }

    [Fact]
    public void Given_clusters_When_judged_alone_Then_missing_is_NC_without_usable_endpoints_is_UH_and_healthy_is_forwarded()
    {
        var snapshot = Dumps.Decode(Dumps.ConfigDump(
            clusters: [Dumps.EdsCluster("up"), Dumps.EdsCluster("down")],
            endpoints: [Dumps.Endpoints("up", ("10.0.0.1", "HEALTHY")), Dumps.Endpoints("down", ("10.0.0.2", "UNHEALTHY"))]));
        var tracer = new RequestTracer(snapshot);

        Assert.Equal(TraceOutcome.Forwarded, tracer.Upstream("up").Outcome);
        Assert.Equal("UH", tracer.Upstream("down").ResponseFlag);
        Assert.Equal("NC", tracer.Upstream("gone").ResponseFlag);
    }
}
