using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EnvoyLens.Core;

namespace EnvoyLens.Admin.Live;

/// <summary>The certificates a proxy presented in a TLS handshake, leaf first, as DER.</summary>
public sealed record PresentedChain(string Target, IReadOnlyList<byte[]> Certificates);

/// <summary>
/// Reads the certificate chain a proxy presents on its inbound TLS port (4143 for linkerd2-proxy, 15006 for an Istio
/// sidecar) with a handshake that sends no client certificate and no application data: the handshake is stopped
/// as soon as the server's certificate has arrived, before anything else is exchanged.
/// </summary>
public static class TlsProbe
{
    /// <summary>
    /// Opens a connection with <paramref name="connect"/>, starts a TLS handshake (SNI <paramref name="serverName"/>, no
    /// client certificate), records the presented chain and aborts the handshake. Problems are one sentence naming
    /// <paramref name="target"/>.
    /// </summary>
    public static async Task<PresentedChain> ReadAsync(
        Func<CancellationToken, ValueTask<Stream>> connect, string target, string serverName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connect);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        List<byte[]>? presented = null;
        try
        {
            await using var stream = await connect(deadline.Token).ConfigureAwait(false);
            await using var tls = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, chain, _) =>
            {
                if (certificate is not null)
                {
                    // The leaf, then what the server sent with it (the platform puts those in the extra store, the leaf
                    // among them): each certificate once, in the order sent.
                    presented = [certificate.GetRawCertData()];
                    foreach (var sent in chain?.ChainPolicy.ExtraStore ?? [])
                    {
                        if (!presented.Any(p => p.AsSpan().SequenceEqual(sent.RawData)))
                        {
                            presented.Add(sent.RawData);
                        }
                    }
                }

                // Refusing the server ends the handshake here: no Finished, no application data.
                return false;
            });
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = serverName,
                    ClientCertificates = null,
                    EnabledSslProtocols = SslProtocols.None,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                }, deadline.Token).ConfigureAwait(false);
            }
            catch (AuthenticationException) when (presented is not null)
            {
                // Expected: the probe refused the server on purpose once it had its certificate.
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EnvoyLensException($"the TLS handshake with {target} did not present a certificate within {TimeText.SecondsValue(timeout)} s.", ex);
        }
        catch (AuthenticationException ex)
        {
            throw new EnvoyLensException($"the TLS handshake with {target} failed before a certificate was presented: {ex.Message.TrimEnd('.')}.", ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            throw new EnvoyLensException($"the TLS handshake with {target} failed: {ex.Message.TrimEnd('.')}.", ex);
        }

        return presented is { Count: > 0 }
            ? new PresentedChain(target, presented)
            : throw new EnvoyLensException($"{target} presented no certificate in the TLS handshake.");
    }

    /// <summary>A direct TCP connection to <paramref name="host"/>:<paramref name="port"/> (an admin URL's host).</summary>
    public static Func<CancellationToken, ValueTask<Stream>> Tcp(string host, int port) => async ct =>
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, ct).ConfigureAwait(false);
            return client.GetStream();
        }
        catch
        {
            client.Dispose();
            throw;
        }
    };
}
