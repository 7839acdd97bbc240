using EnvoyLens.Model;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Reporting.Views;
using static EnvoyLens.Reporting.Tests.TestModel;

namespace EnvoyLens.Reporting.Tests;

public sealed class ListenersViewTests
{
    private static readonly EnvoySnapshot Sidecar = Snapshot(listeners:
    [
        Listener("virtualInbound", "0.0.0.0", 15006,
        [
            Chain(ChainMatch(prefixes: ["0.0.0.0/0"], transport: "tls", alpn: ["istio-peer-exchange", "istio"]), TcpProxy("InboundPassthroughCluster")),
            Chain(ChainMatch(port: 9080, transport: "raw_buffer"), Hcm(rds: "inbound|9080||")),
        ], Chain(ChainMatch(), TcpProxy("BlackHoleCluster"))),
        Listener("0.0.0.0_80", "0.0.0.0", 80, [Chain(ChainMatch(transport: "raw_buffer", alpn: ["http/1.1", "h2c"]), Hcm(rds: "80"))], Chain(ChainMatch(), TcpProxy("PassthroughCluster"))),
        Listener("10.96.0.10_53", "10.96.0.10", 53, [Chain(ChainMatch(), TcpProxy("outbound|53||kube-dns.kube-system.svc.cluster.local"))]),
        Listener("0.0.0.0_15021", "0.0.0.0", 15021, [Chain(ChainMatch(), Hcm(inline: RouteConfig("", ResourceOrigin.Static, VirtualHost("backend", ["*"], Route(Prefix("/healthz/ready"))))))]),
        Listener("warming", "0.0.0.0", 8080, [Chain(ChainMatch(), Hcm(rds: "8080"))], state: ResourceState.Warming),
    ]);

    [Fact]
    public void Given_a_sidecar_When_built_Then_rows_sort_by_port_and_chains_by_destination_descending()
    {
        var table = ListenersView.Build(Sidecar);

        Assert.Equal(["ADDRESSES", "PORT", "MATCH", "DESTINATION"], table.Columns.Select(c => c.Header));
        Assert.Equal(
        [
            ["10.96.0.10", "53", "ALL", "Cluster: outbound|53||kube-dns.kube-system.svc.cluster.local"],
            ["0.0.0.0", "80", "Trans: raw_buffer; App: http/1.1,h2c", "Route: 80"],
            ["0.0.0.0", "80", "ALL", "PassthroughCluster"],
            ["0.0.0.0", "15006", "Trans: raw_buffer; Addr: *:9080", "Route: inbound|9080||"],
            ["0.0.0.0", "15006", "ALL", "Non-HTTP/Non-TCP"],
            ["0.0.0.0", "15006", "Trans: tls; App: TCP TLS; Addr: 0.0.0.0/0", "InboundPassthroughCluster"],
            ["0.0.0.0", "15021", "ALL", "Inline Route: /healthz/ready*"],
        ], table.TextRows);
    }

    [Fact]
    public void Given_listeners_When_rendered_as_text_Then_columns_are_separated_by_one_space_like_istioctl()
    {
        var sw = new StringWriter();
        TableRenderer.Write([ListenersView.Build(Sidecar, new ListenerFilter(Port: 53))], OutputFormat.Table, sw);

        Assert.Equal(
            "ADDRESSES  PORT MATCH DESTINATION\n" +
            "10.96.0.10 53   ALL   Cluster: outbound|53||kube-dns.kube-system.svc.cluster.local\n",
            sw.ToString());
    }

    [Theory]
    [InlineData(null, null, "tcp", new[] { 53 })]
    [InlineData(null, null, "HTTP", new[] { 80, 15021 })]
    [InlineData(null, null, "http+tcp", new[] { 15006 })]
    [InlineData("10.96.0.10", null, null, new[] { 53 })]
    [InlineData(null, 15021, null, new[] { 15021 })]
    public void Given_a_filter_When_built_Then_only_matching_listeners_remain(string? address, int? port, string? type, int[] expectedPorts)
    {
        var ports = ListenersView.Build(Sidecar, new ListenerFilter(address, port, type)).TextRows.Select(r => int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)).Distinct();

        Assert.Equal(expectedPorts, ports);
    }

    [Fact]
    public void Given_additional_addresses_When_built_Then_addresses_are_joined_with_commas()
    {
        var snapshot = Snapshot(listeners: [Listener("dual", "0.0.0.0", 80, [Chain(ChainMatch(), Hcm(rds: "80"))], additional: [new SocketAddress("::", 80)])]);

        Assert.Equal("0.0.0.0,::", Assert.Single(ListenersView.Build(snapshot).TextRows)[0]);
    }

    [Theory]
    [InlineData("*", "/", "inbound-vip|9080|http|a.ns.svc.cluster.local", "Cluster: inbound-vip|9080|http|a.ns.svc.cluster.local")]
    [InlineData("*", "/", "BlackHoleCluster", "BlackHoleCluster")]
    [InlineData("*", "/api", "c", "Inline Route: /api*")]
    [InlineData("a.example", "/", "c", "Inline Route: a.example /*")]
    public void Given_an_inline_route_config_When_it_sends_everything_to_one_cluster_Then_the_destination_is_that_cluster(string domain, string prefix, string cluster, string expected)
    {
        var inline = RouteConfig("r", ResourceOrigin.Static, VirtualHost("v", [domain], Route(Prefix(prefix), cluster)));
        var snapshot = Snapshot(listeners: [Listener("l", "0.0.0.0", 80, [Chain(ChainMatch(), Hcm(inline: inline))])]);

        Assert.Equal(expected, Assert.Single(ListenersView.Build(snapshot).TextRows)[3]);
    }

    [Fact]
    public void Given_two_routes_to_one_cluster_When_built_Then_the_inline_route_is_described_route_by_route()
    {
        var inline = RouteConfig("r", ResourceOrigin.Static, VirtualHost("v", ["*"], Route(Prefix("/"), "c"), Route(Prefix("/"), "c")));
        var snapshot = Snapshot(listeners: [Listener("l", "0.0.0.0", 80, [Chain(ChainMatch(), Hcm(inline: inline))])]);

        Assert.Equal("Inline Route: /*, /*", Assert.Single(ListenersView.Build(snapshot).TextRows)[3]);
    }

    [Fact]
    public void Given_a_pipe_listener_When_built_Then_its_address_reads_unix_path()
    {
        var listener = Listener("uds", "0.0.0.0", 0, [Chain(ChainMatch(), Hcm(rds: "r"))]) with { Address = new SocketAddress("/var/run/envoy.sock", null, "TCP", "pipe") };

        Assert.Equal("unix:///var/run/envoy.sock", Assert.Single(ListenersView.Build(Snapshot(listeners: [listener])).TextRows)[0]);
    }
}
