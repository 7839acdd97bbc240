using System.Text.Json;
using EnvoyLens.Admin.ControlPlane;
using EnvoyLens.Core;
using EnvoyLens.TestKit.Live;
using Envoy.Service.Discovery.V3;
using F = EnvoyLens.Cli.Tests.ControlPlane.ControlPlaneFixtures;

namespace EnvoyLens.Cli.Tests.ControlPlane;

/// <summary><c>envoylens status --control-plane</c> against a real gRPC server serving CSDS and Istio's debug xDS.</summary>
public sealed class StatusCommandTests : IAsyncLifetime
{
    private FakeControlPlane _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeControlPlane.StartAsync();
        _server.Fetch = F.ClientStatus;
        _server.Stream = F.ClientStatus;
        _server.Ads = F.IstioDebug;
    }

    public async Task DisposeAsync()
    {
        AssertOnlyAllowlistedCalls(_server);
        await _server.DisposeAsync();
    }

    /// <summary>Every request that reached the server was an allowlisted method, and every ADS request asked for an Istio debug type.</summary>
    internal static void AssertOnlyAllowlistedCalls(FakeControlPlane server)
    {
        Assert.All(server.Calls, c => Assert.Contains(c.Path, ControlPlaneAllowlist.Paths));
        foreach (var (path, request) in server.Requests.Where(r => r.Path.Contains("Aggregated", StringComparison.Ordinal)))
        {
            Assert.Contains(DiscoveryRequest.Parser.ParseFrom(request).TypeUrl, ControlPlaneAllowlist.TypeUrls);
        }
    }

    [Fact]
    public void Given_a_CSDS_server_When_status_Then_every_proxy_is_listed_sorted_with_its_types_and_a_STALE_or_NACKed_proxy_exits_1()
    {
        var result = Cli.Run("status", "--control-plane", _server.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Err);
        var lines = result.Out.Split('\n');
        Assert.Matches(@"^NAME\s+CLUSTER\s+CDS\s+LDS\s+EDS\s+RDS\s+ECDS\s+CONTROL PLANE\s+VERSION$", lines[0]);
        Assert.Matches(@"^productpage-v1-7d6cfb7dfd-9lz4w\.bookinfo\s+Kubernetes\s+SYNCED\s+ERROR\s+SYNCED\s+SYNCED\s+NOT SENT\s+http://127\.0\.0\.1:\d+\s+1\.24\.0$", lines[1]);
        Assert.Matches(@"^ratings-v1-5f9699cfdf-k8s2p\.default\s+Kubernetes\s+SYNCED\s+STALE\s+SYNCED\s+SYNCED\s+NOT SENT\s+", lines[2]);
        Assert.Matches(@"^reviews-v1-6c8d7b9f4-x2x7q\.default\s+\S+\s+SYNCED\s+SYNCED\s+SYNCED\s+SYNCED\s+NOT SENT\s+", lines[3]);
        Assert.Equal("", lines[4]);
        // As istioctl: the NACK is ERROR in its column, its text only on request.
        Assert.Equal(5, lines.Length);
        Assert.DoesNotContain(F.Nack, result.Out, StringComparison.Ordinal);
        Assert.Equal(["/envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus"], _server.Calls.Select(c => c.Path));
    }

    [Theory]
    [InlineData("--details")]
    [InlineData("-o", "wide")]
    public void Given_a_NACKed_proxy_When_status_with_details_or_wide_Then_the_NACK_text_follows_the_table(params string[] option)
    {
        var result = Cli.Run(["status", "--control-plane", _server.Url, .. option]);

        Assert.Equal(1, result.ExitCode);
        var lines = result.Out.Split('\n');
        Assert.Matches(@"^NAME\s+CLUSTER\s+CDS\s+LDS\s+EDS\s+RDS\s+ECDS\s+CONTROL PLANE\s+VERSION$", lines[0]);
        Assert.Matches(@"^productpage-v1-7d6cfb7dfd-9lz4w\.bookinfo\s+Kubernetes\s+SYNCED\s+ERROR\s+", lines[1]);
        Assert.Equal("", lines[4]);
        Assert.Equal($"NACK productpage-v1-7d6cfb7dfd-9lz4w.bookinfo LDS 0.0.0.0_9080 (version 2026-12-07T10:00:00Z/41): {F.Nack}", lines[5]);
        Assert.Equal("", lines[6]);
        Assert.Equal(7, lines.Length);
    }

    [Fact]
    public void Given_a_CSDS_server_When_status_o_json_Then_each_proxy_has_its_node_types_versions_and_NACK()
    {
        var result = Cli.Run("status", "--control-plane", _server.Url, "-o", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("envoylens-status/v1", root.GetProperty("schema").GetString());
        Assert.Equal("CSDS FetchClientStatus", root.GetProperty("api").GetString());
        var proxies = root.GetProperty("proxies").EnumerateArray().ToList();
        Assert.Equal(["productpage-v1-7d6cfb7dfd-9lz4w.bookinfo", "ratings-v1-5f9699cfdf-k8s2p.default", "reviews-v1-6c8d7b9f4-x2x7q.default"], proxies.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(F.ReviewsNode, proxies[2].GetProperty("nodeId").GetString());
        Assert.True(proxies[2].GetProperty("inSync").GetBoolean());
        Assert.False(proxies[1].GetProperty("inSync").GetBoolean());
        Assert.Equal("STALE", proxies[1].GetProperty("types").GetProperty("lds").GetProperty("status").GetString());
        var lds = proxies[0].GetProperty("types").GetProperty("lds");
        Assert.Equal("ERROR", lds.GetProperty("status").GetString());
        Assert.Equal(F.Nack, lds.GetProperty("errors")[0].GetProperty("details").GetString());
        Assert.Equal("0.0.0.0_9080", lds.GetProperty("errors")[0].GetProperty("resource").GetString());
        Assert.Equal("2026-12-07T10:00:00Z/41", proxies[1].GetProperty("types").GetProperty("cds").GetProperty("version").GetString());
    }

    [Fact]
    public void Given_one_synced_proxy_named_When_status_Then_only_its_row_is_shown_and_it_exits_0()
    {
        var result = Cli.Run("status", "--control-plane", _server.Url, "reviews-v1-6c8d7b9f4-x2x7q", "-n", "default");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Out.TrimEnd('\n').Split('\n').Length);
        Assert.Contains("reviews-v1-6c8d7b9f4-x2x7q.default", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_namespace_When_status_Then_only_its_proxies_are_listed()
    {
        var result = Cli.Run("status", "--control-plane", _server.Url, "-n", "bookinfo", "-o", "yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("productpage-v1-7d6cfb7dfd-9lz4w.bookinfo", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("reviews-v1", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_proxy_the_control_plane_does_not_know_When_status_Then_one_sentence_and_exit_2()
    {
        var result = Cli.Run("status", "--control-plane", _server.Url, "nosuch.default");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith($"envoylens: the control plane at http://127.0.0.1:{_server.Port} reports no proxy 'nosuch.default' (it reports 3);", result.Err, StringComparison.Ordinal);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Given_a_server_with_only_the_CSDS_stream_When_status_Then_it_falls_back_and_says_so()
    {
        _server.Fetch = null;

        var result = Cli.Run("status", "--control-plane", _server.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"envoylens: the control plane at http://127.0.0.1:{_server.Port} does not implement CSDS FetchClientStatus; asked CSDS StreamClientStatus instead.\n", result.Err);
        Assert.Contains("ratings-v1-5f9699cfdf-k8s2p.default", result.Out, StringComparison.Ordinal);
        Assert.Equal(
            ["/envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus", "/envoy.service.status.v3.ClientStatusDiscoveryService/StreamClientStatus"],
            _server.Calls.Select(c => c.Path));
    }

    [Fact]
    public void Given_istiod_with_only_its_debug_xDS_When_status_Then_syncz_is_read_and_the_control_plane_column_names_the_istiod()
    {
        _server.Fetch = null;
        _server.Stream = null;

        var result = Cli.Run("status", "--control-plane", _server.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("asked ADS istio.io/debug/syncz instead.", result.Err, StringComparison.Ordinal);
        Assert.Matches(@"\nreviews-v1-6c8d7b9f4-x2x7q\.default\s+\S+\s+SYNCED\s+SYNCED\s+SYNCED\s+SYNCED\s+NOT SENT\s+istiod-7d9c8f6b5-abcde\s", result.Out);
        Assert.Equal(3, _server.Calls.Count);
    }

    [Fact]
    public void Given_a_server_implementing_nothing_When_status_Then_one_sentence_names_the_APIs_tried()
    {
        _server.Fetch = null;
        _server.Stream = null;
        _server.Ads = null;

        var result = Cli.Run("status", "--control-plane", _server.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith(
            $"envoylens: the control plane at http://127.0.0.1:{_server.Port} implements none of CSDS FetchClientStatus, CSDS StreamClientStatus, ADS istio.io/debug/syncz (each answered UNIMPLEMENTED); is this an xDS control plane's gRPC port?\n",
            result.Err,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_server_wanting_a_token_When_none_is_given_Then_UNAUTHENTICATED_names_the_missing_credential()
    {
        _server.RequiredToken = "s3cr3t";

        var result = Cli.Run("status", "--control-plane", _server.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal(
            $"envoylens: /envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus on http://127.0.0.1:{_server.Port} was refused as UNAUTHENTICATED ('authentication failure'); EnvoyLens sent no credentials (give --token FILE, or --cert and --key).\n",
            result.Err);
    }

    [Fact]
    public void Given_a_server_wanting_a_token_When_the_token_file_is_given_Then_it_is_sent_as_a_bearer_token()
    {
        _server.RequiredToken = "s3cr3t";
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "s3cr3t\n");
            var ok = Cli.Run("status", "--control-plane", _server.Url, "--token", file);
            File.WriteAllText(file, "wrong");
            var wrong = Cli.Run("status", "--control-plane", _server.Url, "--token", file);

            Assert.Equal(1, ok.ExitCode);
            Assert.Equal("Bearer s3cr3t", _server.Calls.First().Authorization);
            Assert.Equal(2, wrong.ExitCode);
            Assert.Contains($"EnvoyLens sent the bearer token from '{file}'.", wrong.Err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Given_a_token_the_server_does_not_allow_When_status_Then_PERMISSION_DENIED_names_the_token_sent()
    {
        _server.DenyWith = "debug access denied for identity spiffe://cluster.local/ns/default/sa/default";
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "t0ken");

            var result = Cli.Run("status", "--control-plane", _server.Url, "--token", file);

            Assert.Equal(2, result.ExitCode);
            Assert.Equal("", result.Out);
            Assert.Equal(
                $"envoylens: /envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus on http://127.0.0.1:{_server.Port} was refused with PERMISSION_DENIED ('{_server.DenyWith}'); " +
                $"EnvoyLens sent the bearer token from '{file}', which the control plane does not allow to read status.\n",
                result.Err);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Given_an_empty_token_file_When_status_Then_a_usage_error_before_any_call()
    {
        var file = Path.GetTempFileName();
        try
        {
            var result = Cli.Run("status", "--control-plane", _server.Url, "--token", file);

            Assert.Equal(2, result.ExitCode);
            Assert.Equal($"envoylens: the token from '{file}' (--token) is empty.\n", result.Err);
            Assert.Empty(_server.Calls);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Given_a_server_that_never_answers_When_status_Then_the_timeout_ends_it_in_one_sentence()
    {
        _server.NeverAnswer = true;

        var result = Cli.Run("status", "--control-plane", _server.Url, "--timeout", "1s");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal(
            $"envoylens: /envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus on http://127.0.0.1:{_server.Port} got no answer within the 1 s timeout (--timeout); is this the control plane's gRPC port, and is it responsive?\n",
            result.Err);
    }

    [Fact]
    public void Given_nothing_listening_When_status_Then_connection_refused_in_one_sentence()
    {
        var port = ClosedPort();

        var result = Cli.Run("status", "--control-plane", $"http://127.0.0.1:{port}");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"envoylens: /envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus on http://127.0.0.1:{port} failed: the connection was refused; is the control plane listening there (istiod: 15010 plaintext, 15012 TLS)?\n",
            result.Err);
    }

    [Theory]
    [InlineData("--ca", "ca.pem", "--ca applies only to an https:// control plane, and 'http://127.0.0.1:1' is not one.")]
    [InlineData("--cert", "c.pem", "--cert applies only to an https:// control plane, and 'http://127.0.0.1:1' is not one.")]
    public void Given_TLS_options_with_plaintext_When_status_Then_a_usage_error(string option, string value, string message)
    {
        var result = Cli.Run("status", "--control-plane", "http://127.0.0.1:1", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: " + message + "\n", result.Err);
    }

    [Fact]
    public void Given_no_control_plane_When_status_Then_a_usage_error()
    {
        var result = Cli.Run("status");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("envoylens: no control plane named; give --control-plane http://HOST:PORT", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_response_over_the_cap_When_read_Then_one_sentence_names_the_limit()
    {
        using var client = new ControlPlaneClient(new ControlPlaneTarget { Address = _server.Address, MaxResponseBytes = 1000 });

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.ReadStatusAsync());

        Assert.Equal(
            $"/envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus on http://127.0.0.1:{_server.Port} sent a response over the 1000 byte limit; ask for one proxy, or raise the limit.",
            error.Message);
    }

    [Theory]
    [InlineData(ControlPlaneAllowlist.AggregatedService, "DeltaAggregatedResources", null)]
    [InlineData("envoy.service.cluster.v3.ClusterDiscoveryService", "StreamClusters", null)]
    [InlineData(ControlPlaneAllowlist.AggregatedService, ControlPlaneAllowlist.StreamAggregatedResources, "type.googleapis.com/envoy.config.cluster.v3.Cluster")]
    [InlineData(ControlPlaneAllowlist.AggregatedService, ControlPlaneAllowlist.StreamAggregatedResources, null)]
    [InlineData(ControlPlaneAllowlist.StatusService, ControlPlaneAllowlist.FetchClientStatus, "istio.io/debug/syncz")]
    public async Task Given_a_call_off_the_allowlist_When_made_Then_it_is_refused_before_anything_reaches_the_server(string service, string method, string? typeUrl)
    {
        using var client = new ControlPlaneClient(new ControlPlaneTarget { Address = _server.Address });

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.CallAsync(new ControlPlaneCall(service, method, typeUrl)));

        Assert.StartsWith($"EnvoyLens refuses to call /{service}/{method}", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Calls);
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
