using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnvoyLens.TestKit.Live;
using F = EnvoyLens.Cli.Tests.ControlPlane.ControlPlaneFixtures;

namespace EnvoyLens.Cli.Tests.ControlPlane;

/// <summary><c>status --control-plane https://</c>: the server's certificate is checked against --ca (or the system's CAs), or loudly not at all.</summary>
public sealed class StatusTlsTests : IAsyncLifetime
{
    /// <summary>A validity that holds whenever the tests run (the TLS handshake checks it against the system clock).</summary>
    private static readonly DateTimeOffset NotBefore = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset NotAfter = new(2099, 12, 31, 0, 0, 0, TimeSpan.Zero);

    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-tls-").FullName;
    private FakeControlPlane _server = null!;
    private string _ca = null!;
    private string _otherCa = null!;

    public async Task InitializeAsync()
    {
        using var caKey = RSA.Create(2048);
        using var ca = Authority("CN=mesh root", caKey);
        using var otherKey = RSA.Create(2048);
        using var other = Authority("CN=another root", otherKey);
        _ca = Write("ca.pem", ca);
        _otherCa = Write("other.pem", other);

        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=istiod", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("istiod.istio-system.svc");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = request.Create(ca, NotBefore.AddDays(1), NotAfter.AddDays(-1), [1, 2, 3, 4]);
        // Kestrel on Linux wants a certificate whose key it can use as is: round-trip through PKCS#12.
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);

        _server = await FakeControlPlane.StartAsync(server);
        _server.Fetch = F.ClientStatus;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static X509Certificate2 Authority(string subject, RSA key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(NotBefore, NotAfter);
    }

    private string Write(string name, X509Certificate2 certificate)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    [Fact]
    public void Given_the_mesh_CA_When_status_over_https_Then_the_proxies_are_listed()
    {
        var result = Cli.Run("status", "--control-plane", _server.Url, "--ca", _ca);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Err);
        Assert.Contains("reviews-v1-6c8d7b9f4-x2x7q.default", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_another_CA_When_status_over_https_Then_one_sentence_names_the_certificate_problem()
    {
        var result = Cli.Run("status", "--control-plane", _server.Url, "--ca", _otherCa);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith(
            $"envoylens: /envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus on {_server.Url} failed in the TLS handshake: the server's certificate does not chain to a CA of '{_otherCa}' (",
            result.Err,
            StringComparison.Ordinal);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void Given_no_CA_When_status_over_https_Then_the_untrusted_certificate_is_named_and_ca_suggested()
    {
        var result = Cli.Run("status", "--control-plane", _server.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("failed in the TLS handshake: the server's certificate is not trusted by the system's CAs (", result.Err, StringComparison.Ordinal);
        Assert.EndsWith("); give the CA with --ca FILE.\n", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_insecure_skip_verify_When_status_over_https_Then_it_warns_loudly_and_reads()
    {
        var result = Cli.Run("status", "--control-plane", _server.Url, "--insecure-skip-verify");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"envoylens: WARNING: --insecure-skip-verify: the certificate of {_server.Url} is NOT checked;", result.Err, StringComparison.Ordinal);
        Assert.Contains("reviews-v1-6c8d7b9f4-x2x7q.default", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_mesh_CA_When_diff_csds_over_TLS_Then_the_control_planes_config_is_compared()
    {
        var result = Cli.Run("diff", $"csds://127.0.0.1:{_server.Port}/{F.ReviewsNode}", TestKit.TestPaths.Fixture("snapshots", "reviews"), "--ca", _ca, "--exit-code");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(F.ChangedCluster, result.Out, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public void Given_another_CA_When_diff_csds_over_TLS_Then_one_sentence_names_the_certificate_problem()
    {
        var result = Cli.Run("diff", $"csds://127.0.0.1:{_server.Port}/{F.ReviewsNode}", TestKit.TestPaths.Fixture("snapshots", "reviews"), "--ca", _otherCa);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains($"failed in the TLS handshake: the server's certificate does not chain to a CA of '{_otherCa}' (", result.Err, StringComparison.Ordinal);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Given_TLS_options_but_no_control_plane_input_When_diff_Then_a_usage_error()
    {
        var reviews = TestKit.TestPaths.Fixture("snapshots", "reviews");

        var result = Cli.Run("diff", reviews, reviews, "--ca", _ca);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: --ca, --cert, --key, --insecure-skip-verify, --token and --istio-namespace apply only to a csds:// or istiod:// input, and neither BEFORE nor AFTER is one.\n", result.Err);
    }
}
