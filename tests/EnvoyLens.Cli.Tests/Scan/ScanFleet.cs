using System.Globalization;
using System.Text.Json.Nodes;
using EnvoyLens.TestKit;
using EnvoyLens.TestKit.Live;
using Microsoft.AspNetCore.Http;

namespace EnvoyLens.Cli.Tests.Scan;

/// <summary>
/// A cluster of 200 pods with proxies across namespaces (plus pods without one) on the Kubernetes API test server,
/// port-forwarded to five real admin servers: healthy replicas, one replica of another mesh (different config and
/// trust root), one proxy with an expired certificate, one still initializing, one Linkerd proxy (linkerd2-proxy's
/// /metrics, /ready and /live on 4191) whose identity certificate has expired; and one pod without its sidecar, one
/// whose port-forward is refused (403), one whose port-forward hangs.
/// </summary>
internal sealed class ScanFleet : IAsyncDisposable
{
    /// <summary>The capture instant of the fixtures: certificates are judged then.</summary>
    public const string At = "2026-11-20T10:00:00Z";

    public const string Expired = "payments/ledger-7d9f8c6b5-exp01";
    public const string Warming = "payments/api-5c8d7f9b4-warm1";
    public const string NoSidecar = "payments/batch-6f7d8c9b5-nosc1";
    public const string Forbidden = "payments/audit-7b6c5d4f3-deny1";
    public const string Hanging = "payments/export-8c7b6a5d4-hang1";
    public const string OtherMesh = "bookinfo/reviews-v1-6c8d7b9f4-odd01";
    public const string Linkerd = "emojivoto/web-7b8c9d6f5-lnkd1";

    private readonly List<FakeAdminServer> _admins;

    private ScanFleet(FakeKubernetesApi api, List<FakeAdminServer> admins, string directory)
    {
        Api = api;
        _admins = admins;
        Directory = directory;
        Kubeconfig = api.WriteKubeconfig(directory);
    }

    public FakeKubernetesApi Api { get; }

    /// <summary>The admin server of the healthy replicas.</summary>
    public FakeAdminServer Healthy => _admins[0];

    public string Directory { get; }

    public string Kubeconfig { get; }

    /// <summary>Pods with a proxy or asking for one (the scan's rows).</summary>
    public List<string> ProxyPods { get; } = [];

    /// <summary>Pods without a proxy that asked for none.</summary>
    public int WithoutProxy { get; private set; }

    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    public static async Task<ScanFleet> StartAsync(int healthy = 191)
    {
        var reviews = await FakeAdminServer.StartAsync();
        var other = await FakeAdminServer.StartAsync(TestPaths.Fixture("snapshots", "ratings-other-mesh"));
        var expired = await FakeAdminServer.StartAsync();
        var expiredDump = await File.ReadAllBytesAsync(TestPaths.Fixture("rules", "EL4001-certificate-expired", "fail", "config_dump.json"));
        expired.Routes["/config_dump"] = context => Write(context, expiredDump, "application/json");
        var warming = await FakeAdminServer.StartAsync();
        var serverInfo = JsonNode.Parse(await File.ReadAllTextAsync(TestPaths.Fixture("snapshots", "reviews", "server_info.json")))!;
        serverInfo["state"] = "INITIALIZING";
        var warmingInfo = System.Text.Encoding.UTF8.GetBytes(serverInfo.ToJsonString());
        warming.Routes["/server_info"] = context => Write(context, warmingInfo, "application/json");

        var linkerd = await FakeAdminServer.StartAsync();
        var metrics = await File.ReadAllBytesAsync(System.IO.Path.Combine(System.IO.Directory.GetDirectories(TestPaths.Fixture("rules"), "EL6001-*").Single(), "fail", "metrics.txt"));
        linkerd.Routes["/metrics"] = context => Write(context, metrics, "text/plain; version=0.0.4");
        linkerd.Routes["/ready"] = context => Write(context, "ready\n"u8.ToArray(), "text/plain");
        linkerd.Routes["/live"] = context => Write(context, "live\n"u8.ToArray(), "text/plain");

        var api = await FakeKubernetesApi.StartAsync(reviews.Port);
        var fleet = new ScanFleet(api, [reviews, other, expired, warming, linkerd], System.IO.Directory.CreateTempSubdirectory("envoylens-scan-tests-").FullName);

        // Healthy replicas: 8 namespaces, 4 deployments each, 6 replicas (191 pods: one deployment has 5).
        for (var i = 0; i < healthy; i++)
        {
            var ns = "team-" + (i % 8).ToString(CultureInfo.InvariantCulture);
            var deployment = "svc-" + (i / 8 % 4).ToString(CultureInfo.InvariantCulture);
            fleet.Add(ns, $"{deployment}-5f6d7c8b9-{i.ToString("x5", CultureInfo.InvariantCulture)}", deployment, "5f6d7c8b9");
        }

        fleet.Add("bookinfo", "reviews-v1-6c8d7b9f4-x2x7q", "reviews-v1", "6c8d7b9f4");
        fleet.Add("bookinfo", "reviews-v1-6c8d7b9f4-k8s2m", "reviews-v1", "6c8d7b9f4");
        fleet.Add(OtherMesh, "reviews-v1", "6c8d7b9f4", port: other.Port);
        fleet.Add(Expired, "ledger", "7d9f8c6b5", port: expired.Port);
        fleet.Add(Warming, "api", "5c8d7f9b4", port: warming.Port, ready: false);
        fleet.Add(NoSidecar, "batch", "6f7d8c9b5", sidecar: false);
        fleet.Add(Forbidden, "audit", "7b6c5d4f3");
        api.ForbiddenPods[Forbidden] = true;
        fleet.Add(Hanging, "export", "8c7b6a5d4");
        api.HangingPods[Hanging] = true;
        fleet.Add(Linkerd, "web", "7b8c9d6f5", port: linkerd.Port, mesh: "linkerd");

        // Pods without a proxy that asked for none are not rows.
        foreach (var name in new[] { "coredns-5d78c9869d-abcde", "coredns-5d78c9869d-fghij", "kube-proxy-x7k2p" })
        {
            var pod = FakeKubernetesApi.Pod(name, "kube-system", "Running", name.Split('-')[0]);
            api.Pods["kube-system/" + name] = pod;
            fleet.WithoutProxy++;
        }

        return fleet;
    }

    /// <summary>Adds pod <c>NAMESPACE/NAME</c> of Deployment <paramref name="deployment"/> with an istio-proxy (or only an app container asking for one).</summary>
    /// <param name="mesh"><c>istio</c> (an istio-proxy container) or <c>linkerd</c> (a linkerd-proxy container).</param>
    public void Add(string key, string deployment, string hash, int? port = null, bool sidecar = true, bool ready = true, string mesh = "istio")
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        Add(key[..slash], key[(slash + 1)..], deployment, hash, port, sidecar, ready, mesh);
    }

    public void Add(string ns, string name, string deployment, string hash, int? port = null, bool sidecar = true, bool ready = true, string mesh = "istio")
    {
        var proxy = mesh == "linkerd" ? "linkerd-proxy" : "istio-proxy";
        var pod = FakeKubernetesApi.Pod(name, ns, "Running", sidecar ? ["app", proxy] : ["app"]);
        var metadata = pod["metadata"]!.AsObject();
        metadata["labels"] = new JsonObject { ["app"] = deployment, ["pod-template-hash"] = hash };
        metadata["annotations"] = mesh == "linkerd"
            ? new JsonObject { ["linkerd.io/inject"] = "enabled" }
            : new JsonObject { ["sidecar.istio.io/inject"] = "true" };
        metadata["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["name"] = deployment + "-" + hash,
            ["uid"] = "00000000-0000-0000-0000-000000000001",
            ["controller"] = true,
        });
        pod["status"]!["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" });
        Api.Pods[ns + "/" + name] = pod;
        if (port is { } p)
        {
            Api.PodForwardPorts[ns + "/" + name] = p;
        }

        ProxyPods.Add(ns + "/" + name);
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        foreach (var admin in _admins)
        {
            await admin.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private static async Task Write(HttpContext context, byte[] body, string type)
    {
        context.Response.ContentType = type;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
