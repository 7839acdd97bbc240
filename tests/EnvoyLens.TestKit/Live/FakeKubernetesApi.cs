using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace EnvoyLens.TestKit.Live;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1) playing the Kubernetes API for one test: <c>GET
/// /api/v1/namespaces/{ns}/pods/{name}</c> and the pod lists <c>GET /api/v1/namespaces/{ns}/pods</c> and <c>GET
/// /api/v1/pods</c> (with <c>labelSelector=K=V,...</c>, and paged by <c>limit</c> and <c>continue</c>) from <see cref="Pods"/>, and <c>.../pods/{name}/portforward</c> speaking the
/// WebSocket port-forward protocol (<c>v4.channel.k8s.io</c>: a channel byte before every message, data on channel 0
/// and errors on channel 1, each channel's first message starting with the port as two little-endian bytes),
/// bridged to a TCP port on 127.0.0.1 (the fake admin server), and the TokenRequest API (<c>POST
/// /api/v1/namespaces/{ns}/serviceaccounts/{name}/token</c>) for the service accounts of <see cref="ServiceAccounts"/>:
/// it answers with <see cref="IssuedToken"/> and records each request's body in <see cref="TokenRequests"/>.
/// <see cref="WriteKubeconfig"/> points a kubeconfig at it.
/// </summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _activePortForwards;
    private int _maxConcurrentPortForwards;

    private FakeKubernetesApi(WebApplication app) => _app = app;

    /// <summary>Pods by <c>namespace/name</c>, as JSON objects (see <see cref="Pod"/>).</summary>
    public ConcurrentDictionary<string, JsonObject> Pods { get; } = new(StringComparer.Ordinal);

    /// <summary>ConfigMaps and Secrets by <c>namespace/name</c>, as JSON objects (<c>data</c>: for a Secret, base64 values).</summary>
    public ConcurrentDictionary<string, JsonObject> ConfigMaps { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, JsonObject> Secrets { get; } = new(StringComparer.Ordinal);

    /// <summary>The local port a forwarded pod port reaches (unless <see cref="ForwardPorts"/> names that pod port).</summary>
    public int ForwardTo { get; set; }

    /// <summary>Local ports by pod port, for a test reaching two servers (a proxy's admin port and istiod's xDS port).</summary>
    public ConcurrentDictionary<int, int> ForwardPorts { get; } = new();

    /// <summary>Answer port-forward requests with 403 Forbidden.</summary>
    public bool ForbidPortForward { get; set; }

    /// <summary>Accept the port-forward but report a refused connection on the error channel.</summary>
    public bool RefuseInsidePod { get; set; }

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Service accounts (<c>namespace/name</c>) that a token can be requested for; others answer 404.</summary>
    public ConcurrentDictionary<string, bool> ServiceAccounts { get; } = new(StringComparer.Ordinal);

    /// <summary>The token every TokenRequest is answered with.</summary>
    public string IssuedToken { get; set; } = "issued-" + Guid.NewGuid().ToString("N");

    /// <summary>Answer TokenRequests with 403 Forbidden.</summary>
    public bool ForbidTokenRequest { get; set; }

    /// <summary>Every TokenRequest received: the service account (<c>namespace/name</c>) and the request's JSON body.</summary>
    public ConcurrentQueue<(string ServiceAccount, JsonObject Body)> TokenRequests { get; } = new();

    /// <summary>Per pod (<c>namespace/name</c>), the local port its port-forwards reach, before <see cref="ForwardPorts"/> and <see cref="ForwardTo"/>.</summary>
    public ConcurrentDictionary<string, int> PodForwardPorts { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The most pods one page of a pod list holds, whatever <c>limit</c> asks (a real API server may return fewer items
    /// than the limit); null for pages as large as <c>limit</c>.
    /// </summary>
    public int? MaxPageSize { get; set; }

    /// <summary>Never answer pod lists: hold each list request open until the client goes away.</summary>
    public bool HangPodLists { get; set; }

    /// <summary>Pods (<c>namespace/name</c>) whose port-forward is answered 403 Forbidden.</summary>
    public ConcurrentDictionary<string, bool> ForbiddenPods { get; } = new(StringComparer.Ordinal);

    /// <summary>Pods (<c>namespace/name</c>) whose port-forward is accepted but never reaches the admin port (a hang).</summary>
    public ConcurrentDictionary<string, bool> HangingPods { get; } = new(StringComparer.Ordinal);

    /// <summary>The most port-forward requests this server handled at the same time.</summary>
    public int MaxConcurrentPortForwards => Volatile.Read(ref _maxConcurrentPortForwards);

    /// <summary>How many port-forward requests were received.</summary>
    public int PortForwardCount => Requests.Count(r => r.Path.EndsWith("/portforward", StringComparison.Ordinal));

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<FakeKubernetesApi> StartAsync(int forwardTo)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var api = new FakeKubernetesApi(app) { ForwardTo = forwardTo };
        app.UseWebSockets();
        app.Run(api.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        api.BaseAddress = new Uri(app.Urls.First() + "/");
        return api;
    }

    /// <summary>A pod object: running unless <paramref name="phase"/> says otherwise, with these containers.</summary>
    public static JsonObject Pod(string name, string ns, string phase = "Running", params string[] containers) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(containers.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "example/" + c + ":1" }).ToArray()),
        },
        ["status"] = new JsonObject { ["phase"] = phase },
    };

    /// <summary>Writes a kubeconfig whose current context (<c>fake</c>, namespace <c>default</c>) points at this server.</summary>
    public string WriteKubeconfig(string directory)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {BaseAddress.GetLeftPart(UriPartial.Authority)}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: default
            - name: other
              context:
                cluster: fake
                user: fake
                namespace: bookinfo
            current-context: fake
            users:
            - name: fake
              user:
                token: test-token
            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(new RecordedRequest(request.Method, request.Path.Value ?? string.Empty, request.QueryString.Value ?? string.Empty));
        var parts = (request.Path.Value ?? string.Empty).Trim('/').Split('/');

        // api/v1/pods?labelSelector=k=v,... (every namespace)
        if (parts.Length == 3 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "pods" && request.Method == "GET")
        {
            await WritePodList(context, Pods).ConfigureAwait(false);
            return;
        }

        // api/v1/namespaces/{ns}/pods?labelSelector=k=v,...
        if (parts.Length == 5 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "namespaces" && parts[4] == "pods" && request.Method == "GET")
        {
            await WritePodList(context, Pods.Where(p => p.Key.StartsWith(parts[3] + "/", StringComparison.Ordinal))).ConfigureAwait(false);
            return;
        }

        // api/v1/namespaces/{ns}/serviceaccounts/{name}/token (TokenRequest)
        if (parts.Length == 7 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "namespaces" && parts[4] == "serviceaccounts" && parts[6] == "token"
            && request.Method == "POST")
        {
            await TokenRequestAsync(context, parts[3], parts[5]).ConfigureAwait(false);
            return;
        }

        // api/v1/namespaces/{ns}/configmaps/{name} and .../secrets/{name}
        if (parts.Length == 6 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "namespaces" && parts[4] is "configmaps" or "secrets" && request.Method == "GET")
        {
            var store = parts[4] == "configmaps" ? ConfigMaps : Secrets;
            var kind = parts[4] == "configmaps" ? "ConfigMap" : "Secret";
            if (store.TryGetValue(parts[3] + "/" + parts[5], out var found))
            {
                var copy = (JsonObject)found.DeepClone();
                copy["apiVersion"] = "v1";
                copy["kind"] = kind;
                copy["metadata"] = new JsonObject { ["name"] = parts[5], ["namespace"] = parts[3] };
                await WriteJson(context, 200, copy).ConfigureAwait(false);
            }
            else
            {
                await WriteJson(context, 404, Status(404, "NotFound", $"{parts[4]} \"{parts[5]}\" not found")).ConfigureAwait(false);
            }

            return;
        }

        // api/v1/namespaces/{ns}/pods/{name}[/portforward]
        if (parts.Length is 6 or 7 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "namespaces" && parts[4] == "pods")
        {
            var (ns, name) = (parts[3], parts[5]);
            if (parts.Length == 6 && request.Method == "GET")
            {
                if (Pods.TryGetValue(ns + "/" + name, out var pod))
                {
                    await WriteJson(context, 200, pod).ConfigureAwait(false);
                }
                else
                {
                    await WriteJson(context, 404, Status(404, "NotFound", $"pods \"{name}\" not found")).ConfigureAwait(false);
                }

                return;
            }

            if (parts.Length == 7 && parts[6] == "portforward")
            {
                await PortForwardAsync(context, ns, name).ConfigureAwait(false);
                return;
            }
        }

        await WriteJson(context, 404, Status(404, "NotFound", "the server could not find the requested resource")).ConfigureAwait(false);
    }

    private async Task TokenRequestAsync(HttpContext context, string ns, string name)
    {
        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject
                ?? throw new System.Text.Json.JsonException("not an object");
        }
        catch (System.Text.Json.JsonException e)
        {
            await WriteJson(context, 400, Status(400, "BadRequest", "the TokenRequest body is not a JSON object: " + e.Message)).ConfigureAwait(false);
            return;
        }

        TokenRequests.Enqueue((ns + "/" + name, body));
        if (ForbidTokenRequest)
        {
            await WriteJson(context, 403, Status(403, "Forbidden",
                $"serviceaccounts \"{name}\" is forbidden: User \"test\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \"{ns}\"")).ConfigureAwait(false);
            return;
        }

        if (!ServiceAccounts.ContainsKey(ns + "/" + name))
        {
            await WriteJson(context, 404, Status(404, "NotFound", $"serviceaccounts \"{name}\" not found")).ConfigureAwait(false);
            return;
        }

        if ((string?)body["kind"] != "TokenRequest" || body["spec"] is not JsonObject spec)
        {
            await WriteJson(context, 400, Status(400, "BadRequest", "the body is not a TokenRequest with a spec")).ConfigureAwait(false);
            return;
        }

        var seconds = spec["expirationSeconds"]?.GetValue<long>() ?? 3600;
        var answer = (JsonObject)body.DeepClone();
        answer["status"] = new JsonObject
        {
            ["token"] = IssuedToken,
            ["expirationTimestamp"] = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        await WriteJson(context, 201, answer).ConfigureAwait(false);
    }

    private async Task PortForwardAsync(HttpContext context, string ns, string name)
    {
        // A forward counts as open from its request until the client's close (or the answer refusing it) is seen,
        // before this server answers the close, so a client that waits for the close handshake never overlaps.
        UpdateMax(Interlocked.Increment(ref _activePortForwards));
        var left = 0;
        try
        {
            await PortForwardOnceAsync(context, ns, name, Leave).ConfigureAwait(false);
        }
        finally
        {
            Leave();
        }

        void Leave()
        {
            if (Interlocked.Exchange(ref left, 1) == 0)
            {
                Interlocked.Decrement(ref _activePortForwards);
            }
        }
    }

    private async Task PortForwardOnceAsync(HttpContext context, string ns, string name, Action leave)
    {
        if (ForbidPortForward || ForbiddenPods.ContainsKey(ns + "/" + name))
        {
            leave();
            await WriteJson(context, 403, Status(403, "Forbidden",
                $"pods \"{name}\" is forbidden: User \"test\" cannot create resource \"pods/portforward\" in API group \"\" in the namespace \"{ns}\"")).ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await WriteJson(context, 400, Status(400, "BadRequest", "Upgrade request required")).ConfigureAwait(false);
            return;
        }

        var port = int.Parse(context.Request.Query["ports"].ToString(), CultureInfo.InvariantCulture);
        using var socket = await context.WebSockets.AcceptWebSocketAsync("v4.channel.k8s.io").ConfigureAwait(false);
        var prefix = new[] { (byte)(port & 0xff), (byte)(port >> 8) };
        await socket.SendAsync(new byte[] { 0, prefix[0], prefix[1] }, WebSocketMessageType.Binary, true, context.RequestAborted).ConfigureAwait(false);
        await socket.SendAsync(new byte[] { 1, prefix[0], prefix[1] }, WebSocketMessageType.Binary, true, context.RequestAborted).ConfigureAwait(false);
        if (RefuseInsidePod)
        {
            var error = Encoding.UTF8.GetBytes(
                $"error forwarding port {port} to pod {name}, uid : failed to execute portforward in network namespace: failed to connect to localhost:{port} inside namespace: dial tcp4 127.0.0.1:{port}: connect: connection refused");
            await socket.SendAsync((byte[])[1, .. error], WebSocketMessageType.Binary, true, context.RequestAborted).ConfigureAwait(false);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (HangingPods.ContainsKey(ns + "/" + name))
        {
            // Accept the forward but never reach the admin port: read (and drop) until the client gives up.
            var sink = new byte[1 << 12];
            try
            {
                while (true)
                {
                    var read = await socket.ReceiveAsync(sink, context.RequestAborted).ConfigureAwait(false);
                    if (read.MessageType == WebSocketMessageType.Close)
                    {
                        leave();
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted).ConfigureAwait(false);
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
            {
                // The client went away.
            }

            return;
        }

        using var tcp = new TcpClient();
        var local = PodForwardPorts.TryGetValue(ns + "/" + name, out var podPort) ? podPort
            : ForwardPorts.TryGetValue(port, out var portPort) ? portPort
            : ForwardTo;
        await tcp.ConnectAsync("127.0.0.1", local, context.RequestAborted).ConfigureAwait(false);
        var stream = tcp.GetStream();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var up = Task.Run(async () =>
        {
            var buffer = new byte[1 << 16];
            while (!done.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, done.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    leave();
                    break;
                }

                // Messages from the client carry the channel byte first; only the data channel goes to the port.
                if (result.Count > 1 && buffer[0] == 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(1, result.Count - 1), done.Token).ConfigureAwait(false);
                }
            }
        });
        var down = Task.Run(async () =>
        {
            var buffer = new byte[1 << 16];
            while (!done.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(1, buffer.Length - 1), done.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                buffer[0] = 0;
                await socket.SendAsync(buffer.AsMemory(0, read + 1), WebSocketMessageType.Binary, true, done.Token).ConfigureAwait(false);
            }
        });
        try
        {
            await Task.WhenAny(up, down).ConfigureAwait(false);
        }
        finally
        {
            await done.CancelAsync().ConfigureAwait(false);
            try
            {
                if (socket.State == WebSocketState.Open || socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
            {
                // The client went away first.
            }
        }
    }

    private void UpdateMax(int active)
    {
        int seen;
        while (active > (seen = Volatile.Read(ref _maxConcurrentPortForwards))
            && Interlocked.CompareExchange(ref _maxConcurrentPortForwards, active, seen) != seen)
        {
        }
    }

    /// <summary>
    /// One page of a pod list, as the API server pages: the pods matching <c>labelSelector</c> in key order, at most
    /// <c>limit</c> of them (and at most <see cref="MaxPageSize"/>), starting after the one the <c>continue</c> token
    /// names; <c>metadata.continue</c> and <c>remainingItemCount</c> when more are left. A token this server did not
    /// issue is answered 400 Bad Request.
    /// </summary>
    private async Task WritePodList(HttpContext context, IEnumerable<KeyValuePair<string, JsonObject>> pods)
    {
        if (HangPodLists)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The client went away.
            }

            return;
        }

        var query = context.Request.Query;
        var wanted = (query["labelSelector"].FirstOrDefault() ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToList();
        var matching = pods
            .Where(p => wanted.All(w => (string?)p.Value["metadata"]?["labels"]?[w[0]] == (w.Length > 1 ? w[1] : null)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToList();

        if (query["continue"].FirstOrDefault() is { Length: > 0 } token)
        {
            if (ContinueKey(token) is not { } after)
            {
                await WriteJson(context, 400, Status(400, "BadRequest", "The provided continue parameter is not valid")).ConfigureAwait(false);
                return;
            }

            matching = matching.Where(p => string.CompareOrdinal(p.Key, after) > 0).ToList();
        }

        var size = int.TryParse(query["limit"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? limit : int.MaxValue;
        if (MaxPageSize is { } max)
        {
            size = Math.Min(size, max);
        }

        var page = matching.Take(size).ToList();
        var metadata = new JsonObject { ["resourceVersion"] = "1000" };
        if (page.Count < matching.Count)
        {
            metadata["continue"] = ContinueToken(page[^1].Key);
            metadata["remainingItemCount"] = matching.Count - page.Count;
        }

        var items = page.Select(p => (JsonNode)p.Value.DeepClone()).ToArray();
        await WriteJson(context, 200, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "PodList", ["metadata"] = metadata, ["items"] = new JsonArray(items) }).ConfigureAwait(false);
    }

    /// <summary>An opaque continue token naming the last key of a page (base64 of <c>pods/NAMESPACE/NAME</c>).</summary>
    private static string ContinueToken(string lastKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes("pods/" + lastKey));

    private static string? ContinueKey(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("pods/", StringComparison.Ordinal) ? text["pods/".Length..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static JsonObject Status(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    private static async Task WriteJson(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
