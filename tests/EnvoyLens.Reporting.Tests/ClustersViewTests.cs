using EnvoyLens.Model;
using EnvoyLens.Reporting.Views;
using static EnvoyLens.Reporting.Tests.TestModel;

namespace EnvoyLens.Reporting.Tests;

public sealed class ClustersViewTests
{
    private static readonly EnvoySnapshot Mesh = Snapshot(clusters:
    [
        Cluster("xds-grpc", "STATIC"),
        Cluster("outbound|9080|v2|reviews.default.svc.cluster.local", metadata: IstioConfig("/apis/networking.istio.io/v1alpha3/namespaces/default/destination-rule/reviews")),
        Cluster("outbound|9080|v1|reviews.default.svc.cluster.local"),
        Cluster("inbound|9080||"),
        Cluster("outbound|15010||istiod.istio-system.svc.cluster.local"),
        Cluster("outbound|80||warming.default.svc.cluster.local", state: ResourceState.Warming),
        Cluster("BlackHoleCluster", "STATIC"),
    ]);

    [Fact]
    public void Given_a_mesh_When_built_Then_columns_are_istioctls_and_rows_sort_by_fqdn_subset_port_direction()
    {
        var table = ClustersView.Build(Mesh);

        Assert.Equal(["SERVICE FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE", "DESTINATION RULE"], table.Columns.Select(c => c.Header));
        Assert.Equal(
        [
            ["", "9080", "-", "inbound", "EDS", ""],
            ["BlackHoleCluster", "-", "-", "-", "STATIC", ""],
            ["istiod.istio-system.svc.cluster.local", "15010", "-", "outbound", "EDS", ""],
            ["reviews.default.svc.cluster.local", "9080", "v1", "outbound", "EDS", ""],
            ["reviews.default.svc.cluster.local", "9080", "v2", "outbound", "EDS", "reviews.default"],
            ["xds-grpc", "-", "-", "-", "STATIC", ""],
        ], table.TextRows);
    }

    [Fact]
    public void Given_port_and_subset_filters_When_built_Then_only_matching_names_remain()
    {
        var rows = ClustersView.Build(Mesh, new ClusterFilter(Port: 9080, Subset: "v1")).TextRows;

        Assert.Equal("v1", Assert.Single(rows)[2]);
    }

    [Fact]
    public void Given_fqdn_and_direction_filters_When_built_Then_they_match_substrings_of_the_name()
    {
        var rows = ClustersView.Build(Mesh, new ClusterFilter(Fqdn: "istiod", Direction: "outbound")).TextRows;

        Assert.Equal("istiod.istio-system.svc.cluster.local", Assert.Single(rows)[0]);
    }

    [Fact]
    public void Given_an_inbound_direction_filter_When_built_Then_outbound_clusters_are_left_out()
    {
        var rows = ClustersView.Build(Mesh, new ClusterFilter(Direction: "inbound")).TextRows;

        Assert.Equal("inbound", Assert.Single(rows)[3]);
    }
}
