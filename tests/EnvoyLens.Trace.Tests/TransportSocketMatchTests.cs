using EnvoyLens.Model;

namespace EnvoyLens.Trace.Tests;

/// <summary>
/// Istio's auto-mTLS: a cluster whose <c>transport_socket_matches</c> give TLS to endpoints labelled
/// <c>tlsMode: istio</c> and plaintext to the rest; the socket the trace reports follows the chosen endpoint's labels.
/// </summary>
public sealed class TransportSocketMatchTests
{
    private const string Tls = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext";
    private const string Raw = "type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer";

    private static string Cluster(string name) => Dumps.J(
        "{'name':'" + name + "','type':'EDS','eds_cluster_config':{'eds_config':{'ads':{}}},'connect_timeout':'1s','transport_socket_matches':[" +
        "{'name':'tlsMode-istio','match':{'tlsMode':'istio'},'transport_socket':{'name':'envoy.transport_sockets.tls','typed_config':{'@type':'" + Tls +
        "','sni':'outbound_.9080_._.ratings.default.svc.cluster.local','common_tls_context':{'alpn_protocols':['istio-peer-exchange','istio']}}}}," +
        "{'name':'tlsMode-disabled','match':{},'transport_socket':{'name':'envoy.transport_sockets.raw_buffer','typed_config':{'@type':'" + Raw + "'}}}]}");

    private static string Endpoint(string cluster, string address, bool sidecar) => Dumps.J(
        "{'cluster_name':'" + cluster + "','endpoints':[{'lb_endpoints':[{'endpoint':{'address':{'socket_address':{'address':'" + address +
        "','port_value':9080}}},'health_status':'HEALTHY','metadata':{'filter_metadata':{" +
        (sidecar ? "'envoy.transport_socket_match':{'tlsMode':'istio'}," : string.Empty) +
        "'istio':{'workload':'ratings-v1;default;ratings;v1;Kubernetes'}}}}]}]}");

    private static TraceHop UpstreamTls(bool sidecar)
    {
        var snapshot = Dumps.Decode(Dumps.ConfigDump(
            listeners: [Dumps.HttpListener(9080, "web")],
            routes: [Dumps.RouteConfig("web", Dumps.VirtualHost("ratings", ["*"], "ratings"))],
            clusters: [Cluster("ratings")],
            endpoints: [Endpoint("ratings", "10.244.1.14", sidecar)]));

        var result = new RequestTracer(snapshot).Trace(TraceRequest.For("http://ratings:9080/"));

        Assert.Equal(TraceOutcome.Forwarded, result.Verdict.Outcome);
        return result.Hops.Single(h => h.Kind == HopKind.UpstreamTls);
    }

    [Fact]
    public void Given_an_endpoint_labelled_tlsMode_istio_When_traced_Then_the_istio_match_gives_TLS_and_the_workload_is_named()
    {
        var hop = UpstreamTls(sidecar: true);

        Assert.StartsWith("The connection to the upstream uses TLS (transport_socket_match tlsMode-istio applies to endpoint 10.244.1.14:9080", hop.Why, StringComparison.Ordinal);
        Assert.Contains("SNI: outbound_.9080_._.ratings.default.svc.cluster.local", hop.Details);
        Assert.Contains("upstream workload (Istio endpoint metadata): ratings-v1 in namespace default", hop.Details);
    }

    [Fact]
    public void Given_an_endpoint_without_the_label_When_traced_Then_the_catch_all_match_sends_plaintext()
    {
        var hop = UpstreamTls(sidecar: false);

        Assert.StartsWith("Plaintext: the connection uses no TLS (transport_socket_match tlsMode-disabled applies to endpoint 10.244.1.14:9080: any endpoint)", hop.Why, StringComparison.Ordinal);
    }
}
