using EnvoyLens.Model;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Views;

/// <summary>
/// <c>istioctl proxy-config clusters</c>: active clusters (dynamic and static), sorted by FQDN, subset, port,
/// direction. Names that are not Istio subset keys show the whole name and "-" for port, subset, direction.
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

    public static Table Build(EnvoySnapshot snapshot, ClusterFilter? filter = null)
    {
        filter ??= new ClusterFilter();
        var rows = snapshot.Clusters
            .Where(c => c.Meta.State == ResourceState.Active && Matches(filter, c.Name))
            .Order(Comparer<Cluster>.Create((a, b) => IstioNames.CompareSubsetKeys(a.Name, b.Name)))
            .Select(Row)
            .ToList();
        return new Table("clusters", "Clusters", Columns, rows);
    }

    private static IReadOnlyList<Cell> Row(Cluster cluster)
    {
        var key = IstioNames.ParseSubsetKey(cluster.Name);
        var rule = Cell.Of(IstioNames.DescribeManagement(cluster.Metadata));
        return key.IsIstio
            ? [Cell.Of(key.Fqdn), Cell.Number(key.Port), Cell.Of(key.Subset, "-"), Cell.Of(key.Direction, "-"), Cell.Of(cluster.Type), rule]
            : [Cell.Of(cluster.Name), Cell.Number(null), Cell.Of(null, "-"), Cell.Of(null, "-"), Cell.Of(cluster.Type), rule];
    }

    internal static bool Matches(ClusterFilter f, string name)
    {
        if (!string.IsNullOrEmpty(f.Fqdn) && !name.Contains(f.Fqdn, StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(f.Direction) && !name.Contains(f.Direction, StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(f.Subset) && !name.Contains(f.Subset, StringComparison.Ordinal))
        {
            return false;
        }

        return f.Port is not { } port || port == 0 ||
               name.Contains("|" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|", StringComparison.Ordinal);
    }
}
