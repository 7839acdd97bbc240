using System.Text.Json.Nodes;
using EnvoyLens.TestKit.Live;
using F = EnvoyLens.Cli.Tests.ControlPlane.ControlPlaneFixtures;

namespace EnvoyLens.Cli.Tests.ControlPlane;

/// <summary><c>status --istiod</c>: istiod found through the Kubernetes API test server and reached through its port-forward.</summary>
public sealed class StatusIstiodTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-istiod-").FullName;
    private FakeControlPlane _istiod = null!;
    private FakeKubernetesApi _api = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _istiod = await FakeControlPlane.StartAsync();
        _istiod.Ads = F.IstioDebug;
        _api = await FakeKubernetesApi.StartAsync(_istiod.Port);
        _api.Pods["istio-system/istiod-7d9c8f6b5-abcde"] = Istiod("istiod-7d9c8f6b5-abcde", "default", "Running");
        _api.Pods["istio-system/istiod-canary-5c4d-xyz12"] = Istiod("istiod-canary-5c4d-xyz12", "canary", "Running");
        _api.Pods["istio-system/istiod-0000-pending"] = Istiod("istiod-0000-pending", "default", "Pending");
        _kubeconfig = _api.WriteKubeconfig(_dir);
    }

    public async Task DisposeAsync()
    {
        StatusCommandTests.AssertOnlyAllowlistedCalls(_istiod);
        await _api.DisposeAsync();
        await _istiod.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static JsonObject Istiod(string name, string revision, string phase)
    {
        var pod = FakeKubernetesApi.Pod(name, "istio-system", phase, "discovery");
        pod["metadata"]!["labels"] = new JsonObject { ["app"] = "istiod", ["istio.io/rev"] = revision };
        return pod;
    }

    [Fact]
    public void Given_istiod_in_the_cluster_When_status_istiod_Then_it_is_found_port_forwarded_to_and_its_proxies_listed()
    {
        var result = Cli.Run("status", "--istiod", "--kubeconfig", _kubeconfig);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("envoylens: asking istiod pod istiod-7d9c8f6b5-abcde.istio-system port 15010 (plaintext xDS) through a Kubernetes port-forward.\n", result.Err, StringComparison.Ordinal);
        Assert.Contains("does not implement CSDS FetchClientStatus; asked CSDS StreamClientStatus instead.", result.Err, StringComparison.Ordinal);
        Assert.Matches(@"\nreviews-v1-6c8d7b9f4-x2x7q\.default\s+\S+\s+SYNCED\s+SYNCED\s+SYNCED\s+SYNCED\s+NOT SENT\s+istiod-7d9c8f6b5-abcde\s", result.Out);
        Assert.Contains(_api.Requests, r => r.Path == "/api/v1/namespaces/istio-system/pods" && r.Query.Contains("labelSelector=app%3Distiod", StringComparison.Ordinal));
        Assert.Contains(_api.Requests, r => r.Path == "/api/v1/namespaces/istio-system/pods/istiod-7d9c8f6b5-abcde/portforward");
    }

    [Fact]
    public void Given_a_revision_When_status_istiod_Then_that_revisions_pod_is_asked()
    {
        var result = Cli.Run("status", "--istiod", "--revision", "canary", "--kubeconfig", _kubeconfig, "-o", "json");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("envoylens: asking istiod pod istiod-canary-5c4d-xyz12.istio-system port 15010", result.Err, StringComparison.Ordinal);
        Assert.Contains(_api.Requests, r => r.Path.EndsWith("/istiod-canary-5c4d-xyz12/portforward", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_no_istiod_in_the_namespace_When_status_istiod_Then_one_sentence_and_exit_2()
    {
        var result = Cli.Run("status", "--istiod", "-i", "istio-other", "--kubeconfig", _kubeconfig);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal("envoylens: no running istiod pod in namespace istio-other (label app=istiod); give --istio-namespace or --revision, or --control-plane ADDR.\n", result.Err);
        Assert.Empty(_istiod.Calls);
    }

    [Theory]
    [InlineData("--revision", "canary", "--revision applies only to --istiod.")]
    [InlineData("--kubeconfig", "k", "--kubeconfig applies only to --istiod.")]
    public void Given_a_Kubernetes_option_without_istiod_When_status_Then_a_usage_error(string option, string value, string message)
    {
        var result = Cli.Run("status", "--control-plane", "http://127.0.0.1:1", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: " + message + "\n", result.Err);
    }

    [Fact]
    public void Given_both_an_address_and_istiod_When_status_Then_a_usage_error()
    {
        var result = Cli.Run("status", "--control-plane", "http://127.0.0.1:1", "--istiod");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: name the control plane once: --control-plane ADDR or --istiod, not both.\n", result.Err);
    }

    [Fact]
    public async Task Given_a_pod_and_istiod_in_the_cluster_When_status_pod_istiod_Then_both_are_port_forwarded_and_the_pods_config_compared()
    {
        await using var admin = await FakeAdminServer.StartAsync(EnvoyLens.TestKit.TestPaths.Fixture("snapshots", "reviews"));
        _api.ForwardPorts[15000] = admin.Port;
        _api.Pods["default/reviews-v1-6c8d7b9f4-x2x7q"] = FakeKubernetesApi.Pod("reviews-v1-6c8d7b9f4-x2x7q", "default", "Running", "reviews", "istio-proxy");

        var result = Cli.Run("status", "pod/reviews-v1-6c8d7b9f4-x2x7q.default", "--istiod", "--kubeconfig", _kubeconfig);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Clusters Don't Match (2 resources differ)\nListeners Match\nRoutes Don't Match (1 resource differs)\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("envoylens: reading pod reviews-v1-6c8d7b9f4-x2x7q.default, container istio-proxy, admin port 15000.\n", result.Err, StringComparison.Ordinal);
        Assert.Contains($"envoylens: asking istiod:// for node {F.ReviewsNode}, the node of reviews-v1-6c8d7b9f4-x2x7q.default.\n", result.Err, StringComparison.Ordinal);
        Assert.Contains("envoylens: asking istiod pod istiod-7d9c8f6b5-abcde.istio-system port 15010 (plaintext xDS) through a Kubernetes port-forward.\n", result.Err, StringComparison.Ordinal);
        var ads = Envoy.Service.Discovery.V3.DiscoveryRequest.Parser.ParseFrom(_istiod.Requests.Last().Request);
        Assert.Equal("istio.io/debug/config_dump", ads.TypeUrl);
        Assert.Equal(["reviews-v1-6c8d7b9f4-x2x7q.default"], ads.ResourceNames);
    }
}
