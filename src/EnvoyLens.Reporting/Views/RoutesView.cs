using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Views;

/// <summary>
/// <c>istioctl proxy-config routes</c> (its default, verbose table): one row per route of every virtual host
/// of every route configuration, routes to <c>PassthroughCluster</c> left out, an empty virtual host shown as
/// <c>/*</c> → <c>404</c>. Route configurations come dynamic first, then static, each in dump order; numeric
/// names between two non-numeric ones are sorted numerically (what istioctl's sort does).
/// </summary>
public static class RoutesView
{
    public static readonly IReadOnlyList<Column> Columns =
    [
        new("NAME", "name"),
        new("VHOST NAME", "vhostName"),
        new("DOMAINS", "domains"),
        new("MATCH", "match"),
        new("VIRTUAL SERVICE", "virtualService"),
    ];

    internal static readonly IReadOnlyList<Column> WideColumns =
    [
        new("CLUSTER", "cluster"),
        new("ACTION", "action"),
    ];

    public static Table Build(EnvoySnapshot snapshot, RouteFilter? filter = null) => Build(snapshot, filter, new ViewOptions());

    /// <summary>
    /// With <see cref="ViewOptions.Names"/> (<c>config all</c>) NAME reads <c>route/NAME</c>, as in istioctl; wide adds
    /// where each route goes: CLUSTER (the cluster, <c>NAME:WEIGHT</c> of weighted clusters, <c>header:H</c>, the
    /// cluster specifier plugin, the redirect target) and ACTION (Route, Redirect, DirectResponse STATUS, ...).
    /// </summary>
    internal static Table Build(EnvoySnapshot snapshot, RouteFilter? filter, ViewOptions options)
    {
        filter ??= new RouteFilter();
        var rows = new List<IReadOnlyList<Cell>>();
        var sources = new List<RowSource?>();
        foreach (var config in Order(snapshot.RouteConfigs))
        {
            if (!string.IsNullOrEmpty(filter.Name) && !string.Equals(filter.Name, config.Name, StringComparison.Ordinal))
            {
                continue;
            }

            var name = Cell.Of(options.Names ? "route/" + config.Name : config.Name);
            var source = new RowSource(ResourceKind.RouteConfig, config.Name, config.Meta.Pointer);
            foreach (var vhost in config.VirtualHosts)
            {
                var domains = Cell.List(RouteText.DescribeDomains(vhost.Domains), vhost.Domains);
                foreach (var route in vhost.Routes)
                {
                    if (route.ActionKind == RouteActionKind.Cluster && route.Cluster == "PassthroughCluster")
                    {
                        continue;
                    }

                    IReadOnlyList<Cell> row =
                    [
                        name, Cell.Of(vhost.Name), domains, Cell.Of(RouteText.DescribeMatch(route.Match)),
                        Cell.Of(IstioNames.DescribeManagement(route.Metadata)),
                    ];
                    rows.Add(options.Wide ? [.. row, Cell.Of(RouteText.DescribeTarget(route), "-"), Cell.Of(RouteText.DescribeAction(route))] : row);
                    sources.Add(source);
                }

                if (vhost.Routes.Count == 0)
                {
                    IReadOnlyList<Cell> row = [name, Cell.Of(vhost.Name), domains, Cell.Of("/*"), Cell.Of("404")];
                    rows.Add(options.Wide ? [.. row, Cell.Of(null, "-"), Cell.Of("DirectResponse 404")] : row);
                    sources.Add(source);
                }
            }
        }

        var columns = options.Wide ? [.. Columns, .. WideColumns] : Columns;
        return new Table("routes", "Routes", columns, rows)
        {
            Sources = sources,
            EmptyReason = rows.Count > 0 ? null : Empty.Reason(snapshot, "routes", ConfigSection.Routes, snapshot.RouteConfigs.Count > 0),
        };
    }

    /// <summary>
    /// Dynamic first, then static; then runs of numerically named configurations between non-numeric ones are
    /// sorted by number (stable). This is the order istioctl's comparator gives (it treats a non-numeric name as
    /// equal to everything, so such names stay in place and split the runs).
    /// </summary>
    internal static IReadOnlyList<RouteConfig> Order(IEnumerable<RouteConfig> configs)
    {
        var list = configs.Where(c => c.Meta.Origin == ResourceOrigin.Dynamic)
            .Concat(configs.Where(c => c.Meta.Origin == ResourceOrigin.Static))
            .ToList();
        var result = new List<RouteConfig>(list.Count);
        var run = new List<(long Number, RouteConfig Config)>();
        foreach (var config in list)
        {
            if (long.TryParse(config.Name, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                run.Add((n, config));
                continue;
            }

            result.AddRange(run.OrderBy(r => r.Number).Select(r => r.Config));
            run.Clear();
            result.Add(config);
        }

        result.AddRange(run.OrderBy(r => r.Number).Select(r => r.Config));
        return result;
    }
}
