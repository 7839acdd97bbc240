using System.Globalization;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnvoyLens.Core;
using Grpc.Core;
using Grpc.Net.Client;

namespace EnvoyLens.Admin.ControlPlane;

/// <summary>
/// The one gRPC client EnvoyLens points at a control plane. Every call goes through <see cref="CallAsync"/>, which
/// checks it against <see cref="ControlPlaneAllowlist"/> before a request is built or a connection opened; requests are
/// written by <see cref="XdsRequestWriter"/> and responses returned as bytes (Decoding reads them). A stream is sent one
/// request and read for one response, then cancelled. Every failure is an <see cref="EnvoyLensException"/> of one
/// sentence naming the control plane and the call: refused connection, TLS failure, credentials refused, method not
/// implemented, deadline, a response over the size cap.
/// </summary>
public sealed class ControlPlaneClient : IDisposable
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private readonly ControlPlaneTarget _target;
    private readonly GrpcChannel _channel;
    private readonly CallInvoker _invoker;
    private readonly X509Certificate2Collection? _trusted;
    private readonly X509Certificate2? _clientCertificate;
    private string? _tlsProblem;

    public ControlPlaneClient(ControlPlaneTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = target.Timeout,
            EnableMultipleHttp2Connections = false,
        };
        if (target.Connect is { } connect)
        {
            handler.ConnectCallback = connect;
        }

        if (target.Address.Scheme == Uri.UriSchemeHttps)
        {
            _trusted = target.CaFile is { } ca ? ReadCa(ca) : null;
            _clientCertificate = target.CertFile is { } cert ? ReadClientCertificate(cert, target.KeyFile) : null;
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = ValidateServerCertificate,
                ClientCertificates = _clientCertificate is null ? null : [_clientCertificate],
            };
        }

        _channel = GrpcChannel.ForAddress(target.Address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = target.MaxResponseBytes,
            MaxSendMessageSize = 1 << 20,
            MaxRetryAttempts = 0,
        });
        _invoker = _channel.CreateCallInvoker();
    }

    public ControlPlaneTarget Target => _target;

    /// <summary>
    /// The status of the proxies the control plane serves (of one proxy when <paramref name="nodeId"/> is given): CSDS
    /// <c>FetchClientStatus</c>, else (UNIMPLEMENTED) <c>StreamClientStatus</c>, else Istio's <c>istio.io/debug/syncz</c>.
    /// </summary>
    public Task<ControlPlaneMessage> ReadStatusAsync(string? nodeId = null, CancellationToken cancellationToken = default) =>
        FirstImplementedAsync(
            [
                (ControlPlaneApi.CsdsFetch, new ControlPlaneCall(ControlPlaneAllowlist.StatusService, ControlPlaneAllowlist.FetchClientStatus, NodeId: nodeId)),
                (ControlPlaneApi.CsdsStream, new ControlPlaneCall(ControlPlaneAllowlist.StatusService, ControlPlaneAllowlist.StreamClientStatus, NodeId: nodeId)),
                (ControlPlaneApi.IstioSyncz, new ControlPlaneCall(ControlPlaneAllowlist.AggregatedService, ControlPlaneAllowlist.StreamAggregatedResources, ControlPlaneAllowlist.IstioSyncz)),
            ],
            cancellationToken);

    /// <summary>
    /// The config the control plane holds for the proxy <paramref name="nodeId"/>: CSDS (fetch, else stream) with a
    /// node matcher, else Istio's <c>istio.io/debug/config_dump</c> for <paramref name="istioProxy"/> (<c>POD.NAMESPACE</c>).
    /// </summary>
    public Task<ControlPlaneMessage> ReadConfigAsync(string nodeId, string istioProxy, CancellationToken cancellationToken = default) =>
        FirstImplementedAsync(
            [
                (ControlPlaneApi.CsdsFetch, new ControlPlaneCall(ControlPlaneAllowlist.StatusService, ControlPlaneAllowlist.FetchClientStatus, NodeId: nodeId)),
                (ControlPlaneApi.CsdsStream, new ControlPlaneCall(ControlPlaneAllowlist.StatusService, ControlPlaneAllowlist.StreamClientStatus, NodeId: nodeId)),
                (ControlPlaneApi.IstioConfigDump, new ControlPlaneCall(ControlPlaneAllowlist.AggregatedService, ControlPlaneAllowlist.StreamAggregatedResources, ControlPlaneAllowlist.IstioConfigDump, istioProxy)),
            ],
            cancellationToken);

    private async Task<ControlPlaneMessage> FirstImplementedAsync(IReadOnlyList<(ControlPlaneApi Api, ControlPlaneCall Call)> tries, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        for (var i = 0; ; i++)
        {
            var (api, call) = tries[i];
            try
            {
                var bytes = await CallAsync(call, cancellationToken).ConfigureAwait(false);
                return new ControlPlaneMessage(api, _target.Display, bytes, notes);
            }
            catch (UnimplementedException) when (i + 1 < tries.Count)
            {
                notes.Add($"the control plane at {_target.Display} does not implement {ControlPlaneMessage.NameOf(api)}; asked {ControlPlaneMessage.NameOf(tries[i + 1].Api)} instead.");
            }
            catch (UnimplementedException e)
            {
                throw new EnvoyLensException(
                    $"the control plane at {_target.Display} implements none of {string.Join(", ", tries.Select(t => ControlPlaneMessage.NameOf(t.Api)))} (each answered UNIMPLEMENTED); is this an xDS control plane's gRPC port?", e);
            }
        }
    }

    /// <summary>
    /// Makes one allowlisted call and returns the bytes of its (first) response message. The allowlist is checked
    /// first: a call it refuses throws before anything is built or sent.
    /// </summary>
    public async Task<byte[]> CallAsync(ControlPlaneCall call, CancellationToken cancellationToken = default)
    {
        var kind = ControlPlaneAllowlist.Check(call, _target.Display);
        var request = XdsRequestWriter.For(call);
        var what = $"{call.Display} on {_target.Display}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_target.Timeout);
        var options = new CallOptions(Headers(), cancellationToken: timeout.Token);
        try
        {
            if (kind == ControlPlaneCallKind.Unary)
            {
                var method = new Method<byte[], byte[]>(MethodType.Unary, call.Service, call.Method, Bytes, Bytes);
                using var unary = _invoker.AsyncUnaryCall(method, null, options, request);
                return await unary.ResponseAsync.ConfigureAwait(false);
            }

            var stream = new Method<byte[], byte[]>(MethodType.DuplexStreaming, call.Service, call.Method, Bytes, Bytes);
            using var duplex = _invoker.AsyncDuplexStreamingCall(stream, null, options);
            await duplex.RequestStream.WriteAsync(request, timeout.Token).ConfigureAwait(false);
            if (!await duplex.ResponseStream.MoveNext(timeout.Token).ConfigureAwait(false))
            {
                throw new EnvoyLensException($"{what} ended the stream without a response.");
            }

            return duplex.ResponseStream.Current;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            throw new UnimplementedException(what, e);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new EnvoyLensException($"{what} got no answer within the {TimeText.SecondsValue(_target.Timeout)} s timeout (--timeout); is this the control plane's gRPC port, and is it responsive?", e);
        }
        catch (RpcException e)
        {
            throw new EnvoyLensException(Describe(e, what), e);
        }
    }

    private Metadata Headers()
    {
        var headers = new Metadata();
        if (_target.Token is { } token)
        {
            headers.Add("authorization", "Bearer " + token);
        }

        return headers;
    }

    private string Describe(RpcException e, string what)
    {
        switch (e.StatusCode)
        {
            case StatusCode.Unauthenticated:
                return $"{what} was refused as UNAUTHENTICATED ('{Detail(e)}'); EnvoyLens sent {_target.Credentials}.";
            case StatusCode.PermissionDenied:
                return $"{what} was refused with PERMISSION_DENIED ('{Detail(e)}'); EnvoyLens sent {_target.Credentials}, which the control plane does not allow to read status.";
            case StatusCode.ResourceExhausted when Detail(e).Contains("message", StringComparison.OrdinalIgnoreCase) && Detail(e).Contains("size", StringComparison.OrdinalIgnoreCase):
                return $"{what} sent a response over the {_target.MaxResponseBytes.ToString(CultureInfo.InvariantCulture)} byte limit; ask for one proxy, or raise the limit.";
            case StatusCode.DeadlineExceeded:
                return $"{what} passed its deadline ({TimeText.SecondsValue(_target.Timeout)} s, --timeout).";
        }

        for (var inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return $"{what} failed: the connection was refused; is the control plane listening there (istiod: 15010 plaintext, 15012 TLS)?";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return $"{what} failed: the host name could not be resolved.";
                case AuthenticationException auth:
                    return $"{what} failed in the TLS handshake: {(_tlsProblem ?? auth.Message).TrimEnd('.')}.";
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } tls:
                    return $"{what} failed in the TLS handshake: {(_tlsProblem ?? tls.Message).TrimEnd('.')}.";
                case HttpRequestException { HttpRequestError: HttpRequestError.HttpProtocolError or HttpRequestError.VersionNegotiationError }:
                    return $"{what} failed: the server does not speak HTTP/2 gRPC there ({e.Status.StatusCode}); is this the control plane's gRPC port, and is the scheme (http/https) right?";
            }
        }

        if (_tlsProblem is { } problem)
        {
            return $"{what} failed in the TLS handshake: {problem.TrimEnd('.')}.";
        }

        return $"{what} failed with {StatusName(e.StatusCode)}: {Detail(e).TrimEnd('.')}.";
    }

    private static string Detail(RpcException e) =>
        string.Join(' ', e.Status.Detail.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string StatusName(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.Internal => "INTERNAL",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Cancelled => "CANCELLED",
        _ => code.ToString().ToUpperInvariant(),
    };

    private bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_target.InsecureSkipVerify)
        {
            return true;
        }

        if (certificate is null)
        {
            _tlsProblem = "the server sent no certificate";
            return false;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            _tlsProblem = $"the server's certificate does not name '{_target.Address.Host}'";
            return false;
        }

        if (_trusted is null)
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            _tlsProblem = $"the server's certificate is not trusted by the system's CAs ({Status(chain)}); give the CA with --ca FILE";
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trusted);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        if (custom.Build(leaf))
        {
            return true;
        }

        _tlsProblem = $"the server's certificate does not chain to a CA of '{_target.CaFile}' ({Status(custom)})";
        return false;
    }

    private static string Status(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "no chain"
            : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim().TrimEnd('.')).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal));

    private static X509Certificate2Collection ReadCa(string file)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new EnvoyLensException($"cannot read the CA file '{file}' (--ca): {e.Message.TrimEnd('.')}.", e);
        }

        return collection.Count > 0 ? collection : throw new EnvoyLensException($"the CA file '{file}' (--ca) holds no PEM certificate.");
    }

    private static X509Certificate2 ReadClientCertificate(string cert, string? key)
    {
        if (key is null)
        {
            throw new EnvoyLensException("--cert needs --key, the PEM file of the client certificate's private key.");
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(cert, key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new EnvoyLensException($"cannot read the client certificate '{cert}' with key '{key}': {e.Message.TrimEnd('.')}.", e);
        }
    }

    public void Dispose()
    {
        _channel.Dispose();
        _target.Resources?.Dispose();
        _clientCertificate?.Dispose();
        if (_trusted is not null)
        {
            foreach (var c in _trusted)
            {
                c.Dispose();
            }
        }
    }

    /// <summary>The server answered UNIMPLEMENTED: the caller may try the next API.</summary>
    private sealed class UnimplementedException(string what, Exception inner)
        : EnvoyLensException($"{what} is not implemented by the control plane.", inner);
}
