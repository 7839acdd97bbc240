using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnvoyLens.Admin.Live;
using EnvoyLens.Core;

namespace EnvoyLens.Admin.Tests.Live;

/// <summary>The TLS probe against a real TLS server on 127.0.0.1 that presents a leaf and its issuer.</summary>
public sealed class TlsProbeTests : IAsyncDisposable
{
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _leaf;
    private readonly X509Certificate2 _issuer;
    private Task<(bool Completed, int BytesRead)>? _server;

    public TlsProbeTests()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Ca("CN=root.linkerd.cluster.local", rootKey, null, null);
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _issuer = Ca("CN=identity.linkerd.cluster.local", issuerKey, root, rootKey);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=web.default.serviceaccount.identity.linkerd.cluster.local", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("web.default.serviceaccount.identity.linkerd.cluster.local");
        request.CertificateExtensions.Add(san.Build());
        using var signed = request.Create(_issuer, From, From.AddDays(1), [5, 6, 7]);
        using var withKey = signed.CopyWithPrivateKey(leafKey);
        _leaf = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        _listener.Start();
    }

    private static X509Certificate2 Ca(string subject, ECDsa key, X509Certificate2? issuer, ECDsa? issuerKey)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(From.AddDays(-1), From.AddDays(365));
        }

        using var cert = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey!), From.AddDays(-1), From.AddDays(300), [1, 2]);
        return cert.CopyWithPrivateKey(key);
    }

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private void Serve() => _server = Task.Run(async () =>
    {
        using var client = await _listener.AcceptTcpClientAsync();
        await using var tls = new SslStream(client.GetStream());
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(_leaf, [_issuer], offline: true),
                ClientCertificateRequired = false,
            });
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return (false, 0);
        }

        var buffer = new byte[16];
        int read;
        try
        {
            read = await tls.ReadAsync(buffer);
        }
        catch (IOException)
        {
            read = 0;
        }

        return (true, read);
    });

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _leaf.Dispose();
        _issuer.Dispose();
        if (_server is not null)
        {
            await _server;
        }
    }

    [Fact]
    public async Task Given_a_tls_server_with_a_chain_When_probed_Then_the_leaf_and_its_issuer_are_recorded_and_no_data_is_sent()
    {
        Serve();

        var chain = await TlsProbe.ReadAsync(TlsProbe.Tcp("127.0.0.1", Port), "127.0.0.1:" + Port, "web.default.serviceaccount.identity.linkerd.cluster.local", TimeSpan.FromSeconds(30));

        Assert.Equal(2, chain.Certificates.Count);
        Assert.Equal(_leaf.RawData, chain.Certificates[0]);
        Assert.Equal(_issuer.RawData, chain.Certificates[1]);
        var (completed, bytesRead) = await _server!;
        Assert.Equal(0, bytesRead);
        Assert.False(completed && bytesRead > 0);
    }

    [Fact]
    public async Task Given_nothing_listening_When_probed_Then_one_sentence_names_the_target()
    {
        var port = Port;
        _listener.Stop();

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => TlsProbe.ReadAsync(TlsProbe.Tcp("127.0.0.1", port), "pod web-1.default port 4143", "x", TimeSpan.FromSeconds(30)));

        Assert.StartsWith("the TLS handshake with pod web-1.default port 4143 failed: ", error.Message, StringComparison.Ordinal);
    }
}
