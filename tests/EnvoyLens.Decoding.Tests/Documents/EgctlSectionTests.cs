using System.Text;
using EnvoyLens.Admin;
using EnvoyLens.Core;
using EnvoyLens.Decoding.Documents;
using EnvoyLens.Model;
using EnvoyLens.TestKit;

namespace EnvoyLens.Decoding.Tests.Documents;

/// <summary>
/// <c>egctl config envoy-proxy listener|cluster|route|endpoint|bootstrap</c> prints one config dump section per pod,
/// <c>{"ns": {"pod": {"@type": "...ListenersConfigDump", ...}}}</c>, in JSON or YAML; each is read as that section.
/// </summary>
public sealed class EgctlSectionTests
{
    private const string Pod = "envoy-default-eg-e41e7b31-6f9c8d7b5-x2x7q";
    private const string Proxy = "envoy-gateway-system/" + Pod;
    private const string Backend = "httproute/default/backend/rule/0";

    private static string File(string name) => TestPaths.Fixture("egctl", "config-envoy-proxy", name);

    private static EnvoySnapshot Decode(string name) => SnapshotDecoder.Decode(SnapshotSources.Open(File(name)));

    [Theory]
    [InlineData("listener.json", "egctl-namespaced+section", "ListenersConfigDump")]
    [InlineData("listener.yaml", "yaml+egctl-namespaced+section", "ListenersConfigDump")]
    [InlineData("cluster.json", "egctl-namespaced+section", "ClustersConfigDump")]
    [InlineData("cluster.yaml", "yaml+egctl-namespaced+section", "ClustersConfigDump")]
    [InlineData("route.json", "egctl-namespaced+section", "RoutesConfigDump")]
    [InlineData("route.yaml", "yaml+egctl-namespaced+section", "RoutesConfigDump")]
    [InlineData("endpoint.json", "egctl-namespaced+section", "EndpointsConfigDump")]
    [InlineData("endpoint.yaml", "yaml+egctl-namespaced+section", "EndpointsConfigDump")]
    [InlineData("bootstrap.json", "egctl-namespaced+section", "BootstrapConfigDump")]
    [InlineData("bootstrap.yaml", "yaml+egctl-namespaced+section", "BootstrapConfigDump")]
    public void Given_an_egctl_single_type_output_When_its_layout_is_read_Then_it_is_one_entry_of_that_section_for_the_pod(string file, string form, string section)
    {
        var layout = ConfigDumpDocument.Read(System.IO.File.ReadAllBytes(File(file)), file);

        Assert.Equal(form, layout.Form);
        Assert.Equal(Proxy, layout.SelectedProxy);
        var entry = Assert.Single(layout.Entries);
        Assert.Equal("type.googleapis.com/envoy.admin.v3." + section, entry.TypeUrl);
        Assert.Equal("/envoy-gateway-system/" + Pod, entry.Pointer.Value);
    }

    [Theory]
    [InlineData("listener.json")]
    [InlineData("listener.yaml")]
    public void Given_an_egctl_listener_output_When_decoded_Then_its_listener_and_rds_name_are_in_the_model(string file)
    {
        var snapshot = Decode(file);

        var listener = Assert.Single(snapshot.Listeners);
        Assert.Equal("default/eg/http", listener.Name);
        Assert.Equal(10080, listener.Address?.Port);
        Assert.Equal("default/eg/http", listener.DefaultFilterChain!.Filters[0].HttpConnectionManager!.RdsRouteConfigName);
        Assert.Empty(snapshot.Clusters);
        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Level >= DiagnosticLevel.Warning);
    }

    [Theory]
    [InlineData("cluster.json")]
    [InlineData("cluster.yaml")]
    public void Given_an_egctl_cluster_output_When_decoded_Then_its_static_and_dynamic_clusters_are_in_the_model(string file)
    {
        var snapshot = Decode(file);

        Assert.Equal([Backend, "xds_cluster"], snapshot.Clusters.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(ResourceOrigin.Dynamic, snapshot.FindCluster(Backend)!.Meta.Origin);
        Assert.Equal("EDS", snapshot.FindCluster(Backend)!.Type);
        Assert.Equal(new SocketAddress("envoy-gateway", 18000), Assert.Single(snapshot.FindCluster("xds_cluster")!.InlineEndpoints).Address);
        Assert.Empty(snapshot.Listeners);
    }

    [Theory]
    [InlineData("route.json")]
    [InlineData("route.yaml")]
    public void Given_an_egctl_route_output_When_decoded_Then_its_route_configuration_is_in_the_model(string file)
    {
        var snapshot = Decode(file);

        var route = Assert.Single(snapshot.RouteConfigs);
        Assert.Equal("default/eg/http", route.Name);
        var vhost = Assert.Single(route.VirtualHosts);
        Assert.Equal(["www.example.com"], vhost.Domains);
        Assert.Equal(Backend, Assert.Single(vhost.Routes).Cluster);
    }

    [Theory]
    [InlineData("endpoint.json")]
    [InlineData("endpoint.yaml")]
    public void Given_an_egctl_endpoint_output_When_decoded_Then_its_load_assignment_is_in_the_model(string file)
    {
        var snapshot = Decode(file);

        var assignment = Assert.Single(snapshot.LoadAssignments);
        Assert.Equal(Backend, assignment.ClusterName);
        Assert.Equal(new SocketAddress("10.244.0.12", 3000), Assert.Single(assignment.Endpoints).Address);
    }

    [Theory]
    [InlineData("bootstrap.json")]
    [InlineData("bootstrap.yaml")]
    public void Given_an_egctl_bootstrap_output_When_decoded_Then_the_node_and_admin_address_are_in_the_model(string file)
    {
        var snapshot = Decode(file);

        Assert.Equal(Pod, snapshot.Bootstrap!.Node!.Id);
        Assert.Equal(new SocketAddress("127.0.0.1", 19000), snapshot.Bootstrap.AdminAddress);
        Assert.Equal(["xds_cluster"], snapshot.Bootstrap.AdsGrpcClusters);
    }

    [Fact]
    public void Given_a_section_without_type_When_read_Then_its_type_is_inferred_from_its_keys_and_said_so()
    {
        var layout = ConfigDumpDocument.Read(System.IO.File.ReadAllBytes(File("listener-untyped.json")), "untyped.json");

        var entry = Assert.Single(layout.Entries);
        Assert.Equal("type.googleapis.com/envoy.admin.v3.ListenersConfigDump", entry.TypeUrl);
        Assert.StartsWith("{\"@type\":\"type.googleapis.com/envoy.admin.v3.ListenersConfigDump\",", Encoding.UTF8.GetString(layout.EntryBytes(entry).Span), StringComparison.Ordinal);
        var note = Assert.Single(layout.Diagnostics, d => d.Message.Contains("no \"@type\"", StringComparison.Ordinal));
        Assert.Equal(DiagnosticCodes.Interpretation, note.Code);
        Assert.Contains("\"dynamicListeners\"", note.Message, StringComparison.Ordinal);
        Assert.Equal("/envoy-gateway-system/" + Pod, note.Pointer.Value);

        var snapshot = Decode("listener-untyped.json");
        Assert.Equal("default/eg/http", Assert.Single(snapshot.Listeners).Name);
    }

    [Theory]
    [InlineData(null, "ns1/a", "c1")]
    [InlineData("b.ns2", "ns2/b", "c2")]
    public void Given_single_type_output_of_two_pods_When_read_Then_the_named_or_first_pod_is_read(string? proxy, string selected, string cluster)
    {
        const string json = """
            {"ns1": {"a": {"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", "static_clusters": [{"cluster": {"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "c1"}}]}},
             "ns2": {"b": {"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", "static_clusters": [{"cluster": {"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "c2"}}]}}}
            """;
        var raw = new RawSnapshot("two.json", [new RawDocument(AdminEndpoint.ConfigDump, "two.json", Encoding.UTF8.GetBytes(json))]);

        var snapshot = SnapshotDecoder.Decode(raw, new DecodeOptions { Proxy = proxy });

        Assert.Equal(cluster, Assert.Single(snapshot.Clusters).Name);
        Assert.Equal(["ns1/a", "ns2/b"], ConfigDumpDocument.Read(Encoding.UTF8.GetBytes(json), "two.json", proxy).AvailableProxies);
        Assert.Equal(selected, ConfigDumpDocument.Read(Encoding.UTF8.GetBytes(json), "two.json", proxy).SelectedProxy);
    }

    [Fact]
    public void Given_a_wrapped_resource_that_is_not_a_section_When_read_Then_it_is_still_not_a_config_dump()
    {
        const string json = """{"ns": {"pod": {"@type": "type.googleapis.com/envoy.config.listener.v3.Listener", "name": "l"}}}""";

        var ex = Assert.Throws<EnvoyLensException>(() => ConfigDumpDocument.Read(Encoding.UTF8.GetBytes(json), "l.json"));

        Assert.Equal("l.json is not a config dump: it has no \"configs\" (it has top-level keys \"ns\").", ex.Message);
    }
}
