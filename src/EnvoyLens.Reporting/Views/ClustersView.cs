using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Views;

/// <summary>
/// <c>istioctl proxy-config clusters</c>: active clusters (dynamic and static), sorted by FQDN, subset, port,
/// direction. Names that are not Istio subset keys show the whole name and "-" for port, subset, direction.
/// Wide adds the upstream TLS: SNI, SAN matchers and SDS secrets (of the cluster's transport socket, else of its
/// first transport socket match with TLS, Istio's <c>tlsMode-istio</c>). In <c>config all</c> a NAME column
/// (<c>cluster/NAME</c>) comes first, and names that are not subset keys also read <c>cluster/NAME</c>, as in istioctl.
/// </summary>
public static class ClustersView
{
    public static readonly IReadOnlyList<Column> Columns =
    [
        new("SERVICE FQDN", "serviceFqdn"),
        new("PORT", "port"),
        new("SUBSET", "subset"),
        new("DIRECTION", "direction"),
        new("TYPE", "type"),
        new("DESTINATION RULE", "destinationRule"),
    ];

    internal static readonly Column NameColumn = new("NAME", "name");

    internal static readonly IReadOnlyList<Column> WideColumns =
    [
        new("SNI", "sni"),
        new("SAN", "san"),
        new("SECRET", "secret"),
    ];

    public static Table Build(EnvoySnapshot snapshot, ClusterFilter? filter = null) => Build(snapshot, filter, new ViewOptions());

    internal static Table Build(EnvoySnapshot snapshot, ClusterFilter? filter, ViewOptions options)
    {
        filter ??= new ClusterFilter();
        var clusters = snapshot.Clusters
            .Where(c => c.Meta.State == ResourceState.Active && Matches(filter, c.Name))
            .Order(Comparer<Cluster>.Create((a, b) => IstioNames.CompareSubsetKeys(a.Name, b.Name)))
            .ToList();
        var columns = (options.Names ? [NameColumn] : Array.Empty<Column>()).Concat(Columns)
            .Concat(options.Wide ? WideColumns : []).ToList();
        var rows = clusters.Select(c => Row(snapshot, c, options)).ToList();
        return new Table("clusters", "Clusters", columns, rows)
        {
            Sources = clusters.Select(c => (RowSource?)new RowSource(ResourceKind.Cluster, c.Name, c.Meta.Pointer)).ToList(),
            EmptyReason = rows.Count > 0 ? null : Empty.Reason(snapshot, "clusters", ConfigSection.Clusters, snapshot.Clusters.Count > 0),
        };
    }

    private static IReadOnlyList<Cell> Row(EnvoySnapshot snapshot, Cluster cluster, ViewOptions options)
    {
        var key = IstioNames.ParseSubsetKey(cluster.Name);
        var rule = Cell.Of(IstioNames.DescribeManagement(cluster.Metadata));
        var type = Cell.Of(InvalidValues.Show(snapshot, cluster.Meta.Pointer.Append("type"), cluster.Type));
        var named = options.Names && cluster.Name.Length > 0 ? "cluster/" + cluster.Name : cluster.Name;
        var cells = new List<Cell>();
        if (options.Names)
        {
            cells.Add(Cell.Of(named));
        }

        cells.AddRange(key.IsIstio
            ? [Cell.Of(key.Fqdn), Cell.Number(key.Port), Cell.Of(key.Subset, "-"), Cell.Of(key.Direction, "-"), type, rule]
            : [Cell.Of(named), Cell.Number(null), Cell.Of(null, "-"), Cell.Of(null, "-"), type, rule]);
        if (options.Wide)
        {
            var tls = cluster.Tls ?? cluster.TransportSocketMatches.Select(m => m.Tls).FirstOrDefault(t => t is not null);
            var sans = tls?.SubjectAltNameMatchers.Select(m => m.Value).ToList() ?? [];
            var secrets = (tls?.CertificateSdsNames ?? []).Append(tls?.ValidationSdsName)
                .Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).Distinct(StringComparer.Ordinal).ToList();
            cells.Add(Cell.Of(tls?.Sni, "-"));
            cells.Add(sans.Count == 0 ? Cell.Of(null, "-") : Cell.List(string.Join(",", sans), sans));
            cells.Add(secrets.Count == 0 ? Cell.Of(null, "-") : Cell.List(string.Join(",", secrets), secrets));
        }

        return cells;
    }

    /// <summary>
    /// istioctl's filters on the cluster name: FQDN and subset as substrings, port as <c>|PORT|</c>; the direction
    /// (inbound, outbound, inbound-vip; any case) is compared with the name's direction part exactly.
    /// </summary>
    internal static bool Matches(ClusterFilter f, string name)
    {
        if (!string.IsNullOrEmpty(f.Fqdn) && !name.Contains(f.Fqdn, StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(f.Direction))
        {
            var key = IstioNames.ParseSubsetKey(name);
            if (!key.IsIstio || !string.Equals(key.Direction, f.Direction, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        if (!string.IsNullOrEmpty(f.Subset) && !name.Contains(f.Subset, StringComparison.Ordinal))
        {
            return false;
        }

        return f.Port is not { } port || port == 0 ||
               name.Contains("|" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|", StringComparison.Ordinal);
    }
}
