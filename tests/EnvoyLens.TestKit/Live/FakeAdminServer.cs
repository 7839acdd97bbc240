using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace EnvoyLens.TestKit.Live;

/// <summary>One request as the fake server saw it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query)
{
    /// <summary>Path and query as sent, e.g. <c>/clusters?format=json</c>.</summary>
    public string PathAndQuery => Path + Query;
}

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) playing an Envoy admin port: it serves a bundle's files
/// (by default fixtures/snapshots/reviews) under their admin paths, honours <c>mask</c> and <c>include_eds</c> of
/// <c>/config_dump</c>, and records every request it receives. <see cref="Routes"/> replaces any path's answer.
/// </summary>
public sealed class FakeAdminServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _bundle;

    private FakeAdminServer(WebApplication app, string bundle)
    {
        _app = app;
        _bundle = bundle;
    }

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Handlers that replace the default answer of a path.</summary>
    public ConcurrentDictionary<string, RequestDelegate> Routes { get; } = new(StringComparer.Ordinal);

    /// <summary>Replaces the served config dump (e.g. to add a secret).</summary>
    public Func<JsonNode, JsonNode>? EditConfigDump { get; set; }

    public Uri BaseAddress { get; private set; } = null!;

    public int Port => BaseAddress.Port;

    public static async Task<FakeAdminServer> StartAsync(string? bundle = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeAdminServer(app, bundle ?? TestPaths.Fixture("snapshots", "reviews"));
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        server.BaseAddress = new Uri(app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
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
        if (Routes.TryGetValue(request.Path.Value ?? string.Empty, out var route))
        {
            await route(context).ConfigureAwait(false);
            return;
        }

        if (request.Method != "GET")
        {
            context.Response.StatusCode = 405;
            return;
        }

        var (body, type) = request.Path.Value switch
        {
            "/config_dump" => (ConfigDump(request.Query), "application/json"),
            "/clusters" => (Read("clusters.json"), "application/json"),
            "/listeners" => (Read("listeners.json"), "application/json"),
            "/certs" => (Read("certs.json"), "application/json"),
            "/server_info" => (Read("server_info.json"), "application/json"),
            "/init_dump" => (Read("init_dump.json"), "application/json"),
            "/ready" => (Read("ready.txt"), "text/plain"),
            "/stats" when request.Query["format"] == "json" => (StatsJson(), "application/json"),
            "/stats" => (Read("stats.txt"), "text/plain"),
            "/stats/prometheus" => (Read("stats_prometheus.txt"), "text/plain"),
            _ => ((byte[]?)null, "text/plain"),
        };
        if (body is null)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("invalid path. admin commands are:", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = type;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private byte[]? Read(string name)
    {
        var path = Path.Combine(_bundle, name);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    private byte[]? ConfigDump(IQueryCollection query)
    {
        var content = Read("config_dump.json");
        if (content is null)
        {
            return null;
        }

        var root = JsonNode.Parse(content)!;
        if (EditConfigDump is { } edit)
        {
            root = edit(root);
        }

        var configs = root["configs"]!.AsArray();
        var kept = new JsonArray();
        var mask = query["mask"].ToString();
        var fields = mask.Length == 0 ? null : mask.Split(',');
        foreach (var config in configs.Select(c => c!.DeepClone()))
        {
            var type = config["@type"]!.GetValue<string>();
            if (!query.ContainsKey("include_eds") && type.EndsWith("EndpointsConfigDump", StringComparison.Ordinal))
            {
                continue;
            }

            if (fields is null)
            {
                kept.Add(config);
                continue;
            }

            // Envoy keeps only the configs the mask fits, trimmed to the masked fields.
            var obj = config.AsObject();
            if (!fields.Any(obj.ContainsKey))
            {
                continue;
            }

            var trimmed = new JsonObject { ["@type"] = type };
            foreach (var field in fields.Where(obj.ContainsKey))
            {
                trimmed[field] = obj[field]!.DeepClone();
            }

            kept.Add(trimmed);
        }

        return Encoding.UTF8.GetBytes(new JsonObject { ["configs"] = kept }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private byte[]? StatsJson()
    {
        var text = Read("stats.txt");
        if (text is null)
        {
            return null;
        }

        var stats = new JsonArray();
        foreach (var line in Encoding.UTF8.GetString(text).Split('\n'))
        {
            var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(line[(colon + 2)..].Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                stats.Add(new JsonObject { ["name"] = line[..colon], ["value"] = value });
            }
        }

        return Encoding.UTF8.GetBytes(new JsonObject { ["stats"] = stats }.ToJsonString());
    }
}
