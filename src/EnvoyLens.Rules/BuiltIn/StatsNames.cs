using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn;

/// <summary>The part of the proxy a stat belongs to.</summary>
internal enum StatScope
{
    /// <summary><c>cluster.&lt;cluster name&gt;.&lt;stat&gt;</c>.</summary>
    Cluster,

    /// <summary><c>listener.&lt;address_port or stat_prefix&gt;.&lt;stat&gt;</c>.</summary>
    Listener,

    /// <summary><c>http.&lt;HCM stat_prefix&gt;.&lt;stat&gt;</c>.</summary>
    Http,
}

/// <summary>
/// A stat split into scope, owner (cluster name, listener address or HCM stat prefix) and the stat proper.
/// <see cref="KnownOwner"/> is true when the owner is a name of the config; <see cref="Resource"/> then names the
/// resource (the cluster, or the listener) a finding should point at.
/// </summary>
internal sealed record ResolvedStat(Stat Stat, StatScope Scope, string Owner, string Suffix, bool KnownOwner, ResourceRef? Resource);

/// <summary>
/// Resolves Envoy stat names against the names the config defines, so that names with dots survive
/// (<c>cluster.outbound|9080||reviews.default.svc.cluster.local.upstream_cx_connect_fail</c>, listener addresses
/// <c>10.0.0.1_15006</c>, HCM prefixes <c>outbound_0.0.0.0_9080</c>). The longest known name wins; a name the config
/// does not know is only accepted when the caller names the stat it wants, by stripping the scope prefix and that exact
/// stat, never by splitting at a dot. Prometheus names (<c>envoy_cluster_upstream_cx_connect_fail{envoy_cluster_name=...}</c>)
/// take the owner from Envoy's tag.
/// </summary>
internal sealed class StatsNames
{
    private readonly HashSet<string> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Listener> _listeners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Listener> _httpPrefixes = new(StringComparer.Ordinal);
    private readonly EnvoySnapshot _snapshot;

    private StatsNames(EnvoySnapshot snapshot, IReadOnlyList<ClusterStatus> clusterStatuses)
    {
        _snapshot = snapshot;
        foreach (var cluster in snapshot.Clusters)
        {
            _clusters.Add(cluster.Name);
        }

        foreach (var status in clusterStatuses)
        {
            _clusters.Add(status.Name);
        }

        foreach (var listener in snapshot.Listeners)
        {
            _listeners.TryAdd(listener.Name, listener);
            foreach (var address in listener.AdditionalAddresses.Prepend(listener.Address).OfType<SocketAddress>())
            {
                _listeners.TryAdd(StatName(address), listener);
            }
        }

        foreach (var site in Walk.Hcms(snapshot).Where(h => !string.IsNullOrEmpty(h.Hcm.StatPrefix)))
        {
            _httpPrefixes.TryAdd(site.Hcm.StatPrefix!, site.Listener);
        }
    }

    /// <summary>The names a rule sees: the resources of the config dump and the clusters of <c>/clusters</c>.</summary>
    public static StatsNames For(RuleContext context) => new(context.Snapshot, context.ClusterStatuses);

    /// <summary>How Envoy names a listener address in stats: <c>0.0.0.0_15006</c>.</summary>
    public static string StatName(SocketAddress address) =>
        address.Port is { } port ? address.Address + "_" + port.ToString(CultureInfo.InvariantCulture) : address.Address;

    public static string Prefix(StatScope scope) => scope switch
    {
        StatScope.Cluster => "cluster.",
        StatScope.Listener => "listener.",
        _ => "http.",
    };

    /// <summary>Resolves a flat stat name by the longest known owner name; null when no known name fits.</summary>
    public ResolvedStat? Resolve(Stat stat)
    {
        foreach (var scope in Enum.GetValues<StatScope>())
        {
            var prefix = Prefix(scope);
            if (!stat.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = stat.Name.AsSpan(prefix.Length);
            for (var dot = rest.LastIndexOf('.'); dot > 0; dot = rest[..dot].LastIndexOf('.'))
            {
                var owner = rest[..dot].ToString();
                if (IsKnown(scope, owner))
                {
                    return new ResolvedStat(stat, scope, owner, rest[(dot + 1)..].ToString(), true, ResourceOf(scope, owner));
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Every stat of <paramref name="scope"/> that is exactly <paramref name="suffix"/> (given with dots, e.g.
    /// <c>ssl.connection_error</c>) for some owner, in flat or Prometheus form, in stable order.
    /// </summary>
    public IEnumerable<ResolvedStat> Find(StatsSnapshot stats, StatScope scope, string suffix)
    {
        var prefix = Prefix(scope);
        var tail = "." + suffix;
        var promName = "envoy_" + prefix.TrimEnd('.') + "_" + suffix.Replace('.', '_');
        // Envoy's own tag names first; some exporters drop the envoy_ prefix.
        string[] promTags = scope switch
        {
            StatScope.Cluster => ["envoy_cluster_name", "cluster_name"],
            StatScope.Listener => ["envoy_listener_address", "listener_address"],
            _ => ["envoy_http_conn_manager_prefix", "http_conn_manager_prefix"],
        };
        foreach (var stat in stats.Stats)
        {
            string? owner = null;
            if (stat.Name.Length > prefix.Length + tail.Length && stat.Name.StartsWith(prefix, StringComparison.Ordinal) && stat.Name.EndsWith(tail, StringComparison.Ordinal))
            {
                owner = stat.Name[prefix.Length..^tail.Length];
                if (!IsKnown(scope, owner) && Resolve(stat) is { } other && !string.Equals(other.Suffix, suffix, StringComparison.Ordinal))
                {
                    // A known, longer owner leaves a different stat: this is not the stat asked for.
                    continue;
                }
            }
            else if (string.Equals(stat.Name, promName, StringComparison.Ordinal))
            {
                owner = promTags.Select(t => stat.Tags.GetValueOrDefault(t)).FirstOrDefault(v => !string.IsNullOrEmpty(v));
            }

            if (owner is not null)
            {
                yield return new ResolvedStat(stat, scope, owner, suffix, IsKnown(scope, owner), ResourceOf(scope, owner));
            }
        }
    }

    private bool IsKnown(StatScope scope, string owner) => scope switch
    {
        StatScope.Cluster => _clusters.Contains(owner),
        StatScope.Listener => _listeners.ContainsKey(owner),
        _ => _httpPrefixes.ContainsKey(owner),
    };

    private ResourceRef? ResourceOf(StatScope scope, string owner) => scope switch
    {
        StatScope.Cluster when _clusters.Contains(owner) => new ResourceRef(ResourceKind.Cluster, owner),
        StatScope.Listener when _listeners.TryGetValue(owner, out var l) => l.Meta.Ref,
        StatScope.Http when _httpPrefixes.TryGetValue(owner, out var l) => l.Meta.Ref,
        _ => null,
    };

    /// <summary>The config pointer of a resolved stat's resource (the cluster or listener), else the root.</summary>
    public JsonPointer PointerOf(ResolvedStat stat) => stat.Resource switch
    {
        { Kind: ResourceKind.Cluster } r when _snapshot.FindCluster(r.Name) is { } c => c.Meta.Pointer,
        { Kind: ResourceKind.Listener } r when _snapshot.FindListener(r.Name) is { } l => l.Meta.Pointer,
        _ => JsonPointer.Root,
    };
}

/// <summary>A counter's value as a finding states it: over the interval between two samples when there are two, else since start.</summary>
internal readonly record struct CounterReading(double Count, string Period, bool OverInterval)
{
    /// <summary>
    /// The counter <paramref name="stat"/> of <paramref name="current"/>: the increase since <see cref="StatsSnapshot.Earlier"/>
    /// when that sample exists and holds the same stat (a decrease means the counters were reset, and the current value
    /// counts), else its value since start.
    /// </summary>
    public static CounterReading Of(StatsSnapshot current, Stat stat)
    {
        var now = stat.Value ?? 0;
        if (current.Earlier is not { } earlier)
        {
            return new CounterReading(now, "since the proxy started", false);
        }

        if (earlier.Get(stat.Name)?.Value is not { } before)
        {
            // Not in the earlier sample (another stats format, or a resource created since): only the total is known.
            return new CounterReading(now, "since the proxy started", false);
        }

        var delta = now >= before ? now - before : now;
        if (current.CapturedAt is { } t1 && earlier.CapturedAt is { } t0 && t1 > t0)
        {
            var seconds = (t1 - t0).TotalSeconds;
            return new CounterReading(delta, $"in the {Walk.Duration(t1 - t0)} between the two stats samples ({Walk.Number(delta / seconds)}/s)", true);
        }

        return new CounterReading(delta, "between the two stats samples", true);
    }
}

/// <summary>The shape shared by the per-cluster / per-listener stats rules.</summary>
internal static class StatsRule
{
    public static Applicability AppliesTo(RuleContext context) =>
        Applicability.When(context.Stats is { Stats.Count: > 0 }, "the stats sample is empty");

    /// <summary>
    /// Counters among <paramref name="wanted"/> (scope and stat) above zero for the reading period, grouped per owner: one
    /// finding per owner naming every counter that moved.
    /// </summary>
    public static IEnumerable<(ResolvedStat First, IReadOnlyList<(ResolvedStat Stat, CounterReading Reading, string Meaning)> Hits)> Counters(
        RuleContext context, StatsNames names, params (StatScope Scope, string Suffix, string Meaning)[] wanted)
    {
        var stats = context.Stats!;
        var hits = new List<(ResolvedStat Stat, CounterReading Reading, string Meaning)>();
        foreach (var (scope, suffix, meaning) in wanted)
        {
            foreach (var resolved in names.Find(stats, scope, suffix))
            {
                var reading = CounterReading.Of(stats, resolved.Stat);
                if (reading.Count > 0)
                {
                    hits.Add((resolved, reading, meaning));
                }
            }
        }

        return hits
            .GroupBy(h => (h.Stat.Scope, h.Stat.Owner))
            .OrderBy(g => g.Key.Scope).ThenBy(g => g.Key.Owner, StringComparer.Ordinal)
            .Select(g => (g.First().Stat, (IReadOnlyList<(ResolvedStat, CounterReading, string)>)g.OrderBy(h => h.Stat.Stat.Name, StringComparer.Ordinal).ToList()));
    }

    /// <summary><c>upstream_cx_connect_fail 12, upstream_cx_connect_timeout 3</c>.</summary>
    public static string List(IEnumerable<(ResolvedStat Stat, CounterReading Reading, string Meaning)> hits) =>
        string.Join(", ", hits.Select(h => $"{h.Stat.Suffix} {Walk.Number(h.Reading.Count)}"));

    /// <summary>A finding at the owner's resource when the config knows it, else at the stat.</summary>
    public static Finding Report(RuleContext context, StatsNames names, RuleDescriptor descriptor, ResolvedStat first,
        IReadOnlyDictionary<string, string> args, IEnumerable<(string Name, string Value)> evidence)
    {
        var stats = context.Stats!;
        var all = evidence.ToList();
        if (first.Resource is { Kind: ResourceKind.Cluster } r && context.Snapshot.FindCluster(r.Name) is { } cluster)
        {
            all.AddRange(Walk.Istio(cluster.Name, cluster.Metadata));
        }
        else if (first.Scope == StatScope.Cluster)
        {
            all.AddRange(Walk.Istio(first.Owner));
        }

        if (!first.KnownOwner)
        {
            all.Add(("owner_in_config", "no"));
        }

        return first.Resource is { } resource
            ? context.Report(descriptor, resource, names.PointerOf(first), args, Args.Of([.. all]))
            : context.Report(descriptor, new ResourceRef(ResourceKind.Stats, first.Stat.Name), JsonPointer.Root, args, Args.Of([.. all]), stats.Source);
    }
}
