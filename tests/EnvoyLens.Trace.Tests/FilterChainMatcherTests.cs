using System.Net;
using EnvoyLens.Model;
using EnvoyLens.TestKit;

namespace EnvoyLens.Trace.Tests;

/// <summary>
/// Listeners that choose their filter chain with the unified <c>filter_chain_matcher</c>: the tree forms (IP ranges,
/// exact and prefix maps) and the list form, nesting and <c>on_no_match</c>, on authored dumps; and the matcher of
/// Istio's waypoint listener in the shared corpus.
/// </summary>
public sealed class FilterChainMatcherTests
{
    private const string NetworkInput = "type.googleapis.com/envoy.extensions.matching.common_inputs.network.v3.";

    private static string Action(string chain) =>
        "{'action':{'name':'" + chain + "','typed_config':{'@type':'type.googleapis.com/google.protobuf.StringValue','value':'" + chain + "'}}}";

    private static string Input(string name) => "{'name':'" + name + "','typed_config':{'@type':'" + NetworkInput + name + "'}}";

    private static string TcpChain(string name, string cluster) =>
        "{'name':'" + name + "','filters':[{'name':'envoy.filters.network.tcp_proxy','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy','stat_prefix':'" +
        cluster + "','cluster':'" + cluster + "'}}]}";

    private static string Listener(int port, string matcher, bool withDefault = true) => Dumps.J(
        "{'name':'matched_" + port + "','address':{'socket_address':{'address':'0.0.0.0','port_value':" + port + "}},'filter_chains':[" +
        string.Join(",", TcpChain("chain-a", "a"), TcpChain("chain-b", "b"), TcpChain("chain-wide", "wide"), TcpChain("chain-tls", "tls")) + "]," +
        (withDefault ? "'default_filter_chain':" + TcpChain("fallback", "fallback") + "," : string.Empty) +
        "'filter_chain_matcher':" + matcher + "}");

    // Destination IP ranges: /32 with a nested SNI map, an exclusive /24, a non-exclusive /8.
    private static readonly string IpTree =
        "{'matcher_tree':{'input':" + Input("DestinationIPInput") + ",'custom_match':{'name':'ip','typed_config':{'@type':'type.googleapis.com/xds.type.matcher.v3.IPMatcher','range_matchers':[" +
        "{'ranges':[{'address_prefix':'10.0.0.0','prefix_len':8}],'on_match':" + Action("chain-wide") + "}," +
        "{'ranges':[{'address_prefix':'10.0.0.5','prefix_len':32}],'on_match':{'matcher':{'matcher_tree':{'input':" + Input("ServerNameInput") +
        ",'exact_match_map':{'map':{'a.example':" + Action("chain-a") + "}}}}}}," +
        "{'ranges':[{'address_prefix':'10.0.0.0','prefix_len':24}],'exclusive':true,'on_match':" + Action("chain-b") + "}" +
        "]}}}}";

    // A list: TLS with an SNI under .example.com, else a connection whose ALPN is not h2 (Envoy's input quotes each
    // protocol: 'h2', written as a JSON escape because the authored JSON uses single quotes); on_no_match names chain-b.
    private static readonly string List =
        "{'matcher_list':{'matchers':[" +
        "{'predicate':{'and_matcher':{'predicate':[" +
        "{'single_predicate':{'input':" + Input("TransportProtocolInput") + ",'value_match':{'exact':'tls'}}}," +
        "{'single_predicate':{'input':" + Input("ServerNameInput") + ",'value_match':{'suffix':'.example.com'}}}]}},'on_match':" + Action("chain-tls") + "}," +
        "{'predicate':{'not_matcher':{'single_predicate':{'input':" + Input("ApplicationProtocolInput") + ",'value_match':{'exact':'\\u0027h2\\u0027'}}}},'on_match':" + Action("chain-a") + "}" +
        "]},'on_no_match':" + Action("chain-b") + "}";

    private static EnvoySnapshot Snapshot(string listener) => Dumps.Decode(Dumps.ConfigDump(
        listeners: [listener],
        clusters: [Dumps.EdsCluster("a"), Dumps.EdsCluster("b"), Dumps.EdsCluster("wide"), Dumps.EdsCluster("tls"), Dumps.EdsCluster("fallback")],
        endpoints: [Dumps.Endpoints("a", ("10.1.0.1", "HEALTHY")), Dumps.Endpoints("b", ("10.1.0.2", "HEALTHY")), Dumps.Endpoints("wide", ("10.1.0.3", "HEALTHY")),
            Dumps.Endpoints("tls", ("10.1.0.4", "HEALTHY")), Dumps.Endpoints("fallback", ("10.1.0.5", "HEALTHY"))]));

    private static TraceHop Chain(TraceResult result) => result.Hops.Single(h => h.Kind == HopKind.FilterChain);

    [Theory]
    [InlineData("10.0.0.5", "a.example", "chain-a", "a")] // the /32 range and its nested SNI map
    [InlineData("10.0.0.5", null, "chain-wide", "wide")] // the /32's nested map fails: the exclusive /24 is skipped, the /8 applies
    [InlineData("10.0.0.7", null, "chain-b", "b")] // the exclusive /24 is the most specific range
    [InlineData("10.9.9.9", null, "chain-wide", "wide")]
    [InlineData("192.168.1.1", null, "fallback", "fallback")] // no range: the default filter chain
    public void Given_an_IP_range_matcher_When_a_connection_is_traced_Then_the_most_specific_range_decides_with_Envoys_fallbacks(string ip, string? sni, string chain, string cluster)
    {
        var snapshot = Snapshot(Listener(9080, IpTree));

        var result = new RequestTracer(snapshot).Trace(TraceRequest.For($"tcp://{ip}:9080") with { Sni = sni });

        var hop = Chain(result);
        Assert.Equal(HopStatus.Matched, hop.Status);
        Assert.Equal(chain, hop.Name);
        Assert.Equal(cluster, result.Verdict.Cluster);
        Assert.Equal(TraceOutcome.Forwarded, result.Verdict.Outcome);
    }

    [Fact]
    public void Given_a_matcher_that_names_its_chain_When_traced_Then_the_hop_says_which_input_and_range_chose_it()
    {
        var result = new RequestTracer(Snapshot(Listener(9080, IpTree))).Trace(TraceRequest.For("tcp://10.0.0.5:9080") with { Sni = "a.example" });

        var hop = Chain(result);
        Assert.Contains("filter_chain_matcher", hop.Why, StringComparison.Ordinal);
        Assert.Contains("DestinationIPInput 10.0.0.5 matches the range 10.0.0.5/32", hop.Details);
        Assert.Contains("ServerNameInput a.example matches the exact key a.example", hop.Details);
        Assert.EndsWith("/filter_chains/0", hop.Pointer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_no_range_matches_and_no_default_chain_When_traced_Then_the_connection_is_closed_with_NR()
    {
        var result = new RequestTracer(Snapshot(Listener(9080, IpTree, withDefault: false))).Trace(TraceRequest.For("tcp://192.168.1.1:9080"));

        Assert.Equal(HopStatus.Stopped, Chain(result).Status);
        Assert.Equal(TraceOutcome.Stopped, result.Verdict.Outcome);
        Assert.Equal("NR", result.Verdict.ResponseFlag);
    }

    [Fact]
    public void Given_a_destination_IP_matcher_and_an_unknown_destination_When_traced_Then_the_chain_is_not_determined_and_says_to_give_the_address()
    {
        var result = new RequestTracer(Snapshot(Listener(9080, IpTree))).Trace(TraceRequest.For("tcp://unknown.example:9080"));

        Assert.Equal(HopStatus.NotEvaluated, Chain(result).Status);
        Assert.Equal(TraceOutcome.Undetermined, result.Verdict.Outcome);
        Assert.Contains("give --address", result.Verdict.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.example.com", null, "chain-tls")] // TLS (SNI given) and the suffix: the and-predicate holds
    [InlineData(null, null, "chain-a")] // plain text, no ALPN: not 'h2' holds
    [InlineData(null, "h2", "chain-b")] // no entry holds: on_no_match
    public void Given_a_matcher_list_When_traced_Then_the_first_entry_whose_predicate_holds_decides(string? sni, string? alpn, string chain)
    {
        var result = new RequestTracer(Snapshot(Listener(9443, List))).Trace(TraceRequest.For("tcp://10.0.0.5:9443") with
        {
            Sni = sni,
            Alpn = alpn is null ? [] : [alpn],
        });

        Assert.Equal(chain, Chain(result).Name);
    }

    [Fact]
    public void Given_a_matcher_naming_a_chain_the_listener_lacks_When_traced_Then_it_stops_with_NR_naming_it()
    {
        var matcher = "{'matcher_tree':{'input':" + Input("DestinationPortInput") + ",'exact_match_map':{'map':{'9080':" + Action("chain-gone") + "}}}}";

        var result = new RequestTracer(Snapshot(Listener(9080, matcher))).Trace(TraceRequest.For("tcp://10.0.0.5:9080"));

        Assert.Equal("chain-gone", Chain(result).Name);
        Assert.Equal(HopStatus.Stopped, Chain(result).Status);
        Assert.Equal("NR", result.Verdict.ResponseFlag);
    }

    [Fact]
    public void Given_a_matcher_reading_filter_state_When_traced_Then_it_is_not_evaluated_rather_than_guessed()
    {
        var matcher = "{'matcher_tree':{'input':{'name':'fs','typed_config':{'@type':'" + NetworkInput + "FilterStateInput','key':'k'}},'exact_match_map':{'map':{'v':" + Action("chain-a") + "}}}}";

        var result = new RequestTracer(Snapshot(Listener(9080, matcher))).Trace(TraceRequest.For("tcp://10.0.0.5:9080"));

        Assert.Equal(HopStatus.NotEvaluated, Chain(result).Status);
        Assert.Contains("FilterStateInput", result.Verdict.Summary, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("10.96.1.201", 9080, "inbound-vip|9080||details.default.svc.cluster.local-http")]
    [InlineData("10.111.182.109", 80, "inbound-vip|80||sleep.default.svc.cluster.local-http")]
    public void Given_istios_waypoint_listener_from_the_corpus_When_its_matcher_is_evaluated_Then_the_service_VIP_and_port_name_the_chain(string vip, int port, string chain)
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus is not present.");
        var snapshot = Dumps.DecodeFile(TestPaths.CorpusFile("config_dump", "istio-compare-sidecar-configdump.json"));
        var listener = snapshot.Listeners.Single(l => l.Name == "main_internal");

        var matcher = Assert.IsType<ChainMatcher>(listener.FilterChainMatcher);
        var result = ChainMatcherEvaluator.Evaluate(matcher, new ConnectionFacts(port, IPAddress.Parse(vip), null, "raw_buffer", [], null, null));

        Assert.Equal(ChainMatcherShape.IpRanges, matcher.Shape);
        Assert.Equal(ChainMatchInputKind.DestinationIp, matcher.Input!.Kind);
        Assert.Equal(ChainMatcherEvaluator.Outcome.Matched, result.Outcome);
        Assert.Equal(chain, result.FilterChain);
    }
}
