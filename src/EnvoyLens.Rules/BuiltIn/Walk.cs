using System.Globalization;
using EnvoyLens.Certs.Spiffe;
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

    /// <summary>
    /// The proxy's trust domain and where it was read: the SPIFFE id of its certificate in <c>/certs</c>, else Istio's
    /// MESH_ID node metadata; null when neither is there.
    /// </summary>
    public static (string Domain, string From)? OwnTrustDomain(RuleContext context)
    {
        var fromCerts = context.AdminCertificates.SelectMany(s => s.CertChain).SelectMany(c => c.SubjectAltNames)
            .Select(SpiffeId.TrustDomainOf).FirstOrDefault(d => d is not null);
        if (fromCerts is not null)
        {
            return (fromCerts, "the SPIFFE id of the proxy's certificate (/certs)");
        }

        return context.Node?.MetadataString("MESH_ID") is { Length: > 0 } mesh ? (mesh, "node metadata MESH_ID") : null;
    }

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

    /// <summary>Hosts known for a cluster (from every source), grouped by address; a host is usable when every source agrees.</summary>
    public static IReadOnlyList<(string Address, bool Usable, string Problem)> Hosts(RuleContext context, Cluster cluster) =>
        context.EndpointsOf(cluster)
            .GroupBy(e => e.Address.ToString(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.All(e => e.IsUsable), string.Join("+", g.Where(e => !e.IsUsable).Select(e => e.Problem).Distinct(StringComparer.Ordinal))))
            .ToList();

    /// <summary>Istio's <c>filter_metadata.istio.config</c> (the DestinationRule / VirtualService that made a resource), as evidence.</summary>
    public static (string Name, string Value)[] IstioConfig(MetadataMap metadata) =>
        metadata.GetString("istio", "config") is { } config ? [("istio_config", config)] : [];

    /// <summary>
    /// What a person must know to act on a finding about an Istio cluster: service FQDN, port, subset and direction
    /// parsed from <c>outbound|9080|v1|reviews.default.svc.cluster.local</c>, plus the Istio resource that made it
    /// (<see cref="IstioConfig"/>) as <c>istio_resource</c> (<c>DestinationRule default/reviews</c>). Empty for other names.
    /// </summary>
    public static (string Name, string Value)[] Istio(string clusterName, MetadataMap? metadata = null)
    {
        var items = new List<(string Name, string Value)>();
        if (IstioClusterName.TryParse(clusterName) is { } n)
        {
            items.Add(("direction", n.Direction));
            if (n.Port is { } port)
            {
                items.Add(("service_port", port.ToString(CultureInfo.InvariantCulture)));
            }

            if (n.Subset.Length > 0)
            {
                items.Add(("subset", n.Subset));
            }

            if (n.Fqdn.Length > 0)
            {
                items.Add(("service_fqdn", n.Fqdn));
            }
        }

        if (metadata is not null)
        {
            items.AddRange(IstioConfig(metadata));
            if (metadata.GetString("istio", "config") is { } config && IstioResource(config) is { } resource)
            {
                items.Add(("istio_resource", resource));
            }
        }

        return [.. items];
    }

    /// <summary>
    /// <c>/apis/networking.istio.io/v1alpha3/namespaces/default/destination-rule/reviews</c> as
    /// <c>DestinationRule default/reviews</c>; null for another shape.
    /// </summary>
    public static string? IstioResource(string config)
    {
        var parts = config.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var ns = Array.IndexOf(parts, "namespaces");
        if (ns < 0 || parts.Length != ns + 4)
        {
            return null;
        }

        var kind = string.Concat(parts[ns + 2].Split('-', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        return $"{kind} {parts[ns + 1]}/{parts[ns + 3]}";
    }

    /// <summary>Clusters and the upstream TLS contexts they use: their own and those of transport socket matches (Istio's <c>tlsMode-istio</c>).</summary>
    public static IEnumerable<(Cluster Cluster, TlsContext Tls, string Via)> UpstreamTls(EnvoySnapshot snapshot)
    {
        foreach (var cluster in snapshot.Clusters)
        {
            if (cluster.Tls is { } tls)
            {
                yield return (cluster, tls, "transport_socket");
            }

            foreach (var match in cluster.TransportSocketMatches.Where(m => m.Tls is not null && !ReferenceEquals(m.Tls, cluster.Tls)))
            {
                yield return (cluster, match.Tls!, "transport_socket_matches " + match.Name);
            }
        }
    }

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

    /// <summary>A configured duration as Envoy writes it: <c>0.25s</c>, <c>10s</c>.</summary>
    public static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Stats whose flat name (or Prometheus name) ends with <paramref name="suffix"/> (given with dots), value above zero.</summary>
    public static IEnumerable<Stat> NonZero(StatsSnapshot stats, string suffix)
    {
        var prom = suffix.Replace('.', '_');
        return stats.Stats.Where(s => s.Value > 0 && (s.Name.EndsWith(suffix, StringComparison.Ordinal) || s.Name.EndsWith(prom, StringComparison.Ordinal)));
    }

    public static Finding StatsFinding(RuleContext context, RuleDescriptor descriptor, Stat stat, IReadOnlyDictionary<string, string> args) =>
        context.Report(descriptor, new ResourceRef(ResourceKind.Stats, stat.Name), JsonPointer.Root, args, source: context.Stats?.Source);
}
