using EnvoyLens.Model;

namespace EnvoyLens.Trace.Tests;

/// <summary>
/// <c>typed_per_filter_config</c> on routes and virtual hosts, the way Envoy Gateway writes it: the route the request
/// takes disables a filter, enables one the connection manager disables, replaces RBAC rules, or names the JWT
/// requirement; the most specific level wins.
/// </summary>
public sealed class PerRouteFilterConfigTests
{
    private const string DenyAll = """
        {'name':'envoy.filters.http.rbac','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC',
          'rules':{'action':'DENY','policies':{'deny-all':{'permissions':[{'any':true}],'principals':[{'any':true}]}}}}}
        """;

    private const string DisabledExtAuthz = """
        {'name':'envoy.filters.http.ext_authz','disabled':true,'typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz',
          'grpc_service':{'envoy_grpc':{'cluster_name':'authz'}},'transport_api_version':'V3'}}
        """;

    private const string Jwt = """
        {'name':'envoy.filters.http.jwt_authn','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication',
          'providers':{'corp':{'issuer':'https://issuer.example.com','local_jwks':{'inline_string':'{}'}}},
          'requirement_map':{'corp-only':{'provider_name':'corp'}}}}
        """;

    private const string FilterConfig = "type.googleapis.com/envoy.config.route.v3.FilterConfig";

    private static string Route(string prefix, string perFilter) => Dumps.J(
        "{'name':'" + prefix.Trim('/') + "','match':{'prefix':'" + prefix + "'},'route':{'cluster':'c'}" + (perFilter.Length == 0 ? string.Empty : ",'typed_per_filter_config':{" + perFilter + "}") + "}");

    private static EnvoySnapshot Snapshot(string filters, string hostPerFilter, params string[] routes) => Dumps.Decode(Dumps.ConfigDump(
        listeners: [Dumps.HttpListener(8080, "web", Dumps.J(filters) + ",")],
        routes: [Dumps.RouteConfig("web", Dumps.J("{'name':'web','domains':['*'],'routes':[") + string.Join(",", routes) + "]" +
            (hostPerFilter.Length == 0 ? string.Empty : Dumps.J(",'typed_per_filter_config':{" + hostPerFilter + "}")) + "}")],
        clusters: [Dumps.EdsCluster("c"), Dumps.EdsCluster("authz")],
        endpoints: [Dumps.Endpoints("c", ("10.0.0.1", "HEALTHY"))]));

    private static TraceResult Trace(EnvoySnapshot snapshot, string path) => new RequestTracer(snapshot).Trace(TraceRequest.For("http://web:8080" + path));

    private static TraceHop Filter(TraceResult result, string name) => result.Hops.Single(h => h.Kind == HopKind.HttpFilter && h.Name == name);

    [Fact]
    public void Given_a_deny_all_RBAC_filter_and_a_route_whose_RBACPerRoute_has_no_rules_When_traced_Then_only_the_other_routes_are_denied()
    {
        var snapshot = Snapshot(DenyAll, string.Empty,
            Route("/open", "'envoy.filters.http.rbac':{'@type':'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute'}"),
            Route("/", string.Empty));

        var open = Trace(snapshot, "/open/x");
        var closed = Trace(snapshot, "/x");

        Assert.Equal(TraceOutcome.Forwarded, open.Verdict.Outcome);
        Assert.Contains("RBACPerRoute of route open has no rules", Filter(open, "envoy.filters.http.rbac").Why, StringComparison.Ordinal);
        Assert.Equal(TraceOutcome.Stopped, closed.Verdict.Outcome);
        Assert.Equal(403u, closed.Verdict.Status);
    }

    [Fact]
    public void Given_a_route_whose_RBACPerRoute_replaces_the_rules_When_traced_Then_the_routes_rules_decide()
    {
        var snapshot = Snapshot(DenyAll, string.Empty,
            Route("/", "'envoy.filters.http.rbac':{'@type':'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute','rbac':{'rules':{'action':'ALLOW','policies':{'get-only':{'permissions':[{'header':{'name':':method','string_match':{'exact':'GET'}}}],'principals':[{'any':true}]}}}}}"));

        var result = Trace(snapshot, "/x");

        Assert.Equal(TraceOutcome.Forwarded, result.Verdict.Outcome);
        Assert.Contains("/typed_per_filter_config/envoy.filters.http.rbac", Filter(result, "envoy.filters.http.rbac").Pointer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_ext_authz_filter_disabled_in_the_connection_manager_When_one_route_enables_it_with_FilterConfig_Then_it_runs_only_there()
    {
        var snapshot = Snapshot(DisabledExtAuthz, string.Empty,
            Route("/secure", "'envoy.filters.http.ext_authz':{'@type':'" + FilterConfig + "','config':{'@type':'type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute','check_settings':{}}}"),
            Route("/", string.Empty));

        var secure = Filter(Trace(snapshot, "/secure"), "envoy.filters.http.ext_authz");
        var plain = Filter(Trace(snapshot, "/"), "envoy.filters.http.ext_authz");

        Assert.Equal(HopStatus.NotEvaluated, secure.Status);
        Assert.Contains("decided by gRPC service cluster authz", secure.Why, StringComparison.Ordinal);
        Assert.Equal(HopStatus.Matched, plain.Status);
        Assert.Contains("the route this request takes does not enable it", plain.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_virtual_host_that_disables_a_filter_and_a_route_that_names_a_JWT_requirement_When_traced_Then_the_route_level_wins()
    {
        var snapshot = Snapshot(Jwt,
            "'envoy.filters.http.jwt_authn':{'@type':'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.PerRouteConfig','disabled':true}",
            Route("/api", "'envoy.filters.http.jwt_authn':{'@type':'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.PerRouteConfig','requirement_name':'corp-only'}"),
            Route("/", string.Empty));

        var api = Trace(snapshot, "/api/v1");
        var other = Trace(snapshot, "/x");

        Assert.Equal(401u, api.Verdict.Status);
        Assert.Contains("requirement corp-only (named by route api)", Filter(api, "envoy.filters.http.jwt_authn").Why, StringComparison.Ordinal);
        Assert.Equal(TraceOutcome.Forwarded, other.Verdict.Outcome);
        Assert.Contains("typed_per_filter_config of virtual host web disables it", Filter(other, "envoy.filters.http.jwt_authn").Why, StringComparison.Ordinal);
    }
}
