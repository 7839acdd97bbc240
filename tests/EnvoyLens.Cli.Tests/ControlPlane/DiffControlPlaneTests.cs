using EnvoyLens.TestKit;
using EnvoyLens.TestKit.Live;
using F = EnvoyLens.Cli.Tests.ControlPlane.ControlPlaneFixtures;

namespace EnvoyLens.Cli.Tests.ControlPlane;

/// <summary><c>envoylens diff csds://HOST:PORT/NODE SOURCE</c>: the control plane's config for a proxy against the proxy's capture.</summary>
public sealed class DiffControlPlaneTests : IAsyncLifetime
{
    private static readonly string Reviews = TestPaths.Fixture("snapshots", "reviews");
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
    }

    [Fact]
    public void Given_a_CSDS_server_When_diff_csds_against_the_capture_with_exit_code_Then_exactly_the_resources_that_differ_are_named()
    {
        var result = Cli.Run("diff", $"csds://127.0.0.1:{_server.Port}/{F.ReviewsNode}", Reviews, "--exit-code");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(F.ChangedCluster, result.Out, StringComparison.Ordinal);
        Assert.Contains(F.MissingRoute, result.Out, StringComparison.Ordinal);
        Assert.Contains(F.ExtraCluster, result.Out, StringComparison.Ordinal);
        Assert.Contains("connect_timeout", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"\nRouteConfig\s+1\s+0\s+0\nCluster\s+0\s+1\s+1\n\n", result.Out);
        // Resources with Istio's own filters (unreadable protobuf on the control plane's side) are equal, not different.
        Assert.DoesNotContain("0.0.0.0_9080", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("outbound|9080|v1|reviews.default.svc.cluster.local", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("BlackHoleCluster", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"^envoylens: compared only the xDS resources a control plane serves; left out \d+ static resources, secrets and the bootstrap of .*reviews\.\n$", result.Err);
        var request = Envoy.Service.Status.V3.ClientStatusRequest.Parser.ParseFrom(_server.Requests.Single().Request);
        Assert.Equal(F.ReviewsNode, request.NodeMatchers.Single().NodeId.Exact);
    }

    [Fact]
    public void Given_the_capture_against_itself_through_the_control_plane_When_diff_json_Then_it_is_deterministic()
    {
        var first = Cli.Run("diff", $"csds://127.0.0.1:{_server.Port}/{F.ReviewsNode}", Reviews, "-o", "json");
        var second = Cli.Run("diff", $"csds://127.0.0.1:{_server.Port}/{F.ReviewsNode}", Reviews, "-o", "json");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Out, second.Out);
    }

    [Fact]
    public void Given_istiod_with_only_its_debug_xDS_When_diff_csds_Then_its_config_dump_of_the_proxy_is_compared()
    {
        _server.Fetch = null;

        var result = Cli.Run("diff", $"csds://127.0.0.1:{_server.Port}/{F.ReviewsNode}", Reviews, "--exit-code");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("asked ADS istio.io/debug/config_dump instead.", result.Err, StringComparison.Ordinal);
        Assert.Contains(F.ChangedCluster, result.Out, StringComparison.Ordinal);
        Assert.Contains(F.MissingRoute, result.Out, StringComparison.Ordinal);
        Assert.Contains(F.ExtraCluster, result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0.0.0_9080", result.Out, StringComparison.Ordinal);
        // istiod's dump also holds the bootstrap and static resources: left out on both sides, as with CSDS.
        Assert.Matches(@"\nRouteConfig\s+1\s+0\s+0\nCluster\s+0\s+1\s+1\n\n", result.Out);
        Assert.DoesNotContain("Bootstrap", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("prometheus_stats", result.Out, StringComparison.Ordinal);
        var ads = Envoy.Service.Discovery.V3.DiscoveryRequest.Parser.ParseFrom(_server.Requests.Last().Request);
        Assert.Equal(["reviews-v1-6c8d7b9f4-x2x7q.default"], ads.ResourceNames);
    }

    [Fact]
    public void Given_a_node_the_control_plane_does_not_know_When_diff_csds_Then_one_sentence_and_exit_2()
    {
        var result = Cli.Run("diff", $"csds://127.0.0.1:{_server.Port}/sidecar~1.2.3.4~nosuch.default~default.svc.cluster.local", Reviews);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith($"envoylens: the control plane at http://127.0.0.1:{_server.Port} reports no proxy with node id 'sidecar~1.2.3.4~nosuch.default~default.svc.cluster.local'", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_csds_source_without_a_node_When_diff_Then_the_node_of_the_other_sides_bootstrap_is_asked_for()
    {
        var result = Cli.Run("diff", $"csds://127.0.0.1:{_server.Port}", Reviews, "--exit-code");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"envoylens: asking csds://127.0.0.1:{_server.Port} for node {F.ReviewsNode}, the node of {Reviews}.\n", result.Err, StringComparison.Ordinal);
        Assert.Matches(@"\nRouteConfig\s+1\s+0\s+0\nCluster\s+0\s+1\s+1\n\n", result.Out);
        var request = Envoy.Service.Status.V3.ClientStatusRequest.Parser.ParseFrom(_server.Requests.Single().Request);
        Assert.Equal(F.ReviewsNode, request.NodeMatchers.Single().NodeId.Exact);
    }

    [Fact]
    public void Given_two_csds_sources_without_a_node_When_diff_Then_the_form_is_explained()
    {
        var result = Cli.Run("diff", $"csds://127.0.0.1:{_server.Port}", $"csds://127.0.0.1:{_server.Port}/");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"envoylens: 'csds://127.0.0.1:{_server.Port}' must have the form csds://HOST:PORT/NODE_ID", result.Err, StringComparison.Ordinal);
        Assert.Empty(_server.Calls);
    }

    [Fact]
    public void Given_a_control_plane_wanting_a_token_When_diff_csds_with_token_Then_it_is_sent_and_without_it_UNAUTHENTICATED_names_the_missing_credential()
    {
        _server.RequiredToken = "diff-s3cr3t";
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "diff-s3cr3t");
            var ok = Cli.Run("diff", $"csds://127.0.0.1:{_server.Port}/{F.ReviewsNode}", Reviews, "--token", file, "--exit-code");
            var refused = Cli.Run("diff", $"csds://127.0.0.1:{_server.Port}/{F.ReviewsNode}", Reviews, "--exit-code");

            Assert.Equal(1, ok.ExitCode);
            Assert.Contains(F.ChangedCluster, ok.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("diff-s3cr3t", ok.Out + ok.Err, StringComparison.Ordinal);
            Assert.Equal(2, refused.ExitCode);
            Assert.Equal("", refused.Out);
            Assert.EndsWith("was refused as UNAUTHENTICATED ('authentication failure'); EnvoyLens sent no credentials (give --token FILE, or --cert and --key).\n", refused.Err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
