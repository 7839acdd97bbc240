using EnvoyLens.Model;

namespace EnvoyLens.Trace.Tests;

/// <summary>Envoy's precedence rules, each on a small authored dump: the hop that must win, and the rule that would have lost.</summary>
public sealed class PrecedenceTests
{
    private static TraceResult Trace(EnvoySnapshot snapshot, string target, Func<TraceRequest, TraceRequest>? with = null)
    {
        var request = TraceRequest.For(target);
        return new RequestTracer(snapshot).Trace(with?.Invoke(request) ?? request);
    }

    private static TraceHop Hop(TraceResult result, HopKind kind) => result.Hops.Last(h => h.Kind == kind);

    private static EnvoySnapshot DomainsDump() => Dumps.Decode(Dumps.ConfigDump(
        listeners: [Dumps.HttpListener(80, "web")],
        routes: [Dumps.RouteConfig("web",
            Dumps.VirtualHost("any", ["*"], "c-any"),
            Dumps.VirtualHost("prefix", ["api.*"], "c-prefix"),
            Dumps.VirtualHost("suffix-short", ["*.example.com"], "c-suffix"),
            Dumps.VirtualHost("suffix-long", ["*.a.example.com"], "c-suffix-long"),
            Dumps.VirtualHost("exact", ["api.example.com", "api.example.com:8080"], "c-exact"))],
        clusters: [Dumps.EdsCluster("c-any"), Dumps.EdsCluster("c-prefix"), Dumps.EdsCluster("c-suffix"), Dumps.EdsCluster("c-suffix-long"), Dumps.EdsCluster("c-exact")],
        endpoints: [Dumps.Endpoints("c-exact", ("10.0.0.1", "HEALTHY"))]));

    [Theory]
    [InlineData("http://api.example.com/", "exact")]
    [InlineData("http://www.example.com/", "suffix-short")]
    [InlineData("http://b.a.example.com/", "suffix-long")]
    [InlineData("http://api.internal/", "prefix")]
    [InlineData("http://other.test/", "any")]
    public void Given_exact_suffix_prefix_and_star_domains_When_a_host_is_traced_Then_Envoys_domain_order_picks_the_virtual_host(string target, string expected)
    {
        var result = Trace(DomainsDump(), target);

        var vh = Hop(result, HopKind.VirtualHost);
        Assert.Equal(HopStatus.Matched, vh.Status);
        Assert.Equal(expected, vh.Name);
    }

    [Fact]
    public void Given_a_host_header_with_a_port_When_the_domains_list_the_host_with_that_port_Then_the_exact_host_port_domain_matches()
    {
        var result = Trace(DomainsDump(), "http://api.example.com/", r => r with { Headers = [new(":authority", "api.example.com:8080")] });

        Assert.Contains("'api.example.com:8080' is the host exactly", Hop(result, HopKind.VirtualHost).Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_host_header_with_a_port_When_the_port_is_not_ignored_Then_a_suffix_domain_without_port_does_not_match()
    {
        var result = Trace(DomainsDump(), "http://www.example.com/", r => r with { Headers = [new("host", "www.example.com:8080")] });

        var vh = Hop(result, HopKind.VirtualHost);
        Assert.Equal("any", vh.Name);
        Assert.Contains("'www.example.com:8080'", vh.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_host_header_override_When_traced_Then_the_header_not_the_url_chooses_the_virtual_host()
    {
        var result = Trace(DomainsDump(), "http://10.1.1.1/", r => r with { Headers = [new("Host", "www.example.com")] });

        Assert.Equal("suffix-short", Hop(result, HopKind.VirtualHost).Name);
    }

    private static EnvoySnapshot RoutesDump() => Dumps.Decode(Dumps.ConfigDump(
        listeners: [Dumps.HttpListener(8080, "web")],
        routes: [Dumps.RouteConfig("web", """
            {"name":"web","domains":["*"],"routes":[
              {"name":"canary-off","match":{"prefix":"/api","headers":[{"name":"x-canary","string_match":{"exact":"true"},"invert_match":true}]},"route":{"cluster":"stable"}},
              {"name":"canary","match":{"prefix":"/api","headers":[{"name":"x-canary","string_match":{"exact":"true"}}]},"route":{"cluster":"canary"}},
              {"name":"catch-all","match":{"prefix":"/"},"route":{"cluster":"stable","prefix_rewrite":"/v2/"}},
              {"name":"never","match":{"path":"/api/x"},"route":{"cluster":"canary"}},
              {"name":"regex","match":{"safe_regex":{"regex":"/r/[0-9]+"}},"route":{"cluster":"canary"}}
            ]}
            """)],
        clusters: [Dumps.EdsCluster("stable"), Dumps.EdsCluster("canary")],
        endpoints: [Dumps.Endpoints("stable", ("10.0.0.1", "HEALTHY")), Dumps.Endpoints("canary", ("10.0.0.2", "UNKNOWN"))]));

    [Fact]
    public void Given_a_header_matcher_with_invert_match_When_the_header_has_another_value_Then_the_inverted_route_matches()
    {
        var result = Trace(RoutesDump(), "http://web:8080/api/x", r => r with { Headers = [new("x-canary", "false")] });

        Assert.Equal("canary-off", Hop(result, HopKind.Route).Name);
        Assert.Equal(TraceOutcome.Forwarded, result.Verdict.Outcome);
        Assert.Equal("stable", result.Verdict.Cluster);
    }

    [Fact]
    public void Given_a_header_matcher_with_invert_match_When_the_header_has_the_matched_value_Then_the_next_route_wins()
    {
        var result = Trace(RoutesDump(), "http://web:8080/api/x", r => r with { Headers = [new("x-canary", "true")] });

        var route = Hop(result, HopKind.Route);
        Assert.Equal("canary", route.Name);
        Assert.Contains(route.Candidates, c => c.Name == "canary-off" && c.WhyNot.Contains("inverted", StringComparison.Ordinal));
        Assert.Equal("canary", result.Verdict.Cluster);
    }

    [Fact]
    public void Given_an_inverted_header_matcher_When_the_header_is_absent_Then_it_does_not_match()
    {
        var result = Trace(RoutesDump(), "http://web:8080/api/x");

        Assert.Equal("catch-all", Hop(result, HopKind.Route).Name);
    }

    [Fact]
    public void Given_a_catch_all_before_a_more_specific_path_When_traced_Then_the_first_matching_route_in_order_wins()
    {
        var result = Trace(RoutesDump(), "http://web:8080/other");

        var route = Hop(result, HopKind.Route);
        Assert.Equal("catch-all", route.Name);
        Assert.Contains("path rewritten to: /v2/other", route.Details);
    }

    [Fact]
    public void Given_a_safe_regex_route_When_the_path_only_partly_matches_Then_it_does_not_match()
    {
        var regex = Dumps.Decode(Dumps.ConfigDump(
            listeners: [Dumps.HttpListener(8080, "web")],
            routes: [Dumps.RouteConfig("web", """{"name":"web","domains":["*"],"routes":[{"name":"regex","match":{"safe_regex":{"regex":"/r/[0-9]+"}},"route":{"cluster":"c"}}]}""")],
            clusters: [Dumps.EdsCluster("c")],
            endpoints: [Dumps.Endpoints("c", ("10.0.0.1", "HEALTHY"))]));

        Assert.Equal(TraceOutcome.Forwarded, Trace(regex, "http://web:8080/r/42").Verdict.Outcome);
        var partial = Trace(regex, "http://web:8080/r/42/x");
        Assert.Equal("NR", partial.Verdict.ResponseFlag);
        Assert.Equal(HopStatus.Stopped, Hop(partial, HopKind.Route).Status);
    }

    private static string ChainListener(string chains) =>
        Dumps.J("{'name':'chains','address':{'socket_address':{'address':'0.0.0.0','port_value':9080}},'filter_chains':[") + chains + "]}";

    private static string Chain(string name, string match, string cluster) =>
        Dumps.J("{'name':'" + name + "','filter_chain_match':{") + match + Dumps.J("},'filters':[{'name':'envoy.filters.network.tcp_proxy','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy','stat_prefix':'t','cluster':'" + cluster + "'}}]}");

    private static EnvoySnapshot ChainsDump(params string[] chains) => Dumps.Decode(Dumps.ConfigDump(
        listeners: [ChainListener(string.Join(",", chains))],
        clusters: [Dumps.EdsCluster("a"), Dumps.EdsCluster("b"), Dumps.EdsCluster("c")],
        endpoints: [Dumps.Endpoints("a", ("10.0.0.1", "HEALTHY")), Dumps.Endpoints("b", ("10.0.0.2", "HEALTHY")), Dumps.Endpoints("c", ("10.0.0.3", "HEALTHY"))]));

    [Fact]
    public void Given_a_chain_matching_the_port_and_a_chain_matching_the_ip_prefix_When_traced_Then_the_destination_port_decides_first()
    {
        var snapshot = ChainsDump(
            Chain("by-prefix", "\"prefix_ranges\":[{\"address_prefix\":\"10.1.0.0\",\"prefix_len\":16}]", "b"),
            Chain("by-port", "\"destination_port\":9080", "a"));

        var result = Trace(snapshot, "tcp://10.1.2.3:9080");

        var chain = Hop(result, HopKind.FilterChain);
        Assert.Equal("by-port", chain.Name);
        Assert.Contains(chain.Candidates, c => c.Name == "by-prefix");
        Assert.Equal("a", result.Verdict.Cluster);
    }

    [Fact]
    public void Given_two_prefix_ranges_containing_the_destination_When_traced_Then_the_longest_prefix_wins()
    {
        var snapshot = ChainsDump(
            Chain("wide", "\"prefix_ranges\":[{\"address_prefix\":\"10.0.0.0\",\"prefix_len\":8}]", "a"),
            Chain("narrow", "\"prefix_ranges\":[{\"address_prefix\":\"10.1.0.0\",\"prefix_len\":16}]", "b"),
            Chain("other", "\"prefix_ranges\":[{\"address_prefix\":\"192.168.0.0\",\"prefix_len\":16}]", "c"));

        Assert.Equal("narrow", Hop(Trace(snapshot, "tcp://10.1.2.3:9080"), HopKind.FilterChain).Name);
        Assert.Equal("wide", Hop(Trace(snapshot, "tcp://10.9.2.3:9080"), HopKind.FilterChain).Name);
        var none = Trace(snapshot, "tcp://172.16.0.1:9080");
        Assert.Equal(TraceOutcome.Stopped, none.Verdict.Outcome);
        Assert.Equal("NR", none.Verdict.ResponseFlag);
        Assert.Equal(HopKind.FilterChain, none.Hops[^1].Kind);
    }

    [Theory]
    [InlineData("api.example.com", "exact")]
    [InlineData("www.example.com", "wildcard")]
    [InlineData("other.test", "no-sni")]
    public void Given_exact_and_wildcard_server_names_When_a_tls_connection_is_traced_Then_exact_wins_over_wildcard(string sni, string expected)
    {
        var snapshot = ChainsDump(
            Chain("wildcard", "\"server_names\":[\"*.example.com\"]", "a"),
            Chain("exact", "\"server_names\":[\"api.example.com\"]", "b"),
            Chain("no-sni", "\"transport_protocol\":\"tls\"", "c"));

        var result = Trace(snapshot, "tcp://10.1.2.3:9080", r => r with { Sni = sni });

        Assert.Equal(expected, Hop(result, HopKind.FilterChain).Name);
    }

    [Fact]
    public void Given_a_route_to_a_cluster_that_does_not_exist_When_traced_Then_it_stops_at_the_cluster_with_NC()
    {
        var snapshot = Dumps.Decode(Dumps.ConfigDump(
            listeners: [Dumps.HttpListener(8080, "web")],
            routes: [Dumps.RouteConfig("web", Dumps.VirtualHost("web", ["*"], "gone"))],
            clusters: [Dumps.EdsCluster("other")]));

        var result = Trace(snapshot, "http://web:8080/");

        Assert.Equal(TraceOutcome.Stopped, result.Verdict.Outcome);
        Assert.Equal("NC", result.Verdict.ResponseFlag);
        Assert.Equal(503u, result.Verdict.Status);
        Assert.Equal(HopKind.Cluster, result.Hops[^1].Kind);
        Assert.Equal("gone", result.Hops[^1].Name);
    }

    [Fact]
    public void Given_a_cluster_whose_endpoints_are_all_unhealthy_When_traced_Then_it_stops_at_the_endpoints_with_UH()
    {
        var snapshot = Dumps.Decode(Dumps.ConfigDump(
            listeners: [Dumps.HttpListener(8080, "web")],
            routes: [Dumps.RouteConfig("web", Dumps.VirtualHost("web", ["*"], "sick"))],
            clusters: [Dumps.EdsCluster("sick")],
            endpoints: [Dumps.Endpoints("sick", ("10.0.0.1", "UNHEALTHY"), ("10.0.0.2", "DRAINING"))]));

        var result = Trace(snapshot, "http://web:8080/");

        Assert.Equal("UH", result.Verdict.ResponseFlag);
        Assert.Equal(HopKind.Endpoints, result.Hops[^1].Kind);
        Assert.Equal(HopStatus.Stopped, result.Hops[^1].Status);
        Assert.Contains(result.Hops[^1].Details, d => d.Contains("10.0.0.1:8080 UNHEALTHY", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_an_allow_rbac_filter_with_no_policies_When_traced_Then_it_stops_with_the_rbac_flag()
    {
        var rbac = Dumps.J("{'name':'envoy.filters.http.rbac','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC','rules':{'action':'ALLOW'}}},");
        var listener = Dumps.HttpListener(8080, "web", rbac);
        var snapshot = Dumps.Decode(Dumps.ConfigDump(
            listeners: [listener],
            routes: [Dumps.RouteConfig("web", Dumps.VirtualHost("web", ["*"], "c"))],
            clusters: [Dumps.EdsCluster("c")],
            endpoints: [Dumps.Endpoints("c", ("10.0.0.1", "HEALTHY"))]));

        var result = Trace(snapshot, "http://web:8080/");

        Assert.Equal(TraceOutcome.Stopped, result.Verdict.Outcome);
        Assert.Equal("rbac_access_denied_matched_policy[none]", result.Verdict.ResponseFlag);
        Assert.Equal(403u, result.Verdict.Status);
        Assert.Equal(HopKind.HttpFilter, result.Hops[^1].Kind);
    }

    private static EnvoySnapshot ActionsDump() => Dumps.Decode(Dumps.ConfigDump(
        listeners: [Dumps.HttpListener(8080, "web")],
        routes: [Dumps.RouteConfig("web", Dumps.J("""
            {'name':'web','domains':['*'],'routes':[
              {'name':'moved','match':{'prefix':'/old'},'redirect':{'https_redirect':true,'host_redirect':'new.example.com','path_redirect':'/new'}},
              {'name':'teapot','match':{'path':'/tea'},'direct_response':{'status':418,'body':{'inline_string':'short and stout'}}},
              {'name':'by-header','match':{'prefix':'/pick'},'route':{'cluster_header':'x-cluster'}},
              {'name':'rest','match':{'prefix':'/'},'route':{'cluster':'c','timeout':'0s','host_rewrite_literal':'backend.internal','regex_rewrite':{'pattern':{'regex':'^/api/(v[0-9]+)/(.*)$'},'substitution':'/\\2?version=\\1'}}}
            ]}
            """))],
        clusters: [Dumps.EdsCluster("c")],
        endpoints: [Dumps.Endpoints("c", ("10.0.0.1", "HEALTHY"))]));

    [Fact]
    public void Given_a_redirect_route_When_traced_Then_it_stops_at_the_route_with_the_target_url()
    {
        var result = Trace(ActionsDump(), "http://web:8080/old/page");

        Assert.Equal(TraceOutcome.Stopped, result.Verdict.Outcome);
        Assert.Equal("moved", result.Hops[^1].Name);
        Assert.Contains("https://new.example.com/new", result.Verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_direct_response_route_When_traced_Then_it_stops_with_its_status()
    {
        var result = Trace(ActionsDump(), "http://web:8080/tea");

        Assert.Equal(TraceOutcome.Stopped, result.Verdict.Outcome);
        Assert.Equal(418u, result.Verdict.Status);
        Assert.Null(result.Verdict.ResponseFlag);
    }

    [Fact]
    public void Given_a_cluster_header_route_When_the_header_is_missing_or_given_Then_it_is_undetermined_or_follows_the_header()
    {
        var missing = Trace(ActionsDump(), "http://web:8080/pick");
        var given = Trace(ActionsDump(), "http://web:8080/pick", r => r with { Headers = [new("x-cluster", "c")] });

        Assert.Equal(TraceOutcome.Undetermined, missing.Verdict.Outcome);
        Assert.Contains("x-cluster", missing.Verdict.Summary, StringComparison.Ordinal);
        Assert.Equal(TraceOutcome.Forwarded, given.Verdict.Outcome);
        Assert.Equal("c", given.Verdict.Cluster);
    }

    [Fact]
    public void Given_a_route_with_rewrites_and_a_disabled_timeout_When_traced_Then_the_rewritten_path_host_and_timeout_are_shown()
    {
        var result = Trace(ActionsDump(), "http://web:8080/api/v2/items");

        var route = Hop(result, HopKind.Route);
        Assert.Equal("rest", route.Name);
        Assert.Contains("path rewritten to: /items?version=v2", route.Details);
        Assert.Contains("host rewritten to: backend.internal", route.Details);
        Assert.Contains("timeout: disabled (0s)", route.Details);
    }

    [Fact]
    public void Given_a_listener_with_a_unified_filter_chain_matcher_When_traced_Then_the_chain_is_not_evaluated_and_the_outcome_undetermined()
    {
        var chains = Chain("a-chain", "", "a");
        var matcher = Dumps.J(",'filter_chain_matcher':{'on_no_match':{'action':{'name':'a-chain','typed_config':{'@type':'type.googleapis.com/google.protobuf.StringValue','value':'a-chain'}}}}");
        var listener = ChainListener(chains);
        var snapshot = Dumps.Decode(Dumps.ConfigDump(
            listeners: [listener[..^1] + matcher + "}"],
            clusters: [Dumps.EdsCluster("a")],
            endpoints: [Dumps.Endpoints("a", ("10.0.0.1", "HEALTHY"))]));

        var result = Trace(snapshot, "tcp://10.1.2.3:9080");

        Assert.Equal(TraceOutcome.Undetermined, result.Verdict.Outcome);
        Assert.Equal(HopStatus.NotEvaluated, result.Hops[^1].Status);
        Assert.EndsWith("/filter_chain_matcher", result.Hops[^1].Pointer.Value, StringComparison.Ordinal);
    }

    private static EnvoySnapshot ConditionsDump() => Dumps.Decode(Dumps.ConfigDump(
        listeners: [Dumps.HttpListener(8080, "web")],
        routes: [Dumps.RouteConfig("web", Dumps.J("""
            {'name':'web','domains':['*'],'routes':[
              {'name':'mtls-only','match':{'prefix':'/secure','tls_context':{'presented':true}},'route':{'cluster':'c'}},
              {'name':'canary','match':{'prefix':'/canary','runtime_fraction':{'default_value':{'numerator':25,'denominator':'HUNDRED'},'runtime_key':'routing.canary'}},'route':{'cluster':'c'}},
              {'name':'beta','match':{'prefix':'/','headers':[{'name':'x-tier','string_match':{'exact':'beta','ignore_case':true}}]},'route':{'cluster':'c'}}
            ]}
            """))],
        clusters: [Dumps.EdsCluster("c")],
        endpoints: [Dumps.Endpoints("c", ("10.0.0.1", "HEALTHY"))]));

    [Fact]
    public void Given_a_route_with_a_tls_context_condition_When_its_path_matches_Then_the_outcome_is_undetermined_not_guessed()
    {
        var result = Trace(ConditionsDump(), "http://web:8080/secure/x");

        Assert.Equal(TraceOutcome.Undetermined, result.Verdict.Outcome);
        Assert.Equal(HopStatus.NotEvaluated, Hop(result, HopKind.Route).Status);
        Assert.Contains("tls_context", result.Verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_route_with_runtime_fraction_When_it_matches_Then_it_is_reported_as_probabilistic_with_its_share()
    {
        var route = Hop(Trace(ConditionsDump(), "http://web:8080/canary"), HopKind.Route);

        Assert.Equal("canary", route.Name);
        Assert.Contains("probabilistic: it takes 25% (runtime key routing.canary)", route.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_header_matcher_with_ignore_case_When_the_value_differs_in_case_Then_it_matches()
    {
        var result = Trace(ConditionsDump(), "http://web:8080/x", r => r with { Headers = [new("X-Tier", "BETA")] });

        Assert.Equal("beta", Hop(result, HopKind.Route).Name);
        Assert.Equal("NR", Trace(ConditionsDump(), "http://web:8080/x", r => r with { Headers = [new("X-Tier", "gamma")] }).Verdict.ResponseFlag);
    }

    [Fact]
    public void Given_a_network_rbac_filter_allowing_nothing_before_tcp_proxy_When_traced_Then_the_connection_is_denied_before_the_proxy()
    {
        var rbac = Dumps.J("{'name':'envoy.filters.network.rbac','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC','stat_prefix':'r','rules':{'action':'ALLOW'}}},");
        var chain = Chain("denied", "", "a");
        var withRbac = chain.Replace("\"filters\":[", "\"filters\":[" + rbac, StringComparison.Ordinal);
        var snapshot = Dumps.Decode(Dumps.ConfigDump(
            listeners: [ChainListener(withRbac)],
            clusters: [Dumps.EdsCluster("a")],
            endpoints: [Dumps.Endpoints("a", ("10.0.0.1", "HEALTHY"))]));

        var result = Trace(snapshot, "tcp://10.1.2.3:9080");

        Assert.Equal(TraceOutcome.Stopped, result.Verdict.Outcome);
        Assert.Equal("rbac_access_denied_matched_policy[none]", result.Verdict.ResponseFlag);
        Assert.Null(result.Verdict.Status);
        Assert.Equal(HopKind.NetworkFilter, result.Hops[^1].Kind);
        Assert.DoesNotContain(result.Hops, h => h.Kind == HopKind.Cluster);
    }

    [Fact]
    public void Given_chains_by_source_range_and_a_default_chain_When_the_source_is_given_or_not_Then_the_source_decides_and_else_the_default_chain_is_used()
    {
        var listener = ChainListener(Chain("office", "\"source_prefix_ranges\":[{\"address_prefix\":\"192.168.0.0\",\"prefix_len\":16}]", "a"));
        var withDefault = listener[..^1] + Dumps.J(",'default_filter_chain':{'name':'fallback','filters':[{'name':'envoy.filters.network.tcp_proxy','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy','stat_prefix':'t','cluster':'b'}}]}}");
        var snapshot = Dumps.Decode(Dumps.ConfigDump(
            listeners: [withDefault],
            clusters: [Dumps.EdsCluster("a"), Dumps.EdsCluster("b")],
            endpoints: [Dumps.Endpoints("a", ("10.0.0.1", "HEALTHY")), Dumps.Endpoints("b", ("10.0.0.2", "HEALTHY"))]));

        var inside = Trace(snapshot, "tcp://10.1.2.3:9080", r => r with { SourceIp = "192.168.4.5", SourcePort = 40000 });
        var unknown = Trace(snapshot, "tcp://10.1.2.3:9080");

        Assert.Equal("office", Hop(inside, HopKind.FilterChain).Name);
        Assert.Equal("fallback", Hop(unknown, HopKind.FilterChain).Name);
        Assert.Contains("default_filter_chain", Hop(unknown, HopKind.FilterChain).Why, StringComparison.Ordinal);
        Assert.Equal("b", unknown.Verdict.Cluster);
    }
}
