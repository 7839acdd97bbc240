using System.Text;
using EnvoyLens.Admin;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.TestKit;

namespace EnvoyLens.Decoding.Tests.Endpoints;

/// <summary>linkerd2-proxy's /metrics into the model's Linkerd section.</summary>
public sealed class LinkerdMetricsTests
{
    private const string Body = """
        # HELP proxy_build_info Proxy build info
        # TYPE proxy_build_info gauge
        proxy_build_info{version="enterprise-2.16.1",git_sha="8b5d9c4",profile="release",vendor="linkerd"} 1
        identity_cert_expiration_timestamp_seconds 1795240800
        identity_cert_refresh_count 3
        request_total{direction="outbound",authority="web.default.svc.cluster.local:80",target_addr="10.42.0.70:8080",tls="true",server_id="web.default.serviceaccount.identity.linkerd.cluster.local"} 12
        response_total{direction="outbound",authority="web.default.svc.cluster.local:80",target_addr="10.42.0.70:8080",tls="true",status_code="503",classification="failure",error=""} 2
        tcp_open_total{direction="inbound",peer="src",target_addr="10.42.0.63:8090",tls="true",client_id="web.default.serviceaccount.identity.linkerd.cluster.local"} 4
        tcp_close_total{direction="outbound",peer="dst",target_addr="10.42.0.70:8080",tls="no_identity",no_tls_reason="not_provided_by_service_discovery",errno="ECONNREFUSED"} 1
        inbound_http_authz_allow_total{target_addr="10.42.0.63:8090",target_port="8090",srv_kind="default",srv_name="all-unauthenticated",authz_kind="default",authz_name="all-unauthenticated",tls="no_identity",no_tls_reason="no_tls_from_remote"} 5
        inbound_tcp_authz_deny_total{target_addr="10.42.0.63:5432",srv_kind="server",srv_name="db",tls="true",client_id="x.default.serviceaccount.identity.linkerd.cluster.local"} 2
        control_request_total{addr="linkerd-dst-headless.linkerd.svc.cluster.local:8086",server_id="linkerd-destination.linkerd.serviceaccount.identity.linkerd.cluster.local"} 9
        control_response_total{addr="linkerd-dst-headless.linkerd.svc.cluster.local:8086",classification="failure",grpc_status="14"} 1
        process_start_time_seconds 1795000000.5
        process_resident_memory_bytes 23461888
        process_open_fds 40
        process_max_fds 1024

        """;

    private static EnvoySnapshot Decode(params (string Source, string Text)[] documents) =>
        SnapshotDecoder.Decode(new RawSnapshot("pod", documents.Select(d => new RawDocument(AdminEndpoint.LinkerdMetrics, d.Source, Encoding.UTF8.GetBytes(d.Text))).ToList()));

    [Fact]
    public void Given_a_metrics_body_When_decoded_Then_every_family_lands_in_the_linkerd_section_with_its_labels()
    {
        var snapshot = Decode(("metrics.txt", Body));
        var l = snapshot.Linkerd!;

        Assert.Equal(ProxyKind.Linkerd2Proxy, snapshot.Proxy);
        Assert.Null(snapshot.Stats);
        Assert.Equal("enterprise-2.16.1", l.Version);
        Assert.Equal("8b5d9c4", l.BuildInfo["git_sha"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero), l.Identity.CertificateExpiry);
        Assert.Equal(3, l.Identity.RefreshCount);
        var request = Assert.Single(l.Requests);
        Assert.Equal(("outbound", "web.default.svc.cluster.local:80", "10.42.0.70:8080", "true", 12d), (request.Direction, request.Authority, request.Target, request.Tls, request.Value));
        Assert.Equal("web.default.serviceaccount.identity.linkerd.cluster.local", request.ServerId);
        var response = Assert.Single(l.Responses);
        Assert.Equal(("503", "failure", (string?)null), (response.StatusCode, response.Classification, response.Label("error")));
        Assert.Equal("ECONNREFUSED", Assert.Single(l.TcpCloses).Errno);
        Assert.Equal("8090", Assert.Single(l.TcpOpens).TargetPort);
        Assert.Collection(l.Authorizations,
            a => Assert.Equal(("http", true, "default:all-unauthenticated", "default:all-unauthenticated", "no_identity", "no_tls_from_remote"),
                (a.Protocol, a.Allowed, a.Server, a.Policy, a.Count.Tls, a.Count.NoTlsReason)),
            a => Assert.Equal(("tcp", false, "server:db", (string?)null, "x.default.serviceaccount.identity.linkerd.cluster.local"),
                (a.Protocol, a.Allowed, a.Server, a.Policy, a.Count.ClientId)));
        Assert.Equal("linkerd-destination.linkerd.serviceaccount.identity.linkerd.cluster.local", Assert.Single(l.ControlRequests).ServerId);
        Assert.Equal(("14", "linkerd-dst-headless.linkerd.svc.cluster.local:8086"), (Assert.Single(l.ControlResponses).GrpcStatus, l.ControlResponses[0].Target));
        Assert.Equal(new LinkerdProcess(DateTimeOffset.FromUnixTimeMilliseconds(1795000000500), 23461888, 40, 1024, null), l.Process);
        Assert.Null(l.Earlier);
        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Level != DiagnosticLevel.Info);
    }

    [Fact]
    public void Given_two_samples_When_decoded_Then_the_latest_carries_the_earlier()
    {
        var later = Body.Replace("identity_cert_refresh_count 3", "identity_cert_refresh_count 4", StringComparison.Ordinal);

        var l = Decode(("metrics.2.txt", later), ("metrics.txt", Body)).Linkerd!;

        Assert.Equal(4, l.Identity.RefreshCount);
        Assert.Equal(3, l.Earlier!.Identity.RefreshCount);
        Assert.Equal("between the two samples", l.Period);
    }

    [Fact]
    public void Given_a_body_that_is_not_prometheus_When_decoded_Then_it_is_an_error_naming_the_file()
    {
        var snapshot = Decode(("metrics.txt", "a b c\nd e f\ng h i\nj k l\n"));

        var error = Assert.Single(snapshot.Diagnostics, d => d.Level == DiagnosticLevel.Error);
        Assert.Equal("metrics.txt is not linkerd2-proxy /metrics output: its lines are not Prometheus samples.", error.Message);
        Assert.Null(snapshot.Linkerd);
    }

    [SkippableFact]
    public void Given_the_real_capture_When_opened_and_decoded_Then_it_is_a_linkerd_proxy_with_its_four_authorization_counters()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");

        var snapshot = SnapshotDecoder.Decode(SnapshotSources.Open(TestPaths.CorpusFile("stats", "linkerd-proxy-diagnostics-metrics.txt")));

        Assert.Equal(ProxyKind.Linkerd2Proxy, snapshot.Proxy);
        Assert.Null(snapshot.Linkerd!.Version);
        Assert.Equal(4, snapshot.Linkerd.Authorizations.Count);
        Assert.All(snapshot.Linkerd.Authorizations, a => Assert.Equal("default:all-unauthenticated", a.Policy));
        Assert.Equal(3147, snapshot.Linkerd.Authorizations.Single(a => a.Count.Tls == "true").Count.Value);
    }
}
