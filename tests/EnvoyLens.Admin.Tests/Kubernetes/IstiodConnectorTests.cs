using System.Text.Json.Nodes;
using EnvoyLens.Admin.Kubernetes;
using EnvoyLens.Core;
using EnvoyLens.TestKit.Live;

namespace EnvoyLens.Admin.Tests.Kubernetes;

/// <summary>
/// <see cref="PodConnector.ConnectIstiodAsync"/> against the Kubernetes API test server: which istiod, which port, which
/// certificate name, and the TokenRequest made for the TLS port.
/// </summary>
public sealed class IstiodConnectorTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private FakeKubernetesApi _api = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync(1);
        foreach (var (name, revision) in new[] { ("istiod-a", "default"), ("istiod-canary-b", "canary") })
        {
            var pod = FakeKubernetesApi.Pod(name, "istio-system", "Running", "discovery");
            pod["metadata"]!["labels"] = new JsonObject { ["app"] = "istiod", ["istio.io/rev"] = revision };
            _api.Pods["istio-system/" + name] = pod;
        }

        _api.ServiceAccounts["istio-system/default"] = true;
        _kubeconfig = _api.WriteKubeconfig(_dir.Path);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Given_plaintext_When_connecting_to_istiod_Then_port_15010_and_no_token_is_requested()
    {
        var info = new StringWriter();

        var target = await PodConnector.ConnectIstiodAsync("istio-system", null, null, _kubeconfig, TimeSpan.FromSeconds(10), info);
        using var resources = target.Resources;

        Assert.Equal(new Uri("http://127.0.0.1:15010/"), target.Address);
        Assert.Null(target.Token);
        Assert.Empty(_api.TokenRequests);
        Assert.Equal("envoylens: asking istiod pod istiod-a.istio-system port 15010 (plaintext xDS) through a Kubernetes port-forward.\n", info.ToString());
    }

    [Fact]
    public async Task Given_a_revision_and_TLS_When_connecting_to_istiod_Then_port_15012_its_service_name_and_a_TokenRequest_token()
    {
        var info = new StringWriter();

        var target = await PodConnector.ConnectIstiodAsync("istio-system", "canary", null, _kubeconfig, TimeSpan.FromSeconds(10), info, tls: true, requestToken: true);
        using var resources = target.Resources;

        Assert.Equal(new Uri("https://istiod-canary.istio-system.svc:15012/"), target.Address);
        Assert.Equal("pod istiod-canary-b.istio-system port 15012", target.Display);
        Assert.Equal(_api.IssuedToken, target.Token);
        Assert.Equal("the Kubernetes TokenRequest API for service account istio-system/default (audience istio-ca)", target.TokenSource);
        var (account, body) = Assert.Single(_api.TokenRequests);
        Assert.Equal("istio-system/default", account);
        Assert.Equal(600, body["spec"]!["expirationSeconds"]!.GetValue<long>());
        Assert.DoesNotContain(_api.IssuedToken, info.ToString(), StringComparison.Ordinal);
        Assert.Contains("bearer token of service account istio-system/default, audience istio-ca", info.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_TLS_with_a_token_already_When_connecting_to_istiod_Then_no_TokenRequest_is_made()
    {
        var target = await PodConnector.ConnectIstiodAsync("istio-system", null, null, _kubeconfig, TimeSpan.FromSeconds(10), null, tls: true, requestToken: false);
        using var resources = target.Resources;

        Assert.Equal(new Uri("https://istiod.istio-system.svc:15012/"), target.Address);
        Assert.Null(target.Token);
        Assert.Empty(_api.TokenRequests);
    }

    [Fact]
    public async Task Given_an_answer_without_a_token_When_connecting_over_TLS_Then_one_sentence()
    {
        _api.IssuedToken = "";

        var e = await Assert.ThrowsAsync<EnvoyLensException>(() =>
            PodConnector.ConnectIstiodAsync("istio-system", null, null, _kubeconfig, TimeSpan.FromSeconds(10), null, tls: true, requestToken: true));

        Assert.EndsWith("answered the TokenRequest for service account istio-system/default without a usable token.", e.Message, StringComparison.Ordinal);
    }
}
