using System.Text.Json;
using EnvoyLens.TestKit;
using EnvoyLens.TestKit.Live;
using F = EnvoyLens.Cli.Tests.ControlPlane.ControlPlaneFixtures;

namespace EnvoyLens.Cli.Tests.ControlPlane;

/// <summary>
/// <c>envoylens status PROXY_SOURCE --control-plane ADDR</c>: the control plane's config for the proxy's node (from its
/// bootstrap) against the proxy's capture, kind by kind and resource by resource, like <c>istioctl proxy-status POD</c>.
/// </summary>
public sealed class StatusProxySourceTests : IAsyncLifetime
{
    private static readonly string Reviews = TestPaths.Fixture("snapshots", "reviews");
    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-status-source-").FullName;
    private FakeControlPlane _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeControlPlane.StartAsync();
        _server.Fetch = F.ClientStatus;
        _server.Ads = F.IstioDebug;
    }

    public async Task DisposeAsync()
    {
        StatusCommandTests.AssertOnlyAllowlistedCalls(_server);
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Given_a_capture_that_differs_from_the_control_plane_When_status_with_it_Then_each_kind_says_Match_or_Dont_Match_and_the_resources_are_named()
    {
        var result = Cli.Run("status", Reviews, "--control-plane", _server.Url);

        Assert.Equal(1, result.ExitCode);
        var lines = result.Out.Split('\n');
        Assert.Equal(
            ["Clusters Don't Match (2 resources differ)", "Listeners Match", "Routes Don't Match (1 resource differs)", "Endpoints Match", "Extension configs Match", ""],
            lines.Take(6));
        Assert.Contains(F.ChangedCluster, result.Out, StringComparison.Ordinal);
        Assert.Contains(F.MissingRoute, result.Out, StringComparison.Ordinal);
        Assert.Contains(F.ExtraCluster, result.Out, StringComparison.Ordinal);
        Assert.Contains("connect_timeout", result.Out, StringComparison.Ordinal);
        Assert.StartsWith($"envoylens: asking csds://127.0.0.1:{_server.Port} for node {F.ReviewsNode}, the node of {Reviews}.\n", result.Err, StringComparison.Ordinal);
        var request = Envoy.Service.Status.V3.ClientStatusRequest.Parser.ParseFrom(_server.Requests.Single().Request);
        Assert.Equal(F.ReviewsNode, request.NodeMatchers.Single().NodeId.Exact);
    }

    [Fact]
    public void Given_a_capture_that_differs_When_status_with_it_o_json_Then_the_change_set_is_written_and_it_exits_1()
    {
        var result = Cli.Run("status", Reviews, "--control-plane", _server.Url, "-o", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("envoylens-diff/v1", json.RootElement.GetProperty("schema").GetString());
        Assert.Contains(F.ExtraCluster, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_capture_equal_to_the_control_planes_view_When_status_with_it_Then_every_kind_matches_and_it_exits_0()
    {
        var file = Path.Combine(_dir, "config_dump.json");
        File.WriteAllText(file, F.ControlPlaneDump().ToJsonString());

        var result = Cli.Run("status", file, "--control-plane", _server.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Clusters Match\nListeners Match\nRoutes Match\nEndpoints Match\nExtension configs Match\n", result.Out);
    }

    [Fact]
    public void Given_istiods_debug_xDS_only_When_status_with_a_capture_Then_its_config_dump_of_the_proxy_is_compared()
    {
        _server.Fetch = null;

        var result = Cli.Run("status", Reviews, "--control-plane", _server.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Clusters Don't Match (2 resources differ)\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("asked ADS istio.io/debug/config_dump instead.", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_name_that_is_not_a_file_When_status_Then_it_filters_by_proxy_name_as_before()
    {
        var result = Cli.Run("status", "reviews-v1-6c8d7b9f4-x2x7q.default", "--control-plane", _server.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("NAME ", result.Out, StringComparison.Ordinal);
        Assert.Contains("reviews-v1-6c8d7b9f4-x2x7q.default", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_proxy_source_When_status_o_yaml_Then_a_usage_error_before_any_call()
    {
        var result = Cli.Run("status", Reviews, "--control-plane", _server.Url, "-o", "yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: status PROXY_SOURCE writes a table or json (the change set, schema envoylens-diff/v1), not yaml.\n", result.Err);
        Assert.Empty(_server.Calls);
    }

    [Fact]
    public async Task Given_a_live_proxy_When_status_with_its_admin_URL_Then_its_config_is_compared_with_the_control_planes()
    {
        // The fake admin server serves the reviews sample's admin outputs over real HTTP.
        await using var admin = await FakeAdminServer.StartAsync(Reviews);

        var result = Cli.Run("status", admin.BaseAddress.GetLeftPart(UriPartial.Authority), "--control-plane", _server.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Clusters Don't Match (2 resources differ)\n", result.Out, StringComparison.Ordinal);
        Assert.Contains(F.MissingRoute, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_pod_When_status_with_pod_source_Then_it_is_read_through_the_port_forward_and_compared()
    {
        await using var admin = await FakeAdminServer.StartAsync(Reviews);
        await using var api = await FakeKubernetesApi.StartAsync(admin.Port);
        api.Pods["default/reviews-v1-6c8d7b9f4-x2x7q"] = FakeKubernetesApi.Pod("reviews-v1-6c8d7b9f4-x2x7q", "default", "Running", "reviews", "istio-proxy");
        var kubeconfig = api.WriteKubeconfig(_dir);

        var result = Cli.Run("status", "pod/reviews-v1-6c8d7b9f4-x2x7q", "-n", "default", "--kubeconfig", kubeconfig, "--control-plane", _server.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("envoylens: reading pod reviews-v1-6c8d7b9f4-x2x7q.default, container istio-proxy, admin port 15000.\n", result.Err, StringComparison.Ordinal);
        Assert.StartsWith("Clusters Don't Match (2 resources differ)\n", result.Out, StringComparison.Ordinal);
        Assert.Contains(api.Requests, r => r.Path == "/api/v1/namespaces/default/pods/reviews-v1-6c8d7b9f4-x2x7q/portforward");
    }

    [Fact]
    public void Given_a_file_source_and_a_namespace_When_status_Then_a_usage_error_before_any_call()
    {
        var result = Cli.Run("status", Reviews, "-n", "default", "--control-plane", _server.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"envoylens: --namespace names the pod's namespace when status compares a pod/ source, and '{Reviews}' is not a pod.\n", result.Err);
        Assert.Empty(_server.Calls);
    }
}
