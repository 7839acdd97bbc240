using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Html;
using static EnvoyLens.Reporting.Tests.TestModel;

namespace EnvoyLens.Reporting.Tests.Html;

/// <summary>The HTML writer's escaping, and the traffic map's graph, layered layout and collapse.</summary>
public sealed class HtmlTests
{
    private static readonly Dictionary<string, string> None = [];

    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("a\"b'c&d", "a&quot;b&#39;c&amp;d")]
    [InlineData("&amp;", "&amp;amp;")]
    [InlineData("plain text", "plain text")]
    [InlineData("", "")]
    public void Given_text_When_escaped_Then_no_character_can_open_a_tag_or_close_an_attribute(string text, string escaped) =>
        Assert.Equal(escaped, HtmlWriter.Escape(text));

    [Fact]
    public void Given_data_in_text_and_attributes_When_written_Then_both_are_escaped_and_null_attributes_are_left_out()
    {
        var w = new HtmlWriter();

        w.Element("td", "<b>x</b>", ("title", "\" onclick=\"evil()"), ("hidden", null));

        Assert.Equal("<td title=\"&quot; onclick=&quot;evil()\">&lt;b&gt;x&lt;/b&gt;</td>", w.ToString());
    }

    [Fact]
    public void Given_a_listener_routing_by_weight_When_the_map_is_built_Then_each_layer_is_linked_and_weighted_edges_carry_their_share()
    {
        var route = Route(Prefix("/"), cluster: null) with
        {
            ActionKind = RouteActionKind.WeightedClusters,
            WeightedClusters = [new WeightedCluster("v1", 3), new WeightedCluster("v2", 1)],
        };
        var snapshot = Snapshot(
            listeners: [Listener("l", "0.0.0.0", 80, [Chain(ChainMatch(), Hcm(rds: "rc")), Chain(ChainMatch(port: 9000), TcpProxy("db"))])],
            routes: [RouteConfig("rc", ResourceOrigin.Dynamic, VirtualHost("vh", ["*"], route))],
            clusters: [Cluster("v1", "STATIC", inline: [Endpoint("v1", "10.0.0.1", 80)]), Cluster("v2"), Cluster("db")]);
        var findings = new[] { new Finding("EL1005", Severity.Error, new ResourceRef(ResourceKind.Cluster, "v2"), JsonPointer.Root, "m", "fix", None, None) };

        var graph = TrafficMap.Build(snapshot, findings);

        var edges = graph.Edges.Select(e => (e.From, e.To, e.Label)).ToList();
        Assert.Contains(("listener:l", "chain:l/0", (string?)null), edges);
        Assert.Contains(("chain:l/0", "rc:rc", (string?)null), edges);
        Assert.Contains(("rc:rc", "vh:rc:rc/vh", (string?)null), edges);
        Assert.Contains(("vh:rc:rc/vh", "cluster:v1", "75%"), edges);
        Assert.Contains(("vh:rc:rc/vh", "cluster:v2", "25%"), edges);
        Assert.Contains(("chain:l/1", "cluster:db", (string?)null), edges);
        Assert.Contains(("cluster:v1", "endpoint:v1/10.0.0.1:80", (string?)null), edges);
        Assert.Equal(Severity.Error, graph.Nodes.Single(n => n.Id == "cluster:v2").Worst);
        Assert.Null(graph.Nodes.Single(n => n.Id == "cluster:v1").Worst);
        Assert.Equal([0, 1, 2, 3, 4, 5], graph.Nodes.Select(n => n.Layer).Distinct().Order());
    }

    [Fact]
    public void Given_two_listeners_When_laid_out_Then_each_column_follows_the_order_of_the_parents_not_the_names()
    {
        var snapshot = Snapshot(
            listeners: [Listener("a", "0.0.0.0", 80, [Chain(ChainMatch(), TcpProxy("z"))]), Listener("b", "0.0.0.0", 81, [Chain(ChainMatch(), TcpProxy("a"))])],
            clusters: [Cluster("a"), Cluster("z")]);

        var layout = TrafficMap.Layout(TrafficMap.Build(snapshot, []));

        Assert.Equal((4, 0), layout["cluster:z"]);
        Assert.Equal((4, 1), layout["cluster:a"]);
    }

    [Fact]
    public void Given_many_clusters_and_one_with_a_finding_When_collapsed_Then_only_its_path_and_two_of_its_endpoints_remain()
    {
        var clusters = Enumerable.Range(0, 300).Select(i => Cluster($"c{i:D3}", "STATIC", inline: [Endpoint($"c{i:D3}", "10.0.0.1", 80), Endpoint($"c{i:D3}", "10.0.0.2", 80), Endpoint($"c{i:D3}", "10.0.0.3", 80)])).ToList();
        var snapshot = Snapshot(
            listeners: [Listener("l", "0.0.0.0", 80, [Chain(ChainMatch(), TcpProxy("c007"))]), Listener("m", "0.0.0.0", 81, [Chain(ChainMatch(), TcpProxy("c008"))])],
            clusters: clusters);
        var findings = new[] { new Finding("EL3103", Severity.Warning, new ResourceRef(ResourceKind.Cluster, "c007"), JsonPointer.Root, "m", "fix", None, None) };
        var graph = TrafficMap.Build(snapshot, findings);

        var collapsed = TrafficMap.Collapse(graph);

        Assert.True(graph.Nodes.Count > TrafficMap.CollapseAbove);
        Assert.Equal(
            ["chain:l/0", "cluster:c007", "endpoint:c007/10.0.0.1:80", "endpoint:c007/10.0.0.2:80", "listener:l"],
            collapsed.Nodes.Select(n => n.Id).Order(StringComparer.Ordinal));
        Assert.All(collapsed.Edges, e => Assert.Contains(collapsed.Nodes, n => n.Id == e.To));
    }
}
