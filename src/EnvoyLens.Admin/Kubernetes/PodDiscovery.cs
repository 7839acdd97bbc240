using System.Globalization;
using System.Net;
using EnvoyLens.Admin.Live;
using EnvoyLens.Core;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace EnvoyLens.Admin.Kubernetes;

/// <summary>
/// One kind of proxy container a scan looks for: its container name, the mesh or product it belongs to, the admin port
/// inside the pod, and the pod annotation or label that says the proxy was meant to be injected (so that a pod
/// without it is reported, not silently skipped).
/// </summary>
/// <param name="Container">The container name, e.g. <c>istio-proxy</c>.</param>
/// <param name="Kind">The short name shown in the PROXY column, e.g. <c>istio</c>.</param>
/// <param name="AdminPort">The admin port inside the pod.</param>
/// <param name="InjectMarker">An annotation or label key whose value <c>true</c> or <c>enabled</c> asks for injection; null for none.</param>
/// <param name="Proxy">Which proxy answers on the admin port: what may be asked of it and how its answers are read.</param>
public sealed record ProxyContainerKind(string Container, string Kind, int AdminPort, string? InjectMarker, ProxyKind Proxy = ProxyKind.Envoy);

/// <summary>
/// The one table of proxy containers <c>envoylens scan</c> recognises, in order of preference (a pod with two is read
/// through the first). A new mesh's proxy is one more row here.
/// </summary>
public static class ProxyContainers
{
    public static IReadOnlyList<ProxyContainerKind> Known { get; } =
    [
        new("istio-proxy", "istio", PodConnector.DefaultAdminPort, "sidecar.istio.io/inject"),
        new("envoy", "envoy", PodConnector.DefaultAdminPort, null),
        new("consul-dataplane", "consul", 19000, "consul.hashicorp.com/connect-inject"),
        new("envoy-sidecar", "envoy", PodConnector.DefaultAdminPort, null),
        new("kuma-sidecar", "kuma", PodConnector.DefaultAdminPort, "kuma.io/sidecar-injection"),
        new("envoy-proxy", "envoy", PodConnector.DefaultAdminPort, null),
        new(PodConnector.LinkerdContainer, "linkerd", PodConnector.LinkerdAdminPort, "linkerd.io/inject", ProxyKind.Linkerd2Proxy),
    ];

    /// <summary>The first known proxy container of <paramref name="pod"/> (regular or native sidecar), with its image; null when it has none.</summary>
    public static (ProxyContainerKind Kind, string? Image)? Find(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var containers = (pod.Spec?.Containers ?? [])
            .Concat((pod.Spec?.InitContainers ?? []).Where(c => c.RestartPolicy == "Always"))
            .Where(c => !string.IsNullOrEmpty(c.Name))
            .ToList();
        foreach (var kind in Known)
        {
            if (containers.FirstOrDefault(c => c.Name == kind.Container) is { } c)
            {
                return (kind, c.Image);
            }
        }

        return null;
    }

    /// <summary>True when a label or annotation of <paramref name="pod"/> asks for a proxy to be injected.</summary>
    public static bool WantsProxy(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return Known.Where(k => k.InjectMarker is not null).Any(k =>
            IsOn(Get(pod.Metadata?.Annotations, k.InjectMarker!)) || IsOn(Get(pod.Metadata?.Labels, k.InjectMarker!)));

        static string? Get(IDictionary<string, string>? map, string key) => map is not null && map.TryGetValue(key, out var v) ? v : null;

        static bool IsOn(string? v) => v is not null && (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("enabled", StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>
/// A pod a scan found: where it is, which workload it belongs to, and its proxy container (null when it has none but
/// asked for one).
/// </summary>
/// <param name="Workload">The owning workload, <c>Deployment/NAME</c> for a ReplicaSet's pod, else <c>KIND/NAME</c> of the owner; null for a bare pod.</param>
/// <param name="Phase">The pod's phase (<c>Running</c>, <c>Pending</c>, ...).</param>
/// <param name="Ready">The pod's Ready condition (null when it reports none).</param>
public sealed record DiscoveredPod(string Namespace, string Name, string? Workload, string Phase, bool? Ready, ProxyContainerKind? Proxy, string? ProxyImage)
{
    /// <summary><c>NAMESPACE/NAME</c>.</summary>
    public string Key => Namespace + "/" + Name;

    /// <summary>The image tag of the proxy container (e.g. <c>1.24.0</c>), null when the image has no tag.</summary>
    public string? ImageTag
    {
        get
        {
            if (ProxyImage is null)
            {
                return null;
            }

            var image = ProxyImage.Split('@')[0];
            var slash = image.LastIndexOf('/');
            var colon = image.LastIndexOf(':');
            return colon > slash ? image[(colon + 1)..] : null;
        }
    }
}

/// <summary>What a scan lists: pods of one namespace or all, matching a label selector.</summary>
/// <param name="Namespace">The namespace; null for all namespaces.</param>
/// <param name="LabelSelector">A Kubernetes label selector, or null.</param>
public sealed record PodQuery(string? Namespace, string? LabelSelector);

/// <summary>
/// The Kubernetes side of <c>envoylens scan</c>: one client for the whole scan (kubeconfig and context, or the in-cluster
/// service account), every API call (pod lists, port-forwards) through one client-side rate limit, pods listed page by
/// page. Needs RBAC <c>list pods</c> (in the namespace or cluster-wide) and <c>create pods/portforward</c>.
/// </summary>
public sealed class PodDiscovery : IDisposable
{
    private const int PageSize = 500;
    private readonly k8s.Kubernetes _client;
    private readonly ApiRateLimiter _limiter;

    private PodDiscovery(KubernetesClientConfiguration config, ApiRateLimiter limiter)
    {
        Host = config.Host ?? "the Kubernetes API";
        DefaultNamespace = string.IsNullOrEmpty(config.Namespace) ? "default" : config.Namespace;
        _client = new k8s.Kubernetes(config);
        _limiter = limiter;
    }

    /// <summary>The API server's address, as messages name it.</summary>
    public string Host { get; }

    /// <summary>The context's namespace (or the service account's), else <c>default</c>.</summary>
    public string DefaultNamespace { get; }

    /// <summary>Through the kubeconfig (as <c>kubectl</c> finds it) and <paramref name="context"/>.</summary>
    public static PodDiscovery FromKubeconfig(string? kubeconfig, string? context, ApiRateLimiter limiter) =>
        new(PodConnector.BuildConfig(PodConnector.KubeconfigPath(kubeconfig), context), limiter);

    /// <summary>Through the pod's service account (KubernetesClient's in-cluster configuration).</summary>
    public static PodDiscovery InCluster(ApiRateLimiter limiter)
    {
        if (!KubernetesClientConfiguration.IsInCluster())
        {
            throw new EnvoyLensException(
                "--in-cluster needs to run inside a Kubernetes pod (KUBERNETES_SERVICE_HOST and the service account token are missing); use --kubeconfig outside the cluster.");
        }

        try
        {
            return new(KubernetesClientConfiguration.InClusterConfig(), limiter);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new EnvoyLensException($"the in-cluster Kubernetes configuration cannot be used: {FirstLine(ex.Message)}.", ex);
        }
    }

    /// <summary>
    /// Every pod of <paramref name="query"/> that has a known proxy container or asks for one, sorted by namespace and
    /// name; <c>WithoutProxy</c> counts the others. With <paramref name="include"/> only pods whose <c>NAMESPACE/NAME</c>
    /// it accepts are considered at all (a shard). Failures of the API are one-sentence exceptions.
    /// </summary>
    public async Task<(IReadOnlyList<DiscoveredPod> Pods, int WithoutProxy)> ListAsync(PodQuery query, Func<string, bool>? include, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = query.Namespace is null ? "all namespaces" : "namespace " + query.Namespace;
        var found = new List<DiscoveredPod>();
        var withoutProxy = 0;
        string? next = null;
        do
        {
            await _limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            V1PodList page;
            try
            {
                page = query.Namespace is null
                    ? await _client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: next, labelSelector: query.LabelSelector, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await _client.CoreV1.ListNamespacedPodAsync(query.Namespace, continueParameter: next, labelSelector: query.LabelSelector, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Forbidden)
            {
                throw new EnvoyLensException($"listing pods in {where} is forbidden; the scan needs RBAC 'list pods' there.", ex);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new EnvoyLensException($"the Kubernetes API at {Host} refused the credentials (401 Unauthorized) while listing pods in {where}.", ex);
            }
            catch (HttpOperationException ex)
            {
                throw new EnvoyLensException($"the Kubernetes API at {Host} answered {(int)ex.Response.StatusCode} while listing pods in {where}.", ex);
            }
            catch (HttpRequestException ex)
            {
                throw new EnvoyLensException($"the Kubernetes API at {Host} cannot be reached while listing pods in {where}: {FirstLine(ex.Message)}.", ex);
            }

            foreach (var pod in page.Items ?? [])
            {
                if (pod.Metadata?.Name is not { } name || pod.Metadata.NamespaceProperty is not { } ns)
                {
                    continue;
                }

                if (include is not null && !include(ns + "/" + name))
                {
                    continue;
                }

                var proxy = ProxyContainers.Find(pod);
                if (proxy is null && !ProxyContainers.WantsProxy(pod))
                {
                    withoutProxy++;
                    continue;
                }

                var ready = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { } condition
                    ? string.Equals(condition.Status, "True", StringComparison.Ordinal)
                    : (bool?)null;
                found.Add(new DiscoveredPod(ns, name, WorkloadOf(pod), pod.Status?.Phase ?? "Unknown", ready, proxy?.Kind, proxy?.Image));
            }

            next = string.IsNullOrEmpty(page.Metadata?.ContinueProperty) ? null : page.Metadata.ContinueProperty;
        }
        while (next is not null);

        found.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return (found, withoutProxy);
    }

    /// <summary>The admin port of <paramref name="pod"/>'s proxy as an <see cref="AdminTarget"/>; every connection is a port-forward through the rate limit.</summary>
    public AdminTarget Target(DiscoveredPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var proxy = pod.Proxy ?? throw new InvalidOperationException($"pod {pod.Key} has no proxy container.");
        var port = proxy.AdminPort;
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var display = $"pod {pod.Name}.{pod.Namespace}";
        var target = $"{display} (container {proxy.Container})";
        return new AdminTarget("pod", $"{display} port {portText}", new Uri($"http://127.0.0.1:{portText}/"))
        {
            Name = $"{pod.Name}.{pod.Namespace}",
            Container = proxy.Container,
            Port = port,
            Proxy = proxy.Proxy,
            Connect = async (_, ct) =>
            {
                await _limiter.WaitAsync(ct).ConfigureAwait(false);
                return await PodConnector.OpenAsync(_client, pod.Name, pod.Namespace, port, target, ct).ConfigureAwait(false);
            },
        };
    }

    public void Dispose() => _client.Dispose();

    /// <summary><c>Deployment/NAME</c> for a pod of a ReplicaSet carrying <c>pod-template-hash</c>, else the controller owner's <c>KIND/NAME</c>.</summary>
    internal static string? WorkloadOf(V1Pod pod)
    {
        var owner = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true) ?? pod.Metadata?.OwnerReferences?.FirstOrDefault();
        if (owner is null)
        {
            return null;
        }

        if (owner.Kind == "ReplicaSet" && pod.Metadata?.Labels is { } labels && labels.TryGetValue("pod-template-hash", out var hash) && hash.Length > 0
            && owner.Name.EndsWith("-" + hash, StringComparison.Ordinal))
        {
            return "Deployment/" + owner.Name[..^(hash.Length + 1)];
        }

        return owner.Kind + "/" + owner.Name;
    }

    private static string FirstLine(string message) =>
        message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()?.TrimEnd('.') ?? "unknown error";
}

/// <summary>
/// A client-side limit on requests to the Kubernetes API: at most <c>qps</c> per second on average with bursts of
/// <c>burst</c> (a token bucket), so that a scan of thousands of pods does not flood the API server.
/// </summary>
public sealed class ApiRateLimiter
{
    private readonly TimeSpan _interval;
    private readonly TimeSpan _burstWindow;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private DateTimeOffset _next;

    /// <param name="qps">Requests per second; 0 or less for no limit.</param>
    /// <param name="burst">How many requests may go at once after a quiet period.</param>
    public ApiRateLimiter(double qps, int burst, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        _interval = qps > 0 ? TimeSpan.FromSeconds(1 / qps) : TimeSpan.Zero;
        _burstWindow = _interval * Math.Max(0, burst - 1);
        _next = DateTimeOffset.MinValue;
    }

    /// <summary>Waits for the next request slot.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (_interval == TimeSpan.Zero)
        {
            return;
        }

        TimeSpan wait;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            var earliest = now - _burstWindow;
            var slot = _next < earliest ? earliest : _next;
            _next = slot + _interval;
            wait = slot > now ? slot - now : TimeSpan.Zero;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
        }
    }
}
