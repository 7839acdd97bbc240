using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn;

/// <summary>An HCM with the listener and filter chain it sits in.</summary>
internal sealed record HcmSite(Listener Listener, FilterChain Chain, NetworkFilter Filter, HttpConnectionManager Hcm);

/// <summary>A route configuration: an RDS resource (owner is null) or one inline in a listener's HCM.</summary>
internal sealed record RouteConfigSite(RouteConfig Config, Listener? Owner)
{
    /// <summary>The resource a finding names: the route configuration, or the listener that holds it inline.</summary>
    public ResourceRef Resource => Owner?.Meta.Ref ?? Config.Meta.Ref;
}

/// <summary>Shared walks over the model used by several rules.</summary>
internal static class Walk
{
    public static IEnumerable<HcmSite> Hcms(EnvoySnapshot snapshot) =>
        from listener in snapshot.Listeners
        from chain in listener.AllFilterChains
        from filter in chain.Filters
        where filter.HttpConnectionManager is not null
        select new HcmSite(listener, chain, filter, filter.HttpConnectionManager!);

    public static IEnumerable<RouteConfigSite> RouteConfigs(EnvoySnapshot snapshot) =>
        snapshot.RouteConfigs.Select(r => new RouteConfigSite(r, null))
            .Concat(Hcms(snapshot).Where(h => h.Hcm.InlineRouteConfig is not null).Select(h => new RouteConfigSite(h.Hcm.InlineRouteConfig!, h.Listener)));

    /// <summary>True when the config dump has a section whose type URL ends with <paramref name="section"/> (e.g. RoutesConfigDump).</summary>
    public static bool HasSection(EnvoySnapshot snapshot, string section) =>
        snapshot.ConfigDump?.Sections.Any(s => s.TypeUrl.EndsWith(section, StringComparison.Ordinal)) == true;

    /// <summary>A route as a person would name it: its name, else its match (<c>prefix /api</c>).</summary>
    public static string Describe(Route route) =>
        !string.IsNullOrEmpty(route.Name) ? route.Name : Describe(route.Match);

    public static string Describe(RouteMatch match) => match.Kind switch
    {
        PathMatchKind.Prefix => $"prefix '{match.Value}'",
        PathMatchKind.Path => $"path '{match.Value}'",
        PathMatchKind.SafeRegex => $"regex '{match.Value}'",
        PathMatchKind.PathSeparatedPrefix => $"path_separated_prefix '{match.Value}'",
        _ => match.Kind.ToString(),
    };

    /// <summary>A filter chain's name, else its index in the listener (<c>#2</c>, or <c>default</c>).</summary>
    public static string Describe(Listener listener, FilterChain chain)
    {
        if (!string.IsNullOrEmpty(chain.Name))
        {
            return chain.Name;
        }

        if (chain.IsDefault)
        {
            return "default";
        }

        var index = listener.FilterChains.ToList().IndexOf(chain);
        return "#" + index.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Envoy sends traffic to a host unless it is known unhealthy: HEALTHY, DEGRADED and UNKNOWN (EDS's default when the
    /// control plane says nothing) are usable, as long as neither outlier detection nor active health checks failed it.
    /// </summary>
    public static bool IsUsable(Endpoint endpoint) =>
        endpoint.Health is "HEALTHY" or "UNKNOWN" or "DEGRADED" && endpoint.FailedOutlierCheck != true && endpoint.FailedActiveHealthCheck != true;

    /// <summary>Why a host is not usable, in a few words.</summary>
    public static string Problem(Endpoint endpoint) =>
        endpoint.FailedOutlierCheck == true ? "outlier-ejected"
        : endpoint.FailedActiveHealthCheck == true ? "failed active health check"
        : endpoint.Health;

    /// <summary>Hosts known for a cluster (from every source), grouped by address; a host is usable when every source agrees.</summary>
    public static IReadOnlyList<(string Address, bool Usable, string Problem)> Hosts(EnvoySnapshot snapshot, Cluster cluster) =>
        snapshot.EndpointsOf(cluster)
            .GroupBy(e => e.Address.ToString(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.All(IsUsable), string.Join("+", g.Where(e => !IsUsable(e)).Select(Problem).Distinct(StringComparer.Ordinal))))
            .ToList();

    /// <summary>Istio's <c>filter_metadata.istio.config</c> (the DestinationRule / VirtualService that made a resource), as evidence.</summary>
    public static (string Name, string Value)[] IstioConfig(MetadataMap metadata) =>
        metadata.GetString("istio", "config") is { } config ? [("istio_config", config)] : [];

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m")
            : span.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m{span.Seconds:00}s")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds}s");
    }

    public static string Instant(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Stats whose flat name (or Prometheus name) ends with <paramref name="suffix"/> (given with dots), value above zero.</summary>
    public static IEnumerable<Stat> NonZero(StatsSnapshot stats, string suffix)
    {
        var prom = suffix.Replace('.', '_');
        return stats.Stats.Where(s => s.Value > 0 && (s.Name.EndsWith(suffix, StringComparison.Ordinal) || s.Name.EndsWith(prom, StringComparison.Ordinal)));
    }

    public static Finding StatsFinding(RuleContext context, RuleDescriptor descriptor, Stat stat, IReadOnlyDictionary<string, string> args) =>
        context.Report(descriptor, new ResourceRef(ResourceKind.Stats, stat.Name), JsonPointer.Root, args, source: context.Snapshot.Stats?.Source);
}
