using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Views;

/// <summary>
/// <c>istioctl proxy-config listeners</c> (its default, verbose table, single-space padding): active listeners
/// sorted by port, address, type; one row per filter chain (the default chain included), chains of a listener
/// sorted by destination, descending.
/// </summary>
public static class ListenersView
{
    internal const string HttpConnectionManagerName = "envoy.filters.network.http_connection_manager";
    internal const string TcpProxyName = "envoy.filters.network.tcp_proxy";
    internal const string BlackHoleCluster = "BlackHoleCluster";

    public static readonly IReadOnlyList<Column> Columns =
    [
        new("ADDRESSES", "addresses"),
        new("PORT", "port"),
        new("MATCH", "match"),
        new("DESTINATION", "destination"),
    ];

    private static readonly (string Name, string[] Protocols)[] KnownAlpnSets =
    [
        ("HTTP TLS", ["http/1.0", "http/1.1", "h2c", "istio-http/1.0", "istio-http/1.1", "istio-h2"]),
        ("Istio HTTP Plain", ["istio", "istio-http/1.0", "istio-http/1.1", "istio-h2"]),
        ("TCP TLS", ["istio-peer-exchange", "istio"]),
        ("HTTP", ["http/1.0", "http/1.1", "h2c"]),
    ];

    internal static readonly Column NameColumn = new("NAME", "name");

    public static Table Build(EnvoySnapshot snapshot, ListenerFilter? filter = null) => Build(snapshot, filter, new ViewOptions());

    /// <summary>
    /// With <see cref="ViewOptions.Names"/> (<c>config all</c>) a NAME column <c>listener/NAME</c> comes first, as in
    /// istioctl; wide (<c>-o wide</c>) shows the listener's name there instead.
    /// </summary>
    internal static Table Build(EnvoySnapshot snapshot, ListenerFilter? filter, ViewOptions options)
    {
        filter ??= new ListenerFilter();
        var listeners = snapshot.Listeners
            .Where(l => l.Meta.State == ResourceState.Active && Matches(filter, l))
            .OrderBy(Port)
            .ThenBy(Address, StringComparer.Ordinal)
            .ThenBy(ListenerType, StringComparer.Ordinal)
            .ToList();

        var named = options.Names || options.Wide;
        var rows = new List<IReadOnlyList<Cell>>();
        var sources = new List<RowSource?>();
        foreach (var listener in listeners)
        {
            var addresses = new[] { listener.Address }.Concat(listener.AdditionalAddresses)
                .Where(a => a is not null)
                .Select(a => EndpointsView.Describe(a!, withPort: false))
                .ToList();
            var addressCell = Cell.List(string.Join(",", addresses), addresses);
            var port = Cell.Number(Port(listener));
            var name = Cell.Of(options.Names ? "listener/" + listener.Name : listener.Name, options.Names ? "" : "-");
            var source = new RowSource(ResourceKind.Listener, listener.Name, listener.Meta.Pointer);
            foreach (var (match, destination) in listener.AllFilterChains
                         .Select(fc => (Match: DescribeChainMatch(fc.Match), Destination: DescribeDestination(fc.Filters)))
                         .OrderByDescending(x => x.Destination, StringComparer.Ordinal))
            {
                rows.Add(named ? [name, addressCell, port, Cell.Of(match), Cell.Of(destination)] : [addressCell, port, Cell.Of(match), Cell.Of(destination)]);
                sources.Add(source);
            }
        }

        var columns = named ? [NameColumn, .. Columns] : Columns;
        return new Table("listeners", "Listeners", columns, rows, Padding: 1)
        {
            Sources = sources,
            EmptyReason = rows.Count > 0 ? null : Empty.Reason(snapshot, "listeners", ConfigSection.Listeners, snapshot.Listeners.Count > 0),
        };
    }

    internal static int Port(Listener l) => l.Address?.Port ?? 0;

    internal static string Address(Listener l) => l.Address?.Address ?? "";

    /// <summary>HTTP, TCP, HTTP+TCP or UNKNOWN from the network filters of the listener's (non-default) filter chains.</summary>
    internal static string ListenerType(Listener l)
    {
        int http = 0, tcp = 0;
        foreach (var filter in l.FilterChains.SelectMany(fc => fc.Filters))
        {
            if (IsHttp(filter))
            {
                http++;
            }
            else if (IsTcp(filter) && !IsBlackHole(filter))
            {
                tcp++;
            }
        }

        return http > 0 ? (tcp == 0 ? "HTTP" : "HTTP+TCP") : tcp > 0 ? "TCP" : "UNKNOWN";
    }

    private static bool Matches(ListenerFilter f, Listener l)
    {
        if (!string.IsNullOrEmpty(f.Address) && !string.Equals(Address(l), f.Address, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (f.Port is { } port && port != 0 && Port(l) != port)
        {
            return false;
        }

        return string.IsNullOrEmpty(f.Type) || string.Equals(ListenerType(l), f.Type, StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsHttp(NetworkFilter f) => f.HttpConnectionManager is not null || f.Name == HttpConnectionManagerName;

    private static bool IsTcp(NetworkFilter f) => f.TcpProxy is not null || f.Name == TcpProxyName;

    private static bool IsBlackHole(NetworkFilter f) =>
        f.TcpProxy is { } t && (t.Cluster == BlackHoleCluster || t.WeightedClusters.Any(w => w.Name == BlackHoleCluster));

    internal static string DescribeChainMatch(FilterChainMatch match)
    {
        var parts = new List<string>();
        if (match.ServerNames.Count > 0)
        {
            parts.Add("SNI: " + string.Join(",", match.ServerNames));
        }

        if (!string.IsNullOrEmpty(match.TransportProtocol))
        {
            parts.Add("Trans: " + match.TransportProtocol);
        }

        if (match.ApplicationProtocols.Count > 0)
        {
            var known = KnownAlpnSets.FirstOrDefault(k => k.Protocols.SequenceEqual(match.ApplicationProtocols, StringComparer.Ordinal));
            parts.Add("App: " + (known.Name ?? string.Join(",", match.ApplicationProtocols)));
        }

        var port = match.DestinationPort is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "";
        if (match.PrefixRanges.Count > 0)
        {
            parts.Add("Addr: " + string.Join(",", match.PrefixRanges.Select(r => r.Contains('/', StringComparison.Ordinal) ? r : r + "/0")) + port);
        }
        else if (port.Length > 0)
        {
            parts.Add("Addr: *" + port);
        }

        return parts.Count == 0 ? "ALL" : string.Join("; ", parts);
    }

    internal static string DescribeDestination(IReadOnlyList<NetworkFilter> filters)
    {
        foreach (var filter in filters)
        {
            if (IsHttp(filter))
            {
                var hcm = filter.HttpConnectionManager;
                if (hcm?.InlineRouteConfig is { } inline)
                {
                    return RouteText.DescribeInlineRouteConfig(inline);
                }

                return string.IsNullOrEmpty(hcm?.RdsRouteConfigName) ? "HTTP" : "Route: " + hcm.RdsRouteConfigName;
            }

            if (IsTcp(filter) && !IsBlackHole(filter))
            {
                var tcp = filter.TcpProxy;
                var cluster = tcp?.Cluster;
                if (string.IsNullOrEmpty(cluster) && tcp is { WeightedClusters.Count: > 0 })
                {
                    cluster = string.Join(",", tcp.WeightedClusters.Select(w => w.Name));
                }

                cluster ??= "";
                return cluster.Contains("Cluster", StringComparison.Ordinal) ? cluster : "Cluster: " + cluster;
            }
        }

        return "Non-HTTP/Non-TCP";
    }
}
