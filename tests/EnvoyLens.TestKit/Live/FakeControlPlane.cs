using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace EnvoyLens.TestKit.Live;

/// <summary>One HTTP/2 request as the fake control plane saw it: its path, the first request message (bytes) and the authorization header.</summary>
public sealed record RecordedCall(string Path, byte[]? Request, string? Authorization);

/// <summary>
/// A real gRPC server (Grpc.AspNetCore on Kestrel, plaintext HTTP/2 on 127.0.0.1, a free port) playing a control plane:
/// CSDS <c>FetchClientStatus</c> and <c>StreamClientStatus</c> and ADS <c>StreamAggregatedResources</c>, bound by hand
/// over bytes (the tests build the messages with the generated types). A method without an answer set returns
/// UNIMPLEMENTED; <see cref="RequiredToken"/> makes every call without that bearer token UNAUTHENTICATED,
/// <see cref="DenyWith"/> every call PERMISSION_DENIED;
/// <see cref="NeverAnswer"/> holds every call open. Every HTTP request that arrives, on any path, is recorded.
/// </summary>
public sealed class FakeControlPlane : IAsyncDisposable
{
    public const string StatusService = "envoy.service.status.v3.ClientStatusDiscoveryService";
    public const string AggregatedService = "envoy.service.discovery.v3.AggregatedDiscoveryService";

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private readonly WebApplication _app;

    private FakeControlPlane(WebApplication app) => _app = app;

    /// <summary>Every request received, in order (the request message is filled in once it has been read).</summary>
    public ConcurrentQueue<RecordedCall> Calls { get; } = new();

    /// <summary>The answer of <c>FetchClientStatus</c> to a request; null: UNIMPLEMENTED.</summary>
    public Func<byte[], byte[]>? Fetch { get; set; }

    /// <summary>The first answer of <c>StreamClientStatus</c> to a request; null: UNIMPLEMENTED.</summary>
    public Func<byte[], byte[]>? Stream { get; set; }

    /// <summary>The first answer of <c>StreamAggregatedResources</c> to a request; null: UNIMPLEMENTED.</summary>
    public Func<byte[], byte[]>? Ads { get; set; }

    /// <summary>When set, calls without <c>authorization: Bearer TOKEN</c> fail UNAUTHENTICATED.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>When set, every call (with the right token, if one is required) fails PERMISSION_DENIED with this text.</summary>
    public string? DenyWith { get; set; }

    /// <summary>Hold every call open without answering (until the client gives up).</summary>
    public bool NeverAnswer { get; set; }

    public Uri Address { get; private set; } = null!;

    public int Port => Address.Port;

    /// <summary>The address as the CLI takes it: <c>http://127.0.0.1:PORT</c> (https:// with TLS).</summary>
    public string Url => $"{Address.Scheme}://127.0.0.1:{Port}";

    /// <summary>Starts the server: plaintext HTTP/2, or TLS with <paramref name="certificate"/> (which must hold its key).</summary>
    public static async Task<FakeControlPlane> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().UseUrls((certificate is null ? "http" : "https") + "://127.0.0.1:0")
            .ConfigureKestrel(o => o.ConfigureEndpointDefaults(l =>
            {
                l.Protocols = HttpProtocols.Http2;
                if (certificate is not null)
                {
                    l.UseHttps(certificate);
                }
            }));
        builder.Services.AddRouting();
        builder.Services.AddGrpc(o =>
        {
            o.MaxSendMessageSize = null;
            o.EnableDetailedErrors = true;
        });
        var holder = new Holder();
        builder.Services.AddSingleton(holder);
        builder.Services.AddSingleton<IServiceMethodProvider<Holder>, MethodProvider>();
        var app = builder.Build();
        var server = new FakeControlPlane(app);
        holder.Server = server;
        app.Use(async (context, next) =>
        {
            server.Calls.Enqueue(new RecordedCall(context.Request.Path.Value ?? string.Empty, null, context.Request.Headers.Authorization.FirstOrDefault()));
            await next(context).ConfigureAwait(false);
        });
        app.UseRouting();
        app.MapGrpcService<Holder>();
        await app.StartAsync().ConfigureAwait(false);
        server.Address = new Uri(app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    /// <summary>The request messages that were read, by path, in order.</summary>
    public IReadOnlyList<(string Path, byte[] Request)> Requests => _requests.ToArray();

    private readonly ConcurrentQueue<(string Path, byte[] Request)> _requests = new();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<byte[]> AnswerAsync(string path, byte[] request, Func<byte[], byte[]>? answer, ServerCallContext context)
    {
        _requests.Enqueue((path, request));
        if (RequiredToken is { } token && context.RequestHeaders.GetValue("authorization") != "Bearer " + token)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "authentication failure"));
        }

        if (DenyWith is { } denied)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, denied));
        }

        if (NeverAnswer)
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken).ConfigureAwait(false);
        }

        return answer is null
            ? throw new RpcException(new Status(StatusCode.Unimplemented, $"unknown method {path.Split('/').Last()} for service {path.Split('/')[1]}"))
            : answer(request);
    }

    /// <summary>The service instance gRPC activates; the behaviour lives on the server.</summary>
    internal sealed class Holder
    {
        public FakeControlPlane Server { get; set; } = null!;
    }

    private sealed class MethodProvider : IServiceMethodProvider<Holder>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<Holder> context)
        {
            context.AddUnaryMethod(
                new Method<byte[], byte[]>(MethodType.Unary, StatusService, "FetchClientStatus", Bytes, Bytes),
                [],
                (holder, request, call) => holder.Server.AnswerAsync($"/{StatusService}/FetchClientStatus", request, holder.Server.Fetch, call));
            context.AddDuplexStreamingMethod(
                new Method<byte[], byte[]>(MethodType.DuplexStreaming, StatusService, "StreamClientStatus", Bytes, Bytes),
                [],
                (holder, requests, responses, call) => StreamAsync(holder.Server, $"/{StatusService}/StreamClientStatus", requests, responses, call, s => s.Stream));
            context.AddDuplexStreamingMethod(
                new Method<byte[], byte[]>(MethodType.DuplexStreaming, AggregatedService, "StreamAggregatedResources", Bytes, Bytes),
                [],
                (holder, requests, responses, call) => StreamAsync(holder.Server, $"/{AggregatedService}/StreamAggregatedResources", requests, responses, call, s => s.Ads));
        }

        private static async Task StreamAsync(
            FakeControlPlane server, string path, IAsyncStreamReader<byte[]> requests, IServerStreamWriter<byte[]> responses, ServerCallContext call, Func<FakeControlPlane, Func<byte[], byte[]>?> answer)
        {
            while (await requests.MoveNext(call.CancellationToken).ConfigureAwait(false))
            {
                var response = await server.AnswerAsync(path, requests.Current, answer(server), call).ConfigureAwait(false);
                await responses.WriteAsync(response, call.CancellationToken).ConfigureAwait(false);
            }
        }
    }
}
