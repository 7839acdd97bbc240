using EnvoyLens.Model;

namespace EnvoyLens.Trace.Tests;

/// <summary>jwt_authn (which requirement applies, which issuer it needs) and ext_authz (which service decides).</summary>
public sealed class AuthnTraceTests
{
    private static EnvoySnapshot With(string httpFilter) => Dumps.Decode(Dumps.ConfigDump(
        listeners: [Dumps.HttpListener(8080, "web", Dumps.J(httpFilter) + ",")],
        routes: [Dumps.RouteConfig("web", Dumps.VirtualHost("web", ["*"], "c"))],
        clusters: [Dumps.EdsCluster("c"), Dumps.EdsCluster("authz")],
        endpoints: [Dumps.Endpoints("c", ("10.0.0.1", "HEALTHY"))]));

    private const string Jwt = """
        {'name':'envoy.filters.http.jwt_authn','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication',
          'providers':{'corp':{'issuer':'https://issuer.example.com','local_jwks':{'inline_string':'{}'}}},
          'rules':[{'match':{'prefix':'/public'}},
                   {'match':{'prefix':'/maybe'},'requires':{'requires_any':{'requirements':[{'provider_name':'corp'},{'allow_missing':{}}]}}},
                   {'match':{'prefix':'/'},'requires':{'provider_name':'corp'}}]}}
        """;

    private static TraceResult Trace(EnvoySnapshot snapshot, string target, params KeyValuePair<string, string>[] headers) =>
        new RequestTracer(snapshot).Trace(TraceRequest.For(target) with { Headers = headers });

    [Fact]
    public void Given_a_provider_requirement_When_no_authorization_header_is_given_Then_the_trace_stops_with_401_naming_the_issuer()
    {
        var result = Trace(With(Jwt), "http://web:8080/api");

        Assert.Equal(TraceOutcome.Stopped, result.Verdict.Outcome);
        Assert.Equal(401u, result.Verdict.Status);
        Assert.Contains("needs a JWT from https://issuer.example.com", result.Hops[^1].Why, StringComparison.Ordinal);
        Assert.Contains("rule 2", result.Hops[^1].Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_provider_requirement_When_a_token_is_given_Then_it_is_not_evaluated_and_the_request_goes_on()
    {
        var result = Trace(With(Jwt), "http://web:8080/api", new KeyValuePair<string, string>("authorization", "Bearer x"));

        Assert.Equal(TraceOutcome.Forwarded, result.Verdict.Outcome);
        var hop = result.Hops.Single(h => h.Kind == HopKind.HttpFilter);
        Assert.Equal(HopStatus.NotEvaluated, hop.Status);
        Assert.Contains("needs a JWT from https://issuer.example.com", hop.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_rules_without_requirement_or_allowing_missing_When_no_token_is_given_Then_the_request_passes()
    {
        var open = Trace(With(Jwt), "http://web:8080/public/x");
        var maybe = Trace(With(Jwt), "http://web:8080/maybe");

        Assert.Equal(TraceOutcome.Forwarded, open.Verdict.Outcome);
        Assert.Contains("requires no JWT", open.Hops.Single(h => h.Kind == HopKind.HttpFilter).Why, StringComparison.Ordinal);
        Assert.Equal(TraceOutcome.Forwarded, maybe.Verdict.Outcome);
        Assert.Contains("which the requirement allows", maybe.Hops.Single(h => h.Kind == HopKind.HttpFilter).Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_ext_authz_filter_When_traced_Then_it_names_the_service_cluster_that_decides()
    {
        var result = Trace(With("""
            {'name':'envoy.filters.http.ext_authz','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz',
              'grpc_service':{'envoy_grpc':{'cluster_name':'authz'}},'transport_api_version':'V3'}}
            """), "http://web:8080/");

        var hop = result.Hops.Single(h => h.Kind == HopKind.HttpFilter);
        Assert.Equal(HopStatus.NotEvaluated, hop.Status);
        Assert.Contains("decided by gRPC service cluster authz", hop.Why, StringComparison.Ordinal);
        Assert.Equal(TraceOutcome.Forwarded, result.Verdict.Outcome);
    }
}
