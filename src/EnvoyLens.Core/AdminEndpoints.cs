namespace EnvoyLens.Core;

/// <summary>What EnvoyLens knows about one admin endpoint.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Name">Its name in a bundle manifest and in <c>decode</c> output (<c>config_dump</c>, <c>stats_prometheus</c>).</param>
/// <param name="Path">The admin path it is read from (<c>/stats/prometheus</c>).</param>
/// <param name="FileName">The file its body is stored in inside a bundle (<c>config_dump.json</c>, <c>ready.txt</c>).</param>
/// <param name="DisplayName">How a sentence names it as an input (<c>a config dump</c>, <c>/stats</c>).</param>
/// <param name="Input">The rule input it provides, <see cref="RuleInputs.None"/> when no rule reads it.</param>
/// <param name="Proxies">The kinds of proxy that serve it (Envoy's endpoints are Envoy's only; <c>/ready</c> is both).</param>
public sealed record AdminEndpointInfo(AdminEndpoint Endpoint, string Name, string Path, string FileName, string DisplayName, RuleInputs Input, ProxyKinds Proxies = ProxyKinds.Envoy)
{
    /// <summary>True when the body is plain text rather than JSON (<c>/ready</c>, <c>/stats/prometheus</c>).</summary>
    public bool IsText => FileName.EndsWith(".txt", StringComparison.Ordinal);

    /// <summary>
    /// The first segment of its path (<c>stats</c> for both <c>/stats</c> and <c>/stats/prometheus</c>): two documents of
    /// one kind are two answers to the same question.
    /// </summary>
    public string Kind
    {
        get
        {
            var rest = Path[1..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? rest : rest[..slash];
        }
    }
}

/// <summary>The one description of the admin endpoints EnvoyLens reads, in <see cref="AdminEndpoint"/> order.</summary>
public static class AdminEndpoints
{
    /// <summary>Every endpoint, in <see cref="AdminEndpoint"/> order.</summary>
    public static IReadOnlyList<AdminEndpointInfo> All { get; } =
    [
        new(AdminEndpoint.ConfigDump, "config_dump", "/config_dump", "config_dump.json", "a config dump", RuleInputs.ConfigDump),
        new(AdminEndpoint.Clusters, "clusters", "/clusters", "clusters.json", "/clusters", RuleInputs.Clusters),
        new(AdminEndpoint.Listeners, "listeners", "/listeners", "listeners.json", "/listeners", RuleInputs.Listeners),
        new(AdminEndpoint.Certs, "certs", "/certs", "certs.json", "/certs", RuleInputs.Certs),
        new(AdminEndpoint.ServerInfo, "server_info", "/server_info", "server_info.json", "/server_info", RuleInputs.ServerInfo),
        new(AdminEndpoint.Stats, "stats", "/stats", "stats.json", "/stats", RuleInputs.Stats),
        new(AdminEndpoint.StatsPrometheus, "stats_prometheus", "/stats/prometheus", "stats_prometheus.txt", "/stats/prometheus", RuleInputs.Stats),
        new(AdminEndpoint.InitDump, "init_dump", "/init_dump", "init_dump.json", "/init_dump", RuleInputs.InitDump),
        new(AdminEndpoint.Ready, "ready", "/ready", "ready.txt", "/ready", RuleInputs.None, ProxyKinds.Envoy | ProxyKinds.Linkerd2Proxy),
        new(AdminEndpoint.Runtime, "runtime", "/runtime", "runtime.json", "/runtime", RuleInputs.None),
        new(AdminEndpoint.Memory, "memory", "/memory", "memory.json", "/memory", RuleInputs.None),
        new(AdminEndpoint.HotRestartVersion, "hot_restart_version", "/hot_restart_version", "hot_restart_version.txt", "/hot_restart_version", RuleInputs.None),
        new(AdminEndpoint.LinkerdMetrics, "metrics", "/metrics", "metrics.txt", "linkerd2-proxy /metrics", RuleInputs.LinkerdMetrics, ProxyKinds.Linkerd2Proxy),
        new(AdminEndpoint.Live, "live", "/live", "live.txt", "/live", RuleInputs.None, ProxyKinds.Linkerd2Proxy),
    ];

    /// <summary>The endpoints <paramref name="proxy"/> serves, in <see cref="All"/> order.</summary>
    public static IEnumerable<AdminEndpointInfo> ServedBy(ProxyKind proxy) => All.Where(e => e.Proxies.HasFlag(ProxyKindSets.Of(proxy)));

    /// <summary>The description of <paramref name="endpoint"/>.</summary>
    public static AdminEndpointInfo Of(AdminEndpoint endpoint) =>
        (uint)endpoint < (uint)All.Count ? All[(int)endpoint] : throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "not an admin endpoint");

    /// <summary>The endpoint whose <see cref="AdminEndpointInfo.Name"/> is <paramref name="name"/>; false for names this version does not know.</summary>
    public static bool TryParse(string name, out AdminEndpoint endpoint)
    {
        foreach (var info in All)
        {
            if (string.Equals(info.Name, name, StringComparison.Ordinal))
            {
                endpoint = info.Endpoint;
                return true;
            }
        }

        endpoint = default;
        return false;
    }

    /// <summary>The first endpoint (in <see cref="All"/> order) that provides <paramref name="input"/>, a single flag.</summary>
    public static AdminEndpointInfo? Providing(RuleInputs input)
    {
        if (input == RuleInputs.None)
        {
            return null;
        }

        foreach (var info in All)
        {
            if (info.Input == input)
            {
                return info;
            }
        }

        return null;
    }
}
