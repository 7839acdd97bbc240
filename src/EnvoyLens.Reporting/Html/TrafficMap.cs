using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Reporting.Html;

/// <summary>
/// The traffic map of the HTML report: listeners → filter chains → route configs → virtual hosts → clusters →
/// endpoints as an inline SVG, one column per layer, laid out left to right. Within a column nodes are ordered by the
/// mean position of their parents (one sweep, ties by name), which keeps the edges of this strictly layered shape
/// short. Nodes are coloured by the worst finding about them; weighted-cluster edges carry their share. A proxy with
/// more than <see cref="CollapseAbove"/> nodes is drawn collapsed to the nodes with findings and the paths leading to
/// them, with a button that shows the whole map (drawn only up to <see cref="FullLimit"/> nodes).
/// </summary>
public static class TrafficMap
{
    /// <summary>Above this many nodes the map opens collapsed.</summary>
    public const int CollapseAbove = 250;

    /// <summary>Above this many nodes the whole map is not drawn at all (the file must stay small).</summary>
    public const int FullLimit = 4000;

    /// <summary>The collapsed map is drawn from at most this many nodes with findings (clusters, then the worst, first).</summary>
    public const int MaxSeeds = 150;

    /// <summary>Endpoints of each cluster the collapsed map keeps.</summary>
    public const int CollapsedEndpoints = 2;

    /// <summary>Endpoints drawn per cluster; the rest are one "N more" node.</summary>
    public const int EndpointsPerCluster = 6;

    private const int ColumnWidth = 250;
    private const int NodeWidth = 210;
    private const int NodeHeight = 18;
    private const int RowHeight = 24;
    private const int Top = 28;

    private static readonly string[] Layers = ["listener", "filter-chain", "route-config", "virtual-host", "cluster", "endpoint"];
    private static readonly string[] LayerTitles = ["Listeners", "Filter chains", "Route configs", "Virtual hosts", "Clusters", "Endpoints"];

    internal sealed record Node(string Id, int Layer, string Label, string Title)
    {
        public Severity? Worst { get; set; }
    }

    internal sealed record Edge(string From, string To, string? Label);

    internal sealed record Graph(List<Node> Nodes, List<Edge> Edges);

    public static void Write(HtmlWriter w, EnvoySnapshot snapshot, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(findings);
        var graph = Build(snapshot, findings);
        var clustersWithFindings = graph.Nodes.Count(n => n.Layer == 4 && n.Worst is not null);
        w.Open("section", ("id", "traffic-map")).Element("h2", "Traffic map").Line();
        w.Open("p", ("class", "legend"));
        foreach (var (label, severity) in new (string, Severity?)[] { ("no finding", null), ("info", Severity.Info), ("warning", Severity.Warning), ("error", Severity.Error) })
        {
            w.Open("span").Open("i", ("style", "background:" + HtmlPage.SeverityColour(severity))).Close("i").Text(label).Close("span");
        }

        w.Close("p");
        if (graph.Nodes.Count <= CollapseAbove)
        {
            w.Element("p", string.Create(CultureInfo.InvariantCulture, $"{graph.Nodes.Count} nodes; {clustersWithFindings} clusters with findings."), ("class", "note"));
            Svg(w, graph, "traffic-map-full", hidden: false);
        }
        else
        {
            var collapsed = Collapse(graph);
            var withFindings = graph.Nodes.Count(n => n.Worst is not null && n.Layer < 5);
            var drawn = Math.Min(withFindings, MaxSeeds);
            w.Element("p", string.Create(CultureInfo.InvariantCulture,
                $"{graph.Nodes.Count} nodes, {clustersWithFindings} clusters with findings: collapsed to the {collapsed.Nodes.Count} nodes on the paths to " +
                $"{(drawn == withFindings ? "the" : "the first")} {drawn} of the {withFindings} resources with findings (clusters and the worst first), " +
                $"with at most {CollapsedEndpoints} endpoints each."), ("class", "note"));
            if (graph.Nodes.Count <= FullLimit)
            {
                w.Open("button", ("type", "button"), ("id", "expand-map"), ("data-toggle", "traffic-map-full-box"), ("data-collapse", "traffic-map-collapsed-box"),
                    ("data-more", "Show the whole map"), ("data-less", "Show only what has findings")).Text("Show the whole map").Close("button");
            }
            else
            {
                w.Element("p", string.Create(CultureInfo.InvariantCulture,
                    $"The whole map ({graph.Nodes.Count} nodes) is too large to draw here; 'envoylens config all' lists every resource."), ("class", "note"));
            }

            Svg(w, collapsed, "traffic-map-collapsed", hidden: false);
            if (graph.Nodes.Count <= FullLimit)
            {
                Svg(w, graph, "traffic-map-full", hidden: true);
            }
        }

        w.Close("section").Line();
    }

    /// <summary>The graph of a snapshot with each node's worst finding.</summary>
    internal static Graph Build(EnvoySnapshot snapshot, IReadOnlyList<Finding> findings)
    {
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        var edges = new List<Edge>();
        var edgeKeys = new HashSet<(string, string)>();
        var worst = new Dictionary<ResourceRef, List<Finding>>();
        foreach (var f in findings)
        {
            if (f.Resource is { } r)
            {
                if (!worst.TryGetValue(r, out var list))
                {
                    worst[r] = list = [];
                }

                list.Add(f);
            }
        }

        Severity? WorstOf(ResourceKind kind, string name, string? pointerPrefix = null) =>
            worst.TryGetValue(new ResourceRef(kind, name), out var list)
                ? list.Where(f => pointerPrefix is null || f.Pointer.Value.StartsWith(pointerPrefix, StringComparison.Ordinal)).Select(f => (Severity?)f.Severity).Max()
                : null;

        Node Add(string id, int layer, string label, string title, Severity? severity)
        {
            if (!nodes.TryGetValue(id, out var node))
            {
                nodes[id] = node = new Node(id, layer, label.Length == 0 ? "(unnamed)" : label, title);
            }

            node.Worst = Max(node.Worst, severity);
            return node;
        }

        void Link(string from, string to, string? label)
        {
            if (edgeKeys.Add((from, to)))
            {
                edges.Add(new Edge(from, to, label));
            }
        }

        string ClusterId(string name)
        {
            var id = "cluster:" + name;
            Add(id, 4, name, "cluster " + name + (snapshot.FindCluster(name) is null ? " (not in the capture)" : ""), null);
            return id;
        }

        void Weighted(string from, IReadOnlyList<WeightedCluster> weighted)
        {
            var total = weighted.Sum(c => (double)c.Weight);
            foreach (var c in weighted)
            {
                var share = total > 0 ? HtmlWriter.Number(Math.Round(c.Weight / total * 100, 1)) + "%" : "0%";
                Link(from, ClusterId(c.Name), share);
            }
        }

        void RouteConfig(string from, RouteConfig rc, string id)
        {
            Add(id, 2, rc.Name.Length == 0 ? "inline route config" : rc.Name, "route config " + rc.Name, WorstOf(ResourceKind.RouteConfig, rc.Name));
            Link(from, id, null);
            foreach (var vh in rc.VirtualHosts)
            {
                var vid = "vh:" + id + "/" + vh.Name;
                Add(vid, 3, vh.Name, $"virtual host {vh.Name} of {rc.Name}: {string.Join(", ", vh.Domains)}", WorstOf(ResourceKind.RouteConfig, rc.Name, vh.Pointer.Value));
                Link(id, vid, null);
                foreach (var route in vh.Routes)
                {
                    if (route.Cluster is { Length: > 0 } cluster)
                    {
                        Link(vid, ClusterId(cluster), null);
                    }

                    if (route.WeightedClusters.Count > 0)
                    {
                        Weighted(vid, route.WeightedClusters);
                    }
                }
            }
        }

        foreach (var listener in snapshot.Listeners.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            var lid = "listener:" + listener.Name;
            Add(lid, 0, listener.Name, "listener " + listener.Name, WorstOf(ResourceKind.Listener, listener.Name));
            var index = 0;
            foreach (var chain in listener.AllFilterChains)
            {
                var cid = "chain:" + listener.Name + "/" + index.ToString(CultureInfo.InvariantCulture);
                var label = chain.Name is { Length: > 0 } n ? n : chain.IsDefault ? "default chain" : "chain " + index.ToString(CultureInfo.InvariantCulture);
                Add(cid, 1, label, $"filter chain {label} of {listener.Name}", WorstOf(ResourceKind.Listener, listener.Name, chain.Pointer.Value));
                Link(lid, cid, null);
                foreach (var filter in chain.Filters)
                {
                    if (filter.HttpConnectionManager is { } hcm)
                    {
                        if (hcm.RdsRouteConfigName is { Length: > 0 } rds)
                        {
                            if (snapshot.FindRouteConfig(rds) is { } rc)
                            {
                                RouteConfig(cid, rc, "rc:" + rds);
                            }
                            else
                            {
                                Add("rc:" + rds, 2, rds, "route config " + rds + " (not in the capture)", WorstOf(ResourceKind.RouteConfig, rds));
                                Link(cid, "rc:" + rds, null);
                            }
                        }
                        else if (hcm.InlineRouteConfig is { } inline)
                        {
                            RouteConfig(cid, inline, "rc:" + cid + "/inline");
                        }
                    }

                    if (filter.TcpProxy is { } tcp)
                    {
                        if (tcp.Cluster is { Length: > 0 } cluster)
                        {
                            Link(cid, ClusterId(cluster), null);
                        }

                        Weighted(cid, tcp.WeightedClusters);
                    }
                }

                index++;
            }
        }

        foreach (var rc in snapshot.RouteConfigs.Where(rc => !nodes.ContainsKey("rc:" + rc.Name)).OrderBy(rc => rc.Name, StringComparer.Ordinal))
        {
            Add("rc:" + rc.Name, 2, rc.Name, "route config " + rc.Name + " (no listener uses it)", WorstOf(ResourceKind.RouteConfig, rc.Name));
            foreach (var vh in rc.VirtualHosts)
            {
                var vid = "vh:rc:" + rc.Name + "/" + vh.Name;
                Add(vid, 3, vh.Name, $"virtual host {vh.Name} of {rc.Name}", WorstOf(ResourceKind.RouteConfig, rc.Name, vh.Pointer.Value));
                Link("rc:" + rc.Name, vid, null);
                foreach (var route in vh.Routes)
                {
                    if (route.Cluster is { Length: > 0 } cluster)
                    {
                        Link(vid, ClusterId(cluster), null);
                    }

                    Weighted(vid, route.WeightedClusters);
                }
            }
        }

        foreach (var cluster in snapshot.Clusters.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var id = ClusterId(cluster.Name);
            nodes[id].Worst = Max(nodes[id].Worst, Max(WorstOf(ResourceKind.Cluster, cluster.Name), WorstOf(ResourceKind.Endpoint, cluster.EndpointKey)));
            var endpoints = snapshot.EndpointsOf(cluster).ToList();
            foreach (var e in endpoints.Take(EndpointsPerCluster))
            {
                var address = e.Address.ToString() ?? "";
                var eid = "endpoint:" + cluster.Name + "/" + address;
                Add(eid, 5, address, $"endpoint {address} of {cluster.Name}: {e.Health}", e.IsUsable ? null : Severity.Warning);
                Link(id, eid, null);
            }

            if (endpoints.Count > EndpointsPerCluster)
            {
                var more = (endpoints.Count - EndpointsPerCluster).ToString(CultureInfo.InvariantCulture);
                Add("endpoint:" + cluster.Name + "/more", 5, more + " more endpoints", $"{more} more endpoints of {cluster.Name}", null);
                Link(id, "endpoint:" + cluster.Name + "/more", null);
            }
        }

        return new Graph([.. nodes.Values], edges);
    }

    /// <summary>
    /// The nodes with findings (at most <see cref="MaxSeeds"/>, clusters and the worst first), everything upstream of
    /// them, and up to <see cref="CollapsedEndpoints"/> endpoints of each cluster kept.
    /// </summary>
    internal static Graph Collapse(Graph graph)
    {
        var parents = graph.Edges.ToLookup(e => e.To, e => e.From, StringComparer.Ordinal);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        var seeds = graph.Nodes.Where(n => n.Worst is not null && n.Layer < 5)
            .OrderByDescending(n => n.Worst)
            .ThenBy(n => n.Layer == 4 ? 0 : 1)
            .ThenBy(n => n.Layer)
            .ThenBy(n => n.Id, StringComparer.Ordinal)
            .Take(MaxSeeds);
        var stack = new Stack<string>(seeds.Select(n => n.Id));
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (keep.Add(id))
            {
                foreach (var p in parents[id])
                {
                    stack.Push(p);
                }
            }
        }

        var byId = graph.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        foreach (var children in graph.Edges.Where(e => keep.Contains(e.From) && byId[e.From].Layer == 4 && byId[e.To].Layer == 5).GroupBy(e => e.From).ToList())
        {
            foreach (var e in children.Take(CollapsedEndpoints))
            {
                keep.Add(e.To);
            }
        }

        return new Graph(graph.Nodes.Where(n => keep.Contains(n.Id)).ToList(), graph.Edges.Where(e => keep.Contains(e.From) && keep.Contains(e.To)).ToList());
    }

    /// <summary>Each node's row in its column: parents' mean row first (one left-to-right sweep), then name.</summary>
    internal static Dictionary<string, (int Layer, int Row)> Layout(Graph graph)
    {
        var parents = graph.Edges.ToLookup(e => e.To, e => e.From, StringComparer.Ordinal);
        var position = new Dictionary<string, (int Layer, int Row)>(StringComparer.Ordinal);
        foreach (var layer in graph.Nodes.GroupBy(n => n.Layer).OrderBy(g => g.Key))
        {
            var ordered = layer
                .Select(n =>
                {
                    var rows = parents[n.Id].Where(position.ContainsKey).Select(p => (double)position[p].Row).ToList();
                    return (Node: n, Key: rows.Count > 0 ? rows.Average() : double.MaxValue);
                })
                .OrderBy(x => x.Key)
                .ThenBy(x => x.Node.Label, StringComparer.Ordinal)
                .ThenBy(x => x.Node.Id, StringComparer.Ordinal)
                .ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                position[ordered[i].Node.Id] = (layer.Key, i);
            }
        }

        return position;
    }

    private static void Svg(HtmlWriter w, Graph graph, string id, bool hidden)
    {
        var position = Layout(graph);
        var rows = position.Count == 0 ? 0 : position.Values.Max(p => p.Row) + 1;
        var width = (ColumnWidth * Layers.Length) + 10;
        var height = Top + (rows * RowHeight) + 10;
        w.Open("div", ("class", "svgbox"), ("id", id + "-box"), ("hidden", hidden ? "hidden" : null));
        w.Open("svg", ("id", id), ("class", "traffic-map"), ("xmlns", "http://www.w3.org/2000/svg"), ("width", N(width)), ("height", N(height)),
            ("viewBox", $"0 0 {N(width)} {N(height)}"), ("role", "img"), ("aria-label", "Traffic map"));
        for (var i = 0; i < Layers.Length; i++)
        {
            w.Element("text", LayerTitles[i], ("x", N(5 + (i * ColumnWidth))), ("y", "16"), ("font-weight", "600"), ("fill", "#57606a"));
        }

        w.Open("g", ("class", "edges"), ("fill", "none"), ("stroke", "#8c959f"));
        foreach (var e in graph.Edges)
        {
            var (fl, fr) = position[e.From];
            var (tl, tr) = position[e.To];
            var x1 = 5 + (fl * ColumnWidth) + NodeWidth;
            var y1 = Top + (fr * RowHeight) + (NodeHeight / 2.0);
            var x2 = 5 + (tl * ColumnWidth);
            var y2 = Top + (tr * RowHeight) + (NodeHeight / 2.0);
            var mx = (x1 + x2) / 2.0;
            w.Void("path", ("d", $"M{N(x1)} {N(y1)}C{N(mx)} {N(y1)} {N(mx)} {N(y2)} {N(x2)} {N(y2)}"));
            if (e.Label is { } label)
            {
                w.Element("text", label, ("class", "share"), ("x", N(x2 - 40)), ("y", N(y2 - 3)), ("fill", "#1f2328"), ("stroke", "none"));
            }
        }

        w.Close("g").Line();
        foreach (var n in graph.Nodes.OrderBy(n => n.Layer).ThenBy(n => position[n.Id].Row))
        {
            var (layer, row) = position[n.Id];
            var x = 5 + (layer * ColumnWidth);
            var y = Top + (row * RowHeight);
            var level = n.Worst is { } s ? s.ToString().ToLowerInvariant() : null;
            w.Open("g", ("class", "node " + Layers[layer] + (level is null ? "" : " has-finding")), ("data-kind", Layers[layer]), ("data-name", n.Label), ("data-severity", level));
            w.Element("title", n.Title + (level is null ? "" : "; worst finding: " + level));
            w.Void("rect", ("x", N(x)), ("y", N(y)), ("width", N(NodeWidth)), ("height", N(NodeHeight)), ("rx", "3"),
                ("fill", level is null ? "#eef6e8" : HtmlPage.SeverityColour(n.Worst)), ("stroke", HtmlPage.SeverityColour(n.Worst)));
            w.Element("text", CertificateTimeline.Shorten(n.Label, 34), ("x", N(x + 4)), ("y", N(y + 13)), ("fill", level is null ? "#1f2328" : "#ffffff"));
            w.Close("g").Line();
        }

        w.Close("svg").Close("div").Line();
    }

    private static Severity? Max(Severity? a, Severity? b) => a is null ? b : b is null ? a : (Severity)Math.Max((int)a, (int)b);

    private static string N(double v) => HtmlWriter.Number(v);
}
