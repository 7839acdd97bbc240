using EnvoyLens.Model;
using static EnvoyLens.Decoding.Tests.Normalize.NormalizeHarness;
using AdminV3 = Envoy.Admin.V3;

namespace EnvoyLens.Decoding.Tests.Normalize;

public sealed class EndpointNormalizationTests
{
    private const string Dump = """
    {
      "static_endpoint_configs": [
        { "endpoint_config": { "@type": "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", "cluster_name": "xds-grpc",
            "endpoints": [ { "lb_endpoints": [ { "endpoint": { "address": { "socket_address": { "address": "10.0.0.1", "port_value": 15012 } } } } ] } ] } }
      ],
      "dynamic_endpoint_configs": [
        {
          "version_info": "e1",
          "endpoint_config": {
            "@type": "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
            "cluster_name": "outbound|9080||reviews.default.svc.cluster.local",
            "endpoints": [
              {
                "locality": { "region": "us-east1", "zone": "us-east1-b", "sub_zone": "rack1" },
                "lb_endpoints": [
                  { "endpoint": { "address": { "socket_address": { "address": "10.1.0.5", "port_value": 9080 } }, "hostname": "reviews-v1-abc" },
                    "health_status": "HEALTHY", "load_balancing_weight": 3 },
                  { "endpoint": { "address": { "socket_address": { "address": "10.1.0.6", "port_value": 9080 } } },
                    "health_status": "UNHEALTHY" }
                ]
              },
              {
                "priority": 2,
                "lb_endpoints": [ { "endpoint": { "address": { "socket_address": { "address": "10.2.0.7", "port_value": 9080 } } }, "health_status": "DRAINING" } ]
              }
            ]
          }
        }
      ]
    }
    """;

    private static IReadOnlyList<ClusterLoadAssignment> Assignments() => Run(Parse<AdminV3.EndpointsConfigDump>(Dump)).Config.LoadAssignments;

    [Fact]
    public void GivenStaticAndDynamicAssignments_ThenEachIsKeyedByClusterNameWithItsState()
    {
        var assignments = Assignments();

        Assert.Equal(["xds-grpc", "outbound|9080||reviews.default.svc.cluster.local"], assignments.Select(a => a.ClusterName).ToArray());
        Assert.Equal(ResourceOrigin.Static, assignments[0].Meta.Origin);
        Assert.Equal(ResourceOrigin.Dynamic, assignments[1].Meta.Origin);
        Assert.Equal("e1", assignments[1].Meta.VersionInfo);
        Assert.Equal("/configs/0/dynamic_endpoint_configs/0/endpoint_config", assignments[1].Meta.Pointer.Value);
    }

    [Fact]
    public void GivenLbEndpoints_ThenEachIsARowWithAddressHealthLocalityWeightPriorityAndHostname()
    {
        var rows = Assignments()[1].Endpoints;

        Assert.Equal(
            [("10.1.0.5:9080", "HEALTHY", (uint?)3, 0u, "reviews-v1-abc"), ("10.1.0.6:9080", "UNHEALTHY", null, 0u, null), ("10.2.0.7:9080", "DRAINING", null, 2u, null)],
            rows.Select(r => (r.Address.ToString(), r.Health, r.Weight, r.Priority, r.Hostname)).ToArray());
        Assert.Equal(new Locality("us-east1", "us-east1-b", "rack1"), rows[0].Locality);
        Assert.Null(rows[2].Locality);
        Assert.All(rows, r => Assert.Equal(EndpointSource.Eds, r.Source));
        Assert.All(rows, r => Assert.Equal("outbound|9080||reviews.default.svc.cluster.local", r.ClusterName));
        Assert.Equal("/configs/0/dynamic_endpoint_configs/0/endpoint_config/endpoints/1/lb_endpoints/0", rows[2].Pointer.Value);
    }

    [Fact]
    public void GivenNoHealthStatus_ThenHealthIsUnknown()
    {
        var row = Assert.Single(Assignments()[0].Endpoints);

        Assert.Equal("UNKNOWN", row.Health);
        Assert.False(row.IsHealthy);
    }
}
