using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using EnvoyLens.TestKit;
using EnvoyLens.TestKit.Live;
using F = EnvoyLens.Cli.Tests.ControlPlane.ControlPlaneFixtures;

namespace EnvoyLens.Cli.Tests.ControlPlane;

/// <summary>
/// <c>--istiod</c> with a TLS option: istiod's TLS port 15012 through the Kubernetes API test server's port-forward, the
/// certificate checked for <c>istiod.istio-system.svc</c>, and a bearer token requested through its TokenRequest API; the
/// control plane (TLS, real HTTP/2) refuses calls without that token. The token never appears in any output or file.
/// </summary>
public sealed class StatusIstiodTokenTests : IAsyncLifetime
{
    private static readonly DateTimeOffset NotBefore = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = new(2099, 12, 31, 0, 0, 0, TimeSpan.Zero);
    private static readonly string Reviews = TestPaths.Fixture("snapshots", "reviews");

    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-istiod-tls-").FullName;
    private FakeControlPlane _istiod = null!;
    private FakeKubernetesApi _api = null!;
    private string _kubeconfig = null!;
    private string _ca = null!;

    public async Task InitializeAsync()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=mesh root", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(NotBefore, NotAfter);
        _ca = Path.Combine(_dir, "root-cert.pem");
        File.WriteAllText(_ca, ca.ExportCertificatePem());

        // Like istiod's own certificate: its service names, not the loopback address the port-forward listens on.
        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest("O=cluster.local", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("istiod.istio-system.svc");
        san.AddDnsName("istiod-canary.istio-system.svc");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = request.Create(ca, NotBefore.AddDays(1), NotAfter.AddDays(-1), [5, 6, 7, 8]);
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);

        _istiod = await FakeControlPlane.StartAsync(server);
        _istiod.Ads = F.IstioDebug;
        _api = await FakeKubernetesApi.StartAsync(_istiod.Port);
        _istiod.RequiredToken = _api.IssuedToken;
        _api.ServiceAccounts["istio-system/default"] = true;
        var pod = FakeKubernetesApi.Pod("istiod-7d9c8f6b5-abcde", "istio-system", "Running", "discovery");
        pod["metadata"]!["labels"] = new JsonObject { ["app"] = "istiod", ["istio.io/rev"] = "default" };
        _api.Pods["istio-system/istiod-7d9c8f6b5-abcde"] = pod;
        _kubeconfig = _api.WriteKubeconfig(_dir);
    }

    public async Task DisposeAsync()
    {
        StatusCommandTests.AssertOnlyAllowlistedCalls(_istiod);
        await _api.DisposeAsync();
        await _istiod.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Given_istiod_wanting_a_token_When_status_istiod_with_the_mesh_CA_Then_a_TokenRequest_token_is_sent_to_15012_and_never_shown()
    {
        var result = Cli.Run("status", "--istiod", "--ca", _ca, "--kubeconfig", _kubeconfig);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(
            "envoylens: asking istiod pod istiod-7d9c8f6b5-abcde.istio-system port 15012 (TLS, certificate checked for istiod.istio-system.svc; bearer token of " +
            "service account istio-system/default, audience istio-ca, valid 10 minutes, requested through the Kubernetes TokenRequest API) through a Kubernetes port-forward.\n",
            result.Err,
            StringComparison.Ordinal);
        Assert.Matches(@"\nreviews-v1-6c8d7b9f4-x2x7q\.default\s+\S+\s+SYNCED\s+SYNCED\s+SYNCED\s+SYNCED\s+NOT SENT\s+istiod-7d9c8f6b5-abcde\s", result.Out);

        var (account, body) = Assert.Single(_api.TokenRequests);
        Assert.Equal("istio-system/default", account);
        Assert.Equal("TokenRequest", (string?)body["kind"]);
        Assert.Equal(["istio-ca"], body["spec"]!["audiences"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(600, body["spec"]!["expirationSeconds"]!.GetValue<long>());
        Assert.Contains(_api.Requests, r => r.Method == "POST" && r.Path == "/api/v1/namespaces/istio-system/serviceaccounts/default/token");
        Assert.Contains(_api.Requests, r => r.Path == "/api/v1/namespaces/istio-system/pods/istiod-7d9c8f6b5-abcde/portforward" && r.Query.Contains("ports=15012", StringComparison.Ordinal));
        Assert.NotEmpty(_istiod.Calls);
        Assert.All(_istiod.Calls, c => Assert.Equal("Bearer " + _api.IssuedToken, c.Authorization));
        Assert.DoesNotContain(_api.IssuedToken, result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.IssuedToken, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_token_istiod_does_not_accept_When_status_istiod_Then_UNAUTHENTICATED_names_the_TokenRequest_credential_and_exits_2()
    {
        _istiod.RequiredToken = "the-token-istiod-wants";

        var result = Cli.Run("status", "--istiod", "--ca", _ca, "--kubeconfig", _kubeconfig);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        var lines = result.Err.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("envoylens: asking istiod pod istiod-7d9c8f6b5-abcde.istio-system port 15012 (", lines[0], StringComparison.Ordinal);
        Assert.Equal(
            "envoylens: /envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus on pod istiod-7d9c8f6b5-abcde.istio-system port 15012 was refused as " +
            "UNAUTHENTICATED ('authentication failure'); EnvoyLens sent the bearer token from the Kubernetes TokenRequest API for service account istio-system/default (audience istio-ca).",
            lines[1]);
        Assert.DoesNotContain(_api.IssuedToken, result.Err, StringComparison.Ordinal);
        Assert.Single(_api.TokenRequests);
    }

    [Fact]
    public void Given_a_TokenRequest_that_is_forbidden_When_status_istiod_Then_one_sentence_names_the_RBAC_and_istiod_is_not_called()
    {
        _api.ForbidTokenRequest = true;

        var result = Cli.Run("status", "--istiod", "--ca", _ca, "--kubeconfig", _kubeconfig);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal(
            "envoylens: requesting a token for service account istio-system/default is forbidden; istiod's port 15012 needs one: your Kubernetes user needs RBAC " +
            "'create serviceaccounts/token' in istio-system, or give --token FILE, or ask the plaintext port 15010 (--istiod without TLS options).\n",
            result.Err);
        Assert.Empty(_istiod.Calls);
    }

    [Fact]
    public void Given_no_default_service_account_When_status_istiod_Then_one_sentence_and_exit_2()
    {
        _api.ServiceAccounts.Clear();

        var result = Cli.Run("status", "--istiod", "--ca", _ca, "--kubeconfig", _kubeconfig);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: there is no service account istio-system/default to request a token for istiod's port 15012; give --token FILE.\n", result.Err);
        Assert.Empty(_istiod.Calls);
    }

    [Fact]
    public void Given_a_token_file_When_status_istiod_over_TLS_Then_no_token_is_requested_and_the_files_token_is_sent()
    {
        var file = Path.Combine(_dir, "token");
        File.WriteAllText(file, "from-the-file\n");
        _istiod.RequiredToken = "from-the-file";

        var result = Cli.Run("status", "--istiod", "--ca", _ca, "--token", file, "--kubeconfig", _kubeconfig);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(
            "envoylens: asking istiod pod istiod-7d9c8f6b5-abcde.istio-system port 15012 (TLS, certificate checked for istiod.istio-system.svc) through a Kubernetes port-forward.\n",
            result.Err,
            StringComparison.Ordinal);
        Assert.Empty(_api.TokenRequests);
        Assert.All(_istiod.Calls, c => Assert.Equal("Bearer from-the-file", c.Authorization));
    }

    [Fact]
    public void Given_another_CA_When_status_istiod_over_TLS_Then_the_certificate_problem_is_named()
    {
        var other = Path.Combine(_dir, "other.pem");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=another root", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var root = request.CreateSelfSigned(NotBefore, NotAfter);
            File.WriteAllText(other, root.ExportCertificatePem());
        }

        var result = Cli.Run("status", "--istiod", "--ca", other, "--kubeconfig", _kubeconfig);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(
            "on pod istiod-7d9c8f6b5-abcde.istio-system port 15012 failed in the TLS handshake: the server's certificate does not chain to a CA of '" + other + "' (",
            result.Err,
            StringComparison.Ordinal);
        Assert.DoesNotContain(_api.IssuedToken, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_istiod_wanting_a_token_When_snapshot_with_istiod_over_TLS_Then_the_bundle_holds_the_control_planes_view_and_no_file_holds_the_token()
    {
        var output = Path.Combine(_dir, "bundle");

        var result = Cli.Run("snapshot", Reviews, "--istiod", "--ca", _ca, "--kubeconfig", _kubeconfig, "-o", output);

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.True(File.Exists(Path.Combine(output, "control_plane.json")));
        Assert.Single(_api.TokenRequests);
        Assert.All(_istiod.Calls, c => Assert.Equal("Bearer " + _api.IssuedToken, c.Authorization));
        Assert.DoesNotContain(_api.IssuedToken, result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.IssuedToken, result.Err, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(_api.IssuedToken, File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Given_istiod_over_TLS_When_diff_istiod_node_against_the_capture_Then_the_differing_resources_are_named_with_the_requested_token()
    {
        var result = Cli.Run("diff", $"istiod:///{F.ReviewsNode}", Reviews, "--ca", _ca, "--kubeconfig", _kubeconfig, "--exit-code");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(F.ChangedCluster, result.Out, StringComparison.Ordinal);
        Assert.Contains(F.MissingRoute, result.Out, StringComparison.Ordinal);
        Assert.Contains(F.ExtraCluster, result.Out, StringComparison.Ordinal);
        Assert.StartsWith("envoylens: asking istiod pod istiod-7d9c8f6b5-abcde.istio-system port 15012 (TLS, certificate checked for istiod.istio-system.svc; bearer token", result.Err, StringComparison.Ordinal);
        Assert.Single(_api.TokenRequests);
        Assert.All(_istiod.Calls, c => Assert.Equal("Bearer " + _api.IssuedToken, c.Authorization));
        var ads = Envoy.Service.Discovery.V3.DiscoveryRequest.Parser.ParseFrom(_istiod.Requests.Last().Request);
        Assert.Equal(["reviews-v1-6c8d7b9f4-x2x7q.default"], ads.ResourceNames);
        Assert.DoesNotContain(_api.IssuedToken, result.Out + result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_istiod_without_a_node_When_diff_istiod_with_insecure_skip_verify_Then_the_captures_node_is_asked_and_the_warning_printed()
    {
        _istiod.RequiredToken = null;

        var result = Cli.Run("diff", "istiod://", Reviews, "--kubeconfig", _kubeconfig, "--exit-code", "--insecure-skip-verify");

        // --insecure-skip-verify makes it TLS: 15012 over the port-forward, unchecked and said so.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"envoylens: asking istiod:// for node {F.ReviewsNode}, the node of {Reviews}.\n", result.Err, StringComparison.Ordinal);
        Assert.Contains("WARNING: --insecure-skip-verify: the certificate of istiod pod istiod-7d9c8f6b5-abcde.istio-system port 15012 is NOT checked", result.Err, StringComparison.Ordinal);
        Assert.Contains(F.ChangedCluster, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_revision_istiod_does_not_have_When_diff_istiod_Then_one_sentence_and_exit_2()
    {
        var result = Cli.Run("diff", $"istiod://canary/{F.ReviewsNode}", Reviews, "--kubeconfig", _kubeconfig);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: no running istiod pod in namespace istio-system (label app=istiod,istio.io/rev=canary); give --istio-namespace or --revision, or --control-plane ADDR.\n", result.Err);
        Assert.Empty(_istiod.Calls);
    }
}
