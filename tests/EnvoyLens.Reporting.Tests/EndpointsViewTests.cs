using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Views;
using static EnvoyLens.Reporting.Tests.TestModel;

namespace EnvoyLens.Reporting.Tests;

public sealed class EndpointsViewTests
{
    private const string Reviews = "outbound|9080||reviews.default.svc.cluster.local";

    private static readonly EnvoySnapshot Proxy = Snapshot(
        clusters: [Cluster("agent", "STATIC", inline: [Endpoint("agent", "127.0.0.1", 15020, source: EndpointSource.Inline)])],
        loadAssignments:
        [
            new ClusterLoadAssignment(Meta(ResourceKind.Endpoint, Reviews),
            [
                Endpoint(Reviews, "10.0.0.2", 9080, locality: new Locality("us-east1", "b", null)),
                Endpoint(Reviews, "10.0.0.1", 9080, locality: new Locality("us-east1", "a", null)),
            ]),
        ],
        clusterStatuses:
        [
            new ClusterStatus(Reviews, true, [Endpoint(Reviews, "10.0.0.2", 9080, "HEALTHY", outlier: true, source: EndpointSource.AdminClusters)], new Dictionary<string, double>()),
        ]);

    [Fact]
    public void Given_clusters_and_eds_When_built_Then_each_endpoint_appears_once_and_admin_outlier_state_wins()
    {
        var table = EndpointsView.Build(Proxy);

        Assert.Equal(["ENDPOINT", "STATUS", "OUTLIER CHECK", "LOCALITY", "CLUSTER"], table.Columns.Select(c => c.Header));
        Assert.Equal(
        [
            ["10.0.0.1:9080", "HEALTHY", "-", "us-east1/a", Reviews],
            ["10.0.0.2:9080", "HEALTHY", "FAILED", "", Reviews],
            ["127.0.0.1:15020", "HEALTHY", "-", "", "agent"],
        ], table.TextRows);
    }

    [Theory]
    [InlineData("10.0.0.1", null, null, null, 1)]
    [InlineData(null, 15020, null, null, 1)]
    [InlineData(null, null, "AGENT", null, 1)]
    [InlineData(null, null, null, "unhealthy", 0)]
    [InlineData(null, null, null, "healthy", 3)]
    public void Given_a_filter_When_built_Then_only_matching_endpoints_remain(string? address, int? port, string? cluster, string? status, int expected)
    {
        Assert.Equal(expected, EndpointsView.Build(Proxy, new EndpointFilter(address, port, cluster, status)).Rows.Count);
    }

    [Fact]
    public void Given_a_pipe_endpoint_without_port_When_built_Then_the_path_alone_is_shown()
    {
        var snapshot = Snapshot(clusters: [Cluster("sds-grpc", "STATIC", inline: [Endpoint("sds-grpc", "./var/run/secrets/workload-spiffe-uds/socket", null)])]);

        Assert.Equal("./var/run/secrets/workload-spiffe-uds/socket", Assert.Single(EndpointsView.Build(snapshot).TextRows)[0]);
    }
}
