using EnvoyLens.Model;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Views;

/// <summary>
/// <c>istioctl proxy-config endpoints</c>, combining what the capture holds: hosts from <c>/clusters</c>
/// (with their outlier check), then EDS and inline endpoints of the config dump that <c>/clusters</c> did not
/// list. Sorted by address, port, cluster like istioctl. OUTLIER CHECK is "-" when the source does not say.
/// </summary>
public static class EndpointsView
{
    public static readonly IReadOnlyList<Column> Columns =
    [
        new("ENDPOINT", "endpoint"),
        new("STATUS", "status"),
        new("OUTLIER CHECK", "outlierCheck"),
        new("LOCALITY", "locality"),
        new("CLUSTER", "cluster"),
    ];

    public static Table Build(EnvoySnapshot snapshot, EndpointFilter? filter = null)
    {
        filter ??= new EndpointFilter();
        var seen = new HashSet<(string Cluster, string Endpoint)>();
        var endpoints = new List<Endpoint>();

        void Add(IEnumerable<Endpoint> source)
        {
            foreach (var e in source)
            {
                if (seen.Add((e.ClusterName, Describe(e.Address))))
                {
                    endpoints.Add(e);
                }
            }
        }

        Add(snapshot.ClusterStatuses.SelectMany(s => s.Hosts.Select(h => h.ClusterName == s.Name ? h : h with { ClusterName = s.Name })));
        Add(snapshot.LoadAssignments.Where(a => a.Meta.State == ResourceState.Active)
            .SelectMany(a => a.Endpoints.Select(e => e.ClusterName == a.ClusterName ? e : e with { ClusterName = a.ClusterName })));
        Add(snapshot.Clusters.Where(c => c.Meta.State == ResourceState.Active).SelectMany(c => c.InlineEndpoints));

        var rows = endpoints
            .Where(e => Matches(filter, e))
            .OrderBy(e => e.Address.Address, StringComparer.Ordinal)
            .ThenBy(e => e.Address.Port ?? 0)
            .ThenBy(e => e.ClusterName, StringComparer.Ordinal)
            .Select(e => (IReadOnlyList<Cell>)
            [
                Cell.Of(Describe(e.Address)),
                Cell.Of(e.Health),
                Cell.Of(e.FailedOutlierCheck switch { true => "FAILED", false => "OK", null => null }, "-"),
                Cell.Of(e.Locality?.ToString()),
                Cell.Of(e.ClusterName),
            ])
            .ToList();
        return new Table("endpoints", "Endpoints", Columns, rows);
    }

    /// <summary><c>address:port</c>, or the address alone (a pipe path, say) when there is no port.</summary>
    internal static string Describe(SocketAddress address) =>
        address.Port is { } p && p != 0 ? address.ToString() : address.Address;

    private static bool Matches(EndpointFilter f, Endpoint e)
    {
        if (!string.IsNullOrEmpty(f.Address) && !string.Equals(e.Address.Address, f.Address, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (f.Port is { } port && port != 0 && (e.Address.Port ?? 0) != port)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(f.Cluster) && !string.Equals(e.ClusterName, f.Cluster, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return string.IsNullOrEmpty(f.Status) || string.Equals(e.Health, f.Status, StringComparison.OrdinalIgnoreCase);
    }
}
