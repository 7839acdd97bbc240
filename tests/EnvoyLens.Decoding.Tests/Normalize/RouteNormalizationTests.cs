using EnvoyLens.Model;
using static EnvoyLens.Decoding.Tests.Normalize.NormalizeHarness;
using AdminV3 = Envoy.Admin.V3;

namespace EnvoyLens.Decoding.Tests.Normalize;

public sealed class RouteNormalizationTests
{
    private const string Dump = """
    {
      "static_route_configs": [
        { "route_config": { "@type": "type.googleapis.com/envoy.config.route.v3.RouteConfiguration", "name": "static-local" },
          "last_updated": "2024-01-01T00:00:00Z" }
      ],
      "dynamic_route_configs": [
        {
          "version_info": "2024-05-06T07:08:09Z/42",
          "last_updated": "2024-05-06T07:08:10Z",
          "route_config": {
            "@type": "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
            "name": "9080",
            "validate_clusters": false,
            "virtual_hosts": [
              {
                "name": "reviews.default.svc.cluster.local:9080",
                "domains": [ "reviews.default.svc.cluster.local", "reviews" ],
                "routes": [
                  {
                    "name": "v2-canary",
                    "match": {
                      "prefix": "/api",
                      "case_sensitive": false,
                      "headers": [
                        { "name": "end-user", "string_match": { "exact": "jason" } },
                        { "name": "x-debug", "present_match": true, "invert_match": true }
                      ],
                      "query_parameters": [ { "name": "v", "string_match": { "prefix": "2" } } ],
                      "grpc": {}
                    },
                    "route": {
                      "weighted_clusters": { "clusters": [
                        { "name": "outbound|9080|v1|reviews.default.svc.cluster.local", "weight": 90 },
                        { "name": "outbound|9080|v2|reviews.default.svc.cluster.local", "weight": 10 } ] },
                      "timeout": "0s",
                      "retry_policy": { "retry_on": "connect-failure,refused-stream", "num_retries": 2, "per_try_timeout": "2.500s" }
                    },
                    "metadata": { "filter_metadata": { "istio": { "config": "/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews", "n": 3 } } }
                  },
                  {
                    "match": { "path": "/health" },
                    "direct_response": { "status": 200 }
                  },
                  {
                    "match": { "safe_regex": { "regex": "^/v[0-9]+/.*" } },
                    "route": { "cluster": "api", "timeout": "15s", "idle_timeout": "300s" }
                  },
                  {
                    "match": { "path_separated_prefix": "/shop" },
                    "redirect": { "https_redirect": true, "host_redirect": "shop.example.com", "port_redirect": 8443, "path_redirect": "/new" }
                  },
                  {
                    "match": { "prefix": "/hdr" },
                    "route": { "cluster_header": "x-cluster" }
                  },
                  {
                    "match": { "prefix": "/" },
                    "route": { "cluster": "fallback" }
                  }
                ]
              }
            ]
          }
        },
        {
          "version_info": "bad",
          "error_state": { "details": "route config invalid", "version_info": "43" }
        }
      ]
    }
    """;

    private static Result NormalizeDump() => Run(Parse<AdminV3.RoutesConfigDump>(Dump));

    private static IReadOnlyList<Route> Routes() => NormalizeDump().Config.RouteConfigs[1].VirtualHosts[0].Routes;

    [Fact]
    public void GivenStaticAndDynamicRouteConfigs_ThenOriginStateVersionAndPointersAreCarried()
    {
        var configs = NormalizeDump().Config.RouteConfigs;

        Assert.Equal(["static-local", "9080", ""], configs.Select(c => c.Name).ToArray());
        Assert.Equal(ResourceOrigin.Static, configs[0].Meta.Origin);
        Assert.Equal(ResourceState.Active, configs[1].Meta.State);
        Assert.Equal("2024-05-06T07:08:09Z/42", configs[1].Meta.VersionInfo);
        Assert.False(configs[1].ValidateClusters);
        Assert.Null(configs[0].ValidateClusters);
        Assert.Equal("/configs/0/dynamic_route_configs/0/route_config", configs[1].Meta.Pointer.Value);
        Assert.Equal("/configs/0/dynamic_route_configs/0/route_config/virtual_hosts/0", configs[1].VirtualHosts[0].Pointer.Value);
        Assert.Equal("/configs/0/dynamic_route_configs/0/route_config/virtual_hosts/0/routes/3", Routes()[3].Pointer.Value);
    }

    [Fact]
    public void GivenAnEntryWithOnlyAnErrorState_ThenItIsRejected()
    {
        var rejected = NormalizeDump().Config.RouteConfigs[2];

        Assert.Equal(ResourceState.Rejected, rejected.Meta.State);
        Assert.Equal("route config invalid", rejected.Meta.Error!.Details);
        Assert.Equal("43", rejected.Meta.Error.VersionInfo);
        Assert.Equal("bad", rejected.Meta.VersionInfo);
    }

    [Fact]
    public void GivenVirtualHost_ThenNameAndDomainsAreRead()
    {
        var host = NormalizeDump().Config.RouteConfigs[1].VirtualHosts[0];

        Assert.Equal("reviews.default.svc.cluster.local:9080", host.Name);
        Assert.Equal(["reviews.default.svc.cluster.local", "reviews"], host.Domains);
        Assert.Equal(6, host.Routes.Count);
    }

    [Fact]
    public void GivenWeightedClusters_ThenEveryClusterAndWeightIsRead()
    {
        var route = Routes()[0];

        Assert.Equal("v2-canary", route.Name);
        Assert.Equal(RouteActionKind.WeightedClusters, route.ActionKind);
        Assert.Null(route.Cluster);
        Assert.Equal(
            [new WeightedCluster("outbound|9080|v1|reviews.default.svc.cluster.local", 90), new WeightedCluster("outbound|9080|v2|reviews.default.svc.cluster.local", 10)],
            route.WeightedClusters);
    }

    [Fact]
    public void GivenTimeouts_ThenUnsetIsNullAndZeroIsZero()
    {
        var routes = Routes();

        Assert.Equal(TimeSpan.Zero, routes[0].Timeout);
        Assert.Equal(TimeSpan.FromSeconds(15), routes[2].Timeout);
        Assert.Equal(TimeSpan.FromMinutes(5), routes[2].IdleTimeout);
        Assert.Null(routes[5].Timeout);
        Assert.Null(routes[5].IdleTimeout);
        Assert.Null(routes[1].Timeout);
    }

    [Fact]
    public void GivenRetryPolicy_ThenItsFieldsAreRead()
    {
        var retry = Routes()[0].RetryPolicy!;

        Assert.Equal("connect-failure,refused-stream", retry.RetryOn);
        Assert.Equal(2u, retry.NumRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), retry.PerTryTimeout);
        Assert.Null(retry.PerTryIdleTimeout);
        Assert.Null(Routes()[5].RetryPolicy);
    }

    [Fact]
    public void GivenMatches_ThenKindValueCaseHeadersQueryAndGrpcAreRead()
    {
        var routes = Routes();
        var match = routes[0].Match;

        Assert.Equal(PathMatchKind.Prefix, match.Kind);
        Assert.Equal("/api", match.Value);
        Assert.False(match.CaseSensitive);
        Assert.True(match.GrpcOnly);
        Assert.Equal([new HeaderMatch("end-user", "exact", "jason", false), new HeaderMatch("x-debug", "present", "true", true)], match.Headers);
        Assert.Equal([new HeaderMatch("v", "prefix", "2", false)], match.QueryParameters);

        Assert.Equal((PathMatchKind.Path, "/health"), (routes[1].Match.Kind, routes[1].Match.Value));
        Assert.Equal((PathMatchKind.SafeRegex, "^/v[0-9]+/.*"), (routes[2].Match.Kind, routes[2].Match.Value));
        Assert.Equal((PathMatchKind.PathSeparatedPrefix, "/shop"), (routes[3].Match.Kind, routes[3].Match.Value));
        Assert.True(routes[1].Match.CaseSensitive);
        Assert.False(routes[1].Match.GrpcOnly);
    }

    [Fact]
    public void GivenOtherActions_ThenDirectResponseRedirectClusterHeaderAndClusterAreRead()
    {
        var routes = Routes();

        Assert.Equal(RouteActionKind.DirectResponse, routes[1].ActionKind);
        Assert.Equal(200u, routes[1].DirectResponseStatus);
        Assert.Equal(RouteActionKind.Cluster, routes[2].ActionKind);
        Assert.Equal("api", routes[2].Cluster);
        Assert.Equal(RouteActionKind.Redirect, routes[3].ActionKind);
        Assert.Equal("https://shop.example.com:8443/new", routes[3].RedirectTarget);
        Assert.Equal(RouteActionKind.ClusterHeader, routes[4].ActionKind);
        Assert.Equal("x-cluster", routes[4].ClusterHeader);
    }

    [Fact]
    public void GivenRouteMetadata_ThenFilterMetadataIsJson()
    {
        var metadata = Routes()[0].Metadata;

        Assert.Equal("/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews", metadata.GetString("istio", "config"));
        Assert.Equal(3, metadata.FilterMetadata["istio"].GetProperty("n").GetInt32());
        Assert.Empty(Routes()[1].Metadata.FilterMetadata);
    }
}
