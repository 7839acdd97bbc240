using EnvoyLens.Admin.Kubernetes;
using EnvoyLens.Admin.Live;
using EnvoyLens.Core;
using EnvoyLens.TestKit.Live;

namespace EnvoyLens.Admin.Tests.Kubernetes;

/// <summary>Pod lookup and port-forward against a Kestrel Kubernetes API bridging to a Kestrel admin server.</summary>
public sealed class PortForwardTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private FakeAdminServer _admin = null!;
    private FakeKubernetesApi _api = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _admin = await FakeAdminServer.StartAsync();
        _api = await FakeKubernetesApi.StartAsync(_admin.Port);
        _api.Pods["default/reviews-v1"] = FakeKubernetesApi.Pod("reviews-v1", "default", "Running", "reviews", "istio-proxy");
        _kubeconfig = _api.WriteKubeconfig(_dir.Path);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _admin.DisposeAsync();
        _dir.Dispose();
    }

    private Task<AdminTarget> Connect(string pod, TextWriter? info = null, string? container = null, string? context = null) =>
        PodConnector.ConnectAsync(new PodSelector(pod) { Kubeconfig = _kubeconfig, Container = container, Context = context }, info);

    [Fact]
    public async Task Given_a_running_pod_with_a_sidecar_When_read_Then_bytes_come_through_the_port_forward()
    {
        var info = new StringWriter();
        using var client = new AdminClient(await Connect("reviews-v1.default", info));

        await client.DownloadAsync("/server_info", _dir.File("server_info.json"));
        await client.DownloadAsync("/clusters?format=json", _dir.File("clusters.json"));

        var fixture = Path.Combine(EnvoyLens.TestKit.TestPaths.Fixture("snapshots", "reviews"), "clusters.json");
        Assert.Equal(await File.ReadAllBytesAsync(fixture), await File.ReadAllBytesAsync(_dir.File("clusters.json")));
        Assert.Equal("envoylens: reading pod reviews-v1.default, container istio-proxy, admin port 15000.\n", info.ToString());
        Assert.Equal(["/server_info", "/clusters"], _admin.Requests.Select(r => r.Path));
        var forwards = _api.Requests.Where(r => r.Path.EndsWith("/portforward", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(forwards);
        Assert.All(forwards, r => Assert.Equal("/api/v1/namespaces/default/pods/reviews-v1/portforward", r.Path));
        Assert.All(forwards, r => Assert.Contains("ports=15000", r.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_no_namespace_When_connecting_Then_the_context_namespace_is_used()
    {
        _api.Pods["bookinfo/ratings-v1"] = FakeKubernetesApi.Pod("ratings-v1", "bookinfo", "Running", "ratings", "istio-proxy");

        var target = await Connect("ratings-v1", context: "other");

        Assert.Equal("ratings-v1.bookinfo", target.Name);
        target.Resources?.Dispose();
    }

    [Fact]
    public async Task Given_port_forward_forbidden_When_read_Then_the_RBAC_verb_is_named()
    {
        _api.ForbidPortForward = true;
        using var client = new AdminClient(await Connect("reviews-v1.default"), new AdminClientOptions { RetryDelay = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.DownloadAsync("/server_info", _dir.File("server_info.json")));

        Assert.True(error.Message.Contains("'create pods/portforward' in namespace default", StringComparison.Ordinal), error.Message);
        Assert.Empty(_admin.Requests);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.json"));
    }

    [Fact]
    public async Task Given_the_admin_port_refuses_inside_the_pod_When_read_Then_the_error_channel_is_reported()
    {
        _api.RefuseInsidePod = true;
        using var client = new AdminClient(await Connect("reviews-v1.default"), new AdminClientOptions { RetryDelay = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.DownloadAsync("/server_info", _dir.File("server_info.json")));

        Assert.True(error.Message.Contains("nothing accepts connections on port 15000 inside pod reviews-v1.default", StringComparison.Ordinal), error.Message);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
        Assert.Empty(_admin.Requests);
    }

    [Fact]
    public async Task Given_an_unknown_pod_When_connecting_Then_not_found_is_said()
    {
        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => Connect("details-v1.default"));

        Assert.Equal("pod details-v1.default was not found; check the name and namespace (kubectl get pods -n default).", error.Message);
    }

    [Fact]
    public async Task Given_a_pod_without_sidecar_When_connecting_Then_its_containers_are_listed()
    {
        _api.Pods["default/plain"] = FakeKubernetesApi.Pod("plain", "default", "Running", "app", "log-shipper");

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => Connect("plain.default"));

        Assert.Contains("has no Envoy sidecar container", error.Message, StringComparison.Ordinal);
        Assert.Contains("its containers: app, log-shipper", error.Message, StringComparison.Ordinal);
        Assert.Contains("--container", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_named_container_When_connecting_Then_it_is_chosen_or_refused()
    {
        var target = await Connect("reviews-v1.default", container: "reviews");
        Assert.Equal("reviews", target.Container);
        target.Resources?.Dispose();

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => Connect("reviews-v1.default", container: "nope"));
        Assert.Equal("pod reviews-v1.default has no container 'nope' (its containers: reviews, istio-proxy).", error.Message);
    }

    [Fact]
    public async Task Given_a_pending_pod_When_connecting_Then_its_phase_is_named()
    {
        _api.Pods["default/starting"] = FakeKubernetesApi.Pod("starting", "default", "Pending", "istio-proxy");

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => Connect("starting.default"));

        Assert.StartsWith("pod starting.default is Pending, not Running", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_kubeconfig_problems_When_connecting_Then_each_has_its_sentence()
    {
        var missing = await Assert.ThrowsAsync<EnvoyLensException>(() =>
            PodConnector.ConnectAsync(new PodSelector("reviews-v1.default") { Kubeconfig = _dir.File("nope") }, null));
        Assert.StartsWith("no kubeconfig at ", missing.Message, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<EnvoyLensException>(() => Connect("reviews-v1.default", context: "prod"));
        Assert.EndsWith("has no context 'prod' (it has fake, other).", unknown.Message, StringComparison.Ordinal);

        await File.WriteAllTextAsync(_dir.File("broken"), "clusters: [: not yaml");
        var broken = await Assert.ThrowsAsync<EnvoyLensException>(() =>
            PodConnector.ConnectAsync(new PodSelector("reviews-v1.default") { Kubeconfig = _dir.File("broken") }, null));
        Assert.StartsWith($"kubeconfig '{_dir.File("broken")}' cannot be read", broken.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Requests);
    }

    [Theory]
    [InlineData("reviews-v1.default", null, "reviews-v1", "default")]
    [InlineData("reviews-v1", "bookinfo", "reviews-v1", "bookinfo")]
    [InlineData("reviews-v1", null, "reviews-v1", null)]
    [InlineData("pod/reviews-v1.default", null, "reviews-v1", "default")]
    [InlineData("default/reviews-v1", null, "reviews-v1", "default")]
    public void Given_a_pod_token_When_split_Then_name_and_namespace_follow_istioctl(string pod, string? ns, string name, string? expectedNs) =>
        Assert.Equal((name, expectedNs), new PodSelector(pod) { Namespace = ns }.Split());

    [Theory]
    [InlineData("Reviews.default")]
    [InlineData("reviews.")]
    [InlineData("a b")]
    public void Given_a_bad_pod_token_When_split_Then_it_is_refused(string pod) =>
        Assert.Throws<EnvoyLensException>(() => new PodSelector(pod).Split());

    [Fact]
    public void Given_a_namespace_twice_When_split_Then_a_conflict_is_refused() =>
        Assert.Throws<EnvoyLensException>(() => new PodSelector("reviews-v1.default") { Namespace = "bookinfo" }.Split());
}
