using EnvoyLens.Core;
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

    public static Table Build(EnvoySnapshot snapshot, EndpointFilter? filter = null) => Build(snapshot, filter, new ViewOptions());

    /// <summary>
    /// With <see cref="ViewOptions.Names"/> (<c>config all</c>) the first column is istioctl's NAME, <c>endpoint/ADDRESS</c>,
    /// and load assignments are ordered by cluster (FQDN, subset, port, direction) as istioctl's full summary orders them.
    /// </summary>
    internal static Table Build(EnvoySnapshot snapshot, EndpointFilter? filter, ViewOptions options)
    {
        filter ??= new EndpointFilter();
        var seen = new HashSet<(string Cluster, string Endpoint)>();
        var endpoints = new List<(Endpoint Endpoint, RowSource Source)>();

        void Add(IEnumerable<(Endpoint Endpoint, RowSource Source)> source)
        {
            foreach (var e in source)
            {
                if (seen.Add((e.Endpoint.ClusterName, Describe(e.Endpoint.Address))))
                {
                    endpoints.Add(e);
                }
            }
        }

        RowSource Eds(string cluster) =>
            snapshot.FindLoadAssignment(cluster) is { } a ? new RowSource(ResourceKind.Endpoint, a.ClusterName, a.Meta.Pointer)
            : snapshot.FindCluster(cluster) is { } c ? new RowSource(ResourceKind.Cluster, c.Name, c.Meta.Pointer)
            : new RowSource(ResourceKind.Endpoint, cluster);

        Add(snapshot.ClusterStatuses.SelectMany(s => s.Hosts.Select(h => (h.ClusterName == s.Name ? h : h with { ClusterName = s.Name }, Eds(s.Name)))));
        Add(snapshot.LoadAssignments.Where(a => a.Meta.State == ResourceState.Active)
            .SelectMany(a => a.Endpoints.Select(e => (e.ClusterName == a.ClusterName ? e : e with { ClusterName = a.ClusterName },
                new RowSource(ResourceKind.Endpoint, a.ClusterName, a.Meta.Pointer)))));
        Add(snapshot.Clusters.Where(c => c.Meta.State == ResourceState.Active)
            .SelectMany(c => c.InlineEndpoints.Select(e => (e, new RowSource(ResourceKind.Cluster, c.Name, c.Meta.Pointer)))));

        var matching = endpoints.Where(e => Matches(filter, e.Endpoint));
        var ordered = options.Names
            ? matching.Order(Comparer<(Endpoint Endpoint, RowSource Source)>.Create((a, b) => IstioNames.CompareSubsetKeys(a.Endpoint.ClusterName, b.Endpoint.ClusterName)))
            : matching.OrderBy(e => e.Endpoint.Address.Address, StringComparer.Ordinal)
                .ThenBy(e => e.Endpoint.Address.Port ?? 0)
                .ThenBy(e => e.Endpoint.ClusterName, StringComparer.Ordinal);
        var selected = ordered.ToList();
        var rows = selected
            .Select(x => x.Endpoint)
            .Select(e => (IReadOnlyList<Cell>)
            [
                Cell.Of(options.Names ? "endpoint/" + Describe(e.Address) : Describe(e.Address)),
                Cell.Of(InvalidValues.Show(snapshot, e.Pointer.Append("health_status"), e.Health)),
                Cell.Of(e.FailedOutlierCheck switch { true => "FAILED", false => "OK", null => null }, "-"),
                Cell.Of(e.Locality?.ToString()),
                Cell.Of(e.ClusterName),
            ])
            .ToList();
        var columns = options.Names ? [new Column("NAME", "name"), .. Columns.Skip(1)] : Columns;
        var any = endpoints.Count > 0;
        return new Table("endpoints", "Endpoints", columns, rows)
        {
            Sources = selected.Select(x => (RowSource?)x.Source).ToList(),
            EmptyReason = rows.Count > 0 ? null : Empty.Reason(snapshot, "endpoints", ConfigSection.Endpoints, any),
        };
    }

    /// <summary>
    /// <c>address:port</c>, or the address alone when there is no port (or <paramref name="withPort"/> is false); a
    /// pipe as <c>unix://PATH</c>, an internal address as <c>envoy://LISTENER/ENDPOINT_ID</c>, as istioctl prints them.
    /// </summary>
    internal static string Describe(SocketAddress address, bool withPort = true) => address.Kind switch
    {
        "pipe" => "unix://" + address.Address,
        "internal" => "envoy://" + address.Address,
        _ => withPort && address.Port is { } p && p != 0 ? address.ToString() : address.Address,
    };

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
