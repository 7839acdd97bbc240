using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EnvoyLens.Admin;
using EnvoyLens.TestKit.Live;
using EnvoyLens.TestKit;
using Microsoft.AspNetCore.Http;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// A Linkerd pod through the Kubernetes API test server: its linkerd-proxy container is found, the port-forward goes to
/// admin port 4191, and only /metrics, /ready and /live are requested, from a fake linkerd2-proxy admin server over real HTTP.
/// </summary>
public sealed class LinkerdLiveTests : IAsyncLifetime
{
    private static readonly DateTimeOffset From = new(2026, 11, 19, 10, 0, 0, TimeSpan.Zero);
    private LiveFixture _live = null!;
    private FakeTlsServer _tls = null!;
    private X509Certificate2 _root = null!;
    private X509Certificate2 _issuer = null!;
    private X509Certificate2 _leaf = null!;

    private string[] Pod => ["--pod", "web-1.default", "--kubeconfig", _live.Kubeconfig];

    public async Task InitializeAsync()
    {
        _live = await LiveFixture.StartAsync();
        _live.Api.Pods["default/web-1"] = TestKit.Live.FakeKubernetesApi.Pod("web-1", "default", "Running", "web", "linkerd-proxy");
        var metrics = await File.ReadAllTextAsync(Path.Combine(Directory.GetDirectories(TestPaths.Fixture("rules"), "EL6001-*").Single(), "fail", "metrics.txt"));
        _live.Admin.Routes["/metrics"] = context => context.Response.WriteAsync(metrics);
        _live.Admin.Routes["/ready"] = context => context.Response.WriteAsync("ready\n");
        _live.Admin.Routes["/live"] = context => context.Response.WriteAsync("live\n");

        // The proxy's inbound TLS port 4143: a leaf issued by the Linkerd issuer, presented with it.
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _root = Ca("CN=root.linkerd.cluster.local", rootKey, null, null, 3650);
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _issuer = Ca("CN=identity.linkerd.cluster.local", issuerKey, _root, rootKey, 365, "identity.linkerd.cluster.local");
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=default.default.serviceaccount.identity.linkerd.cluster.local", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("default.default.serviceaccount.identity.linkerd.cluster.local");
        request.CertificateExtensions.Add(san.Build());
        using var signed = request.Create(_issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), From, From.AddDays(2), [9, 9]);
        using var withKey = signed.CopyWithPrivateKey(leafKey);
        _leaf = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        _tls = FakeTlsServer.Start(_leaf, _issuer);
        _live.Api.ForwardPorts[4143] = _tls.Port;
    }

    private static X509Certificate2 Ca(string subject, ECDsa key, X509Certificate2? issuer, ECDsa? issuerKey, int days, string? dns = null)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (dns is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dns);
            request.CertificateExtensions.Add(san.Build());
        }

        if (issuer is null)
        {
            return request.CreateSelfSigned(From.AddDays(-1), From.AddDays(days));
        }

        using var cert = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey!), From.AddDays(-1), From.AddDays(days), [1, 2]);
        return cert.CopyWithPrivateKey(key);
    }

    public async Task DisposeAsync()
    {
        await _tls.DisposeAsync();
        await _live.DisposeAsync();
        _leaf.Dispose();
        _issuer.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task Given_a_linkerd_pod_When_snapshotted_with_an_interval_Then_metrics_twice_ready_live_and_a_linkerd_manifest_are_written()
    {
        var output = _live.Path("web-1");

        var result = Cli.Run(["snapshot", .. Pod, "-o", output, "--interval", "10ms"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "envoylens: reading pod web-1.default, container linkerd-proxy (Linkerd's proxy, linkerd2-proxy), admin port 4191.\n" +
            "envoylens: read the certificate chain presented on port 4143 (2 certificates; TLS handshake only).\n",
            result.Err);
        Assert.Equal(["/metrics", "/ready", "/live", "/metrics"], _live.Admin.Requests.Select(r => r.PathAndQuery));
        Assert.All(_live.Admin.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Contains(_live.Api.Requests, r => r.Path.EndsWith("/pods/web-1/portforward", StringComparison.Ordinal) && r.Query.Contains("ports=4191", StringComparison.Ordinal));
        var manifest = BundleManifest.Read(File.ReadAllBytes(Path.Combine(output, "manifest.json")), "manifest.json");
        Assert.Equal(new BundleTarget("pod", "web-1.default", "linkerd-proxy", 4191, null), manifest.Target);
        Assert.Equal("linkerd2-proxy", manifest.Proxy);
        Assert.Equal("enterprise-2.16.1", manifest.ProxyVersion);
        Assert.Null(manifest.EnvoyVersion);
        Assert.Equal(["live.txt", "metrics.2.txt", "metrics.txt", "presented_chain.pem", "ready.txt"], manifest.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Contains(_live.Api.Requests, r => r.Path.EndsWith("/pods/web-1/portforward", StringComparison.Ordinal) && r.Query.Contains("ports=4143", StringComparison.Ordinal));

        // Handshake only: one connection, no application data (with TLS 1.3 the server may count its own flight as a
        // completed handshake before the probe's alert arrives; it then names the pod's identity as server name).
        var connection = await _tls.FirstConnection;
        Assert.Single(_tls.Connections);
        Assert.Equal(0, connection.ApplicationBytes);
        Assert.True(!connection.HandshakeCompleted || connection.ServerName == "default.default.serviceaccount.identity.linkerd.cluster.local", connection.ServerName);
        Assert.Equal(_leaf.ExportCertificatePem() + "\n" + _issuer.ExportCertificatePem() + "\n", File.ReadAllText(Path.Combine(output, "presented_chain.pem")));

        // The presented chain validates to the trust anchor: linkerd check --proxy's "data plane proxies certificate match CA".
        var anchors = _live.Path("anchors.pem");
        var issuer = _live.Path("issuer.pem");
        File.WriteAllText(anchors, _root.ExportCertificatePem());
        File.WriteAllText(issuer, _issuer.ExportCertificatePem());
        var check = Cli.Run("certs", "linkerd", "--anchors", anchors, "--issuer", issuer, "--presented", Path.Combine(output, "presented_chain.pem"), "--at", "2026-11-20T10:00:00Z");
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("\n✔ data plane proxies certificate match CA — The proxy's certificate 'default.default.serviceaccount.identity.linkerd.cluster.local'", check.Out, StringComparison.Ordinal);
        var other = _live.Path("other.pem");
        using (var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        using (var otherRoot = Ca("CN=another root", otherKey, null, null, 3650))
        {
            File.WriteAllText(other, otherRoot.ExportCertificatePem());
        }

        var mismatch = Cli.Run("certs", "linkerd", "--anchors", other, "--issuer", issuer, "--presented", Path.Combine(output, "presented_chain.pem"), "--at", "2026-11-20T10:00:00Z");
        Assert.Equal(1, mismatch.ExitCode);
        Assert.Contains("\n✖ data plane proxies certificate match CA — ", mismatch.Out, StringComparison.Ordinal);
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

    [Fact]
    public void Given_a_Linkerd_pod_When_scanned_Then_its_row_is_a_ready_linkerd_proxy_judged_by_the_Linkerd_rules_through_its_allowlisted_paths()
    {
        // Only the Linkerd pod, so that every request the admin server sees is one the scan made of linkerd2-proxy.
        _live.Api.Pods.TryRemove("default/reviews-v1", out _);

        var result = Cli.Run("scan", "-n", "default", "--kubeconfig", _live.Kubeconfig, "--at", "2026-11-20T10:00:00Z", "-o", "json");

        Assert.Equal(string.Empty, result.Err);
        var pod = JsonDocument.Parse(result.Out).RootElement.GetProperty("pods").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "web-1");
        Assert.Equal("linkerd", pod.GetProperty("proxy").GetProperty("kind").GetString());
        Assert.Equal("linkerd-proxy", pod.GetProperty("proxy").GetProperty("container").GetString());
        Assert.Equal("ready", pod.GetProperty("state").GetString());
        Assert.True(pod.GetProperty("read").GetBoolean());
        Assert.Contains("EL6001", pod.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(_live.Admin.Requests, r => r.Path == "/metrics");
        Assert.All(_live.Admin.Requests, r => Assert.Contains(r.Path, new[] { "/metrics", "/ready", "/live" }));
    }

    [Fact]
    public void Given_an_Envoy_pod_When_snapshotted_with_tls_probe_Then_the_chain_presented_on_15006_is_written_and_only_then()
    {
        _live.Api.ForwardPorts[15006] = _tls.Port;
        var probed = _live.Path("probed");
        var plain = _live.Path("plain");

        var withProbe = Cli.Run("snapshot", "--pod", "reviews-v1.default", "--kubeconfig", _live.Kubeconfig, "-o", probed, "--tls-probe");
        var without = Cli.Run("snapshot", "--pod", "reviews-v1.default", "--kubeconfig", _live.Kubeconfig, "-o", plain);

        Assert.Equal(0, withProbe.ExitCode);
        Assert.Contains("presented on port 15006", withProbe.Err, StringComparison.Ordinal);
        Assert.Equal(_leaf.ExportCertificatePem() + "\n" + _issuer.ExportCertificatePem() + "\n", File.ReadAllText(Path.Combine(probed, "presented_chain.pem")));
        Assert.Equal(0, without.ExitCode);
        Assert.False(File.Exists(Path.Combine(plain, "presented_chain.pem")));
    }

    [Fact]
    public void Given_an_admin_URL_When_snapshotted_with_tls_probe_Then_one_sentence_and_exit_2()
    {
        var result = Cli.Run("snapshot", "--admin", _live.Admin.BaseAddress.ToString(), "-o", _live.Path("x"), "--tls-probe");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--tls-probe needs a pod (--pod)", result.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_live.Path("x")));
    }
}
