using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace EnvoyLens.TestKit.Live;

/// <summary>
/// A TLS server on 127.0.0.1 that presents a certificate and its intermediates, as a proxy's inbound port does, and
/// records each connection: whether its handshake completed and how many application bytes arrived.
/// </summary>
public sealed class FakeTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SslStreamCertificateContext _context;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private FakeTlsServer(X509Certificate2 certificate, X509Certificate2[] intermediates)
    {
        _context = SslStreamCertificateContext.Create(certificate, [.. intermediates], offline: true);
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>One connection: the server name asked for, whether the handshake completed, application bytes received.</summary>
    public sealed record Connection(string? ServerName, bool HandshakeCompleted, int ApplicationBytes);

    public ConcurrentQueue<Connection> Connections { get; } = new();

    private readonly TaskCompletionSource<Connection> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The first connection, once the server is done with it (await it rather than poll <see cref="Connections"/>).</summary>
    public Task<Connection> FirstConnection => _first.Task;

    private void Record(Connection connection)
    {
        Connections.Enqueue(connection);
        _first.TrySetResult(connection);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts a server presenting <paramref name="certificate"/> (with its private key) and <paramref name="intermediates"/>.</summary>
    public static FakeTlsServer Start(X509Certificate2 certificate, params X509Certificate2[] intermediates) => new(certificate, intermediates);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            await using var tls = new SslStream(client.GetStream());
            string? serverName = null;
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateSelectionCallback = null,
                    ServerCertificateContext = _context,
                    ClientCertificateRequired = false,
                }, _stop.Token).ConfigureAwait(false);
                serverName = tls.TargetHostName;
            }
            catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
            {
                Record(new Connection(serverName, false, 0));
                return;
            }

            var buffer = new byte[256];
            var total = 0;
            try
            {
                int read;
                while ((read = await tls.ReadAsync(buffer, _stop.Token).ConfigureAwait(false)) > 0)
                {
                    total += read;
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The client went away.
            }

            Record(new Connection(serverName, true, total));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _stop.Dispose();
    }
}
