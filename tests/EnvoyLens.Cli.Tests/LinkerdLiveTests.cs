using System.Text.Json;
using EnvoyLens.Admin;
using EnvoyLens.TestKit;
using Microsoft.AspNetCore.Http;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// A Linkerd pod through the Kubernetes API test server: its linkerd-proxy container is found, the port-forward goes to
/// admin port 4191, and only /metrics, /ready and /live are requested, from a fake linkerd2-proxy admin server over real HTTP.
/// </summary>
public sealed class LinkerdLiveTests : IAsyncLifetime
{
    private LiveFixture _live = null!;

    private string[] Pod => ["--pod", "web-1.default", "--kubeconfig", _live.Kubeconfig];

    public async Task InitializeAsync()
    {
        _live = await LiveFixture.StartAsync();
        _live.Api.Pods["default/web-1"] = TestKit.Live.FakeKubernetesApi.Pod("web-1", "default", "Running", "web", "linkerd-proxy");
        var metrics = await File.ReadAllTextAsync(Path.Combine(Directory.GetDirectories(TestPaths.Fixture("rules"), "EL6001-*").Single(), "fail", "metrics.txt"));
        _live.Admin.Routes["/metrics"] = context => context.Response.WriteAsync(metrics);
        _live.Admin.Routes["/ready"] = context => context.Response.WriteAsync("ready\n");
        _live.Admin.Routes["/live"] = context => context.Response.WriteAsync("live\n");
    }

    public async Task DisposeAsync() => await _live.DisposeAsync();

    [Fact]
    public void Given_a_linkerd_pod_When_snapshotted_with_an_interval_Then_metrics_twice_ready_live_and_a_linkerd_manifest_are_written()
    {
        var output = _live.Path("web-1");

        var result = Cli.Run(["snapshot", .. Pod, "-o", output, "--interval", "10ms"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("envoylens: reading pod web-1.default, container linkerd-proxy (Linkerd's proxy, linkerd2-proxy), admin port 4191.\n", result.Err);
        Assert.Equal(["/metrics", "/ready", "/live", "/metrics"], _live.Admin.Requests.Select(r => r.PathAndQuery));
        Assert.All(_live.Admin.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Contains(_live.Api.Requests, r => r.Path.EndsWith("/pods/web-1/portforward", StringComparison.Ordinal) && r.Query.Contains("ports=4191", StringComparison.Ordinal));
        var manifest = BundleManifest.Read(File.ReadAllBytes(Path.Combine(output, "manifest.json")), "manifest.json");
        Assert.Equal(new BundleTarget("pod", "web-1.default", "linkerd-proxy", 4191, null), manifest.Target);
        Assert.Equal("linkerd2-proxy", manifest.Proxy);
        Assert.Equal("enterprise-2.16.1", manifest.ProxyVersion);
        Assert.Null(manifest.EnvoyVersion);
        Assert.Equal(["live.txt", "metrics.2.txt", "metrics.txt", "ready.txt"], manifest.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal("ready\n", File.ReadAllText(Path.Combine(output, "ready.txt")));

        // The bundle reads back as a Linkerd proxy with two samples.
        var decoded = Cli.Run("decode", output, "-o", "json");
        using var doc = JsonDocument.Parse(decoded.Out);
        Assert.Equal("linkerd2-proxy", doc.RootElement.GetProperty("proxy").GetProperty("kind").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("resources").GetProperty("linkerdSamples").GetProperty("total").GetInt32());
    }

    [Fact]
    public void Given_a_linkerd_pod_When_analyzed_live_Then_it_is_a_linkerd_proxy_and_its_expired_certificate_an_error()
    {
        var result = Cli.Run(["analyze", .. Pod, "--at", "2026-11-20T10:00:00Z"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Linkerd proxy (linkerd2-proxy enterprise-2.16.1): ", result.Out, StringComparison.Ordinal);
        Assert.Contains("The proxy's identity certificate expired at 2026-11-19T10:00:00Z", result.Out, StringComparison.Ordinal);
        Assert.Equal(["/metrics", "/ready", "/live"], _live.Admin.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public void Given_a_linkerd_pod_When_an_envoy_view_is_asked_Then_the_envoy_path_is_refused_before_any_request()
    {
        var result = Cli.Run(["config", "clusters", .. Pod]);

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith(
            "envoylens: EnvoyLens refuses to request '/config_dump?mask=static_clusters%2Cdynamic_active_clusters%2Cdynamic_warming_clusters' from pod web-1.default port 4191: " +
            "'/config_dump' is not a read-only endpoint EnvoyLens reads from a Linkerd proxy (linkerd2-proxy) (allowed: /live, /metrics, /ready); it only reads allowlisted read-only endpoints with GET.\n",
            result.Err,
            StringComparison.Ordinal);
        Assert.Empty(_live.Admin.Requests);
    }
}
