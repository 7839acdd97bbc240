using System.Globalization;
using System.Text.Json.Nodes;
using EnvoyLens.Core;

namespace EnvoyLens.Diff;

/// <summary>Sentences for the differences people look for first: traffic shares, outlier detection, RBAC, endpoints, timeouts.</summary>
internal static class Summaries
{
    public static IEnumerable<string> Resources(IReadOnlyList<Change> changes) => [];

    public static IEnumerable<string> For((ResourceKind Kind, string Name) key, List<FieldChange> found, JsonObject before, JsonObject after)
    {
        var (kind, name) = key;
        var label = Label(kind);
        var sentences = new List<string>();
        foreach (var f in found)
        {
            var tokens = JsonPointer.Parse(f.Path).Tokens;
            var last = tokens.Count > 0 ? tokens[^1] : string.Empty;
            if (kind == ResourceKind.Cluster && f.Path == "/outlier_detection" && f.Type is ChangeType.Added or ChangeType.Removed)
            {
                sentences.Add($"cluster `{name}` {(f.Type == ChangeType.Added ? "gained" : "lost")} its outlier detection");
            }
            else if (last.EndsWith("timeout", StringComparison.Ordinal) && f.Old is not JsonObject && f.New is not JsonObject)
            {
                sentences.Add($"{label} `{name}` {Where(kind, tokens)}{last} changed from {SnapshotDiffer.Show(f.Old)} to {SnapshotDiffer.Show(f.New)}");
            }
        }

        if (kind == ResourceKind.Listener)
        {
            sentences.AddRange(Rbac(name, found));
        }

        if (kind == ResourceKind.Endpoint)
        {
            var added = found.Where(f => f.Type == ChangeType.Added && IsEndpoint(f.Path)).Select(f => LastToken(f.Path)).ToList();
            var removed = found.Where(f => f.Type == ChangeType.Removed && IsEndpoint(f.Path)).Select(f => LastToken(f.Path)).ToList();
            if (added.Count > 0 || removed.Count > 0)
            {
                var parts = new List<string>();
                if (added.Count > 0)
                {
                    parts.Add($"gained {Plural(added.Count, "endpoint")} ({string.Join(", ", added)})");
                }

                if (removed.Count > 0)
                {
                    parts.Add($"lost {Plural(removed.Count, "endpoint")} ({string.Join(", ", removed)})");
                }

                sentences.Add($"cluster `{name}` {string.Join(" and ", parts)}");
            }
        }

        if (kind == ResourceKind.RouteConfig)
        {
            sentences.AddRange(Shares(before, after));
        }

        return sentences;
    }

    private static string Where(ResourceKind kind, IReadOnlyList<string> tokens)
    {
        if (kind == ResourceKind.RouteConfig && tokens.Count >= 4 && tokens[0] == "virtual_hosts" && tokens[2] == "routes")
        {
            return $"route `{tokens[3]}` ";
        }

        return string.Empty;
    }

    private static IEnumerable<string> Rbac(string listener, List<FieldChange> found)
    {
        var said = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in found)
        {
            var tokens = JsonPointer.Parse(f.Path).Tokens;
            for (var i = 0; i + 1 < tokens.Count; i++)
            {
                if (tokens[i] is not ("filters" or "http_filters") || !tokens[i + 1].Contains("rbac", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var filterPath = string.Join('/', tokens.Take(i + 2));
                if (i + 2 == tokens.Count && f.Type is ChangeType.Added or ChangeType.Removed)
                {
                    var filter = f.New ?? f.Old;
                    var action = Identity.Text(filter?["typed_config"]?["rules"]?["action"]) ?? (filter?["typed_config"]?["rules"] is null ? null : "ALLOW");
                    var policy = action is null ? "an RBAC policy" : $"an RBAC {action} policy";
                    if (said.Add(filterPath))
                    {
                        yield return $"listener `{listener}` {(f.Type == ChangeType.Added ? "gained" : "lost")} {policy}";
                    }
                }
                else if (said.Add(filterPath))
                {
                    yield return $"listener `{listener}` changed its RBAC policy ({tokens[i + 1]})";
                }

                break;
            }
        }
    }

    private static bool IsEndpoint(string path)
    {
        var tokens = JsonPointer.Parse(path).Tokens;
        return tokens.Count == 4 && tokens[0] == "endpoints" && tokens[2] == "lb_endpoints";
    }

    private static string LastToken(string path) => JsonPointer.Parse(path).Tokens[^1];

    private static IEnumerable<string> Shares(JsonObject before, JsonObject after)
    {
        var old = WeightedRoutes(before);
        foreach (var (route, shares) in WeightedRoutes(after).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var was = old.GetValueOrDefault(route) ?? [];
            foreach (var (cluster, share) in shares.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var before0 = was.GetValueOrDefault(cluster);
                if (Math.Abs(before0 - share) < 0.0001)
                {
                    continue;
                }

                yield return $"route `{route}` now sends {Percent(share)} to {Target(cluster)} (was {Percent(before0)})";
            }

            foreach (var (cluster, share) in was.Where(w => !shares.ContainsKey(w.Key) && w.Value > 0).OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                yield return $"route `{route}` no longer sends traffic to {Target(cluster)} (was {Percent(share)})";
            }
        }
    }

    /// <summary>Per route (by name, else its virtual host and match), cluster → share of traffic (0..1) for weighted routes.</summary>
    private static Dictionary<string, Dictionary<string, double>> WeightedRoutes(JsonObject config)
    {
        var result = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var vhost in (config["virtual_hosts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var routes = vhost["routes"] as JsonArray ?? [];
            var keys = Identity.Keys("routes", routes);
            for (var i = 0; i < routes.Count; i++)
            {
                var clusters = routes[i]?["route"]?["weighted_clusters"]?["clusters"] as JsonArray;
                if (clusters is null)
                {
                    continue;
                }

                var weights = clusters.OfType<JsonObject>()
                    .Select(c => (Name: Identity.Text(c["name"]) ?? "?", Weight: Number(c["weight"])))
                    .ToList();
                var total = weights.Sum(w => w.Weight);
                if (total <= 0)
                {
                    continue;
                }

                var routeName = Identity.Text(routes[i]?["name"]) ?? (Identity.Text(vhost["name"]) + " " + (keys?[i] ?? i.ToString(CultureInfo.InvariantCulture)));
                var shares = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var (cluster, weight) in weights)
                {
                    shares[cluster] = shares.GetValueOrDefault(cluster) + (weight / total);
                }

                result.TryAdd(routeName, shares);
            }
        }

        return result;
    }

    private static double Number(JsonNode? node) =>
        node is JsonValue && double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;

    private static string Target(string cluster)
    {
        // Istio names subsets in the cluster name: outbound|9080|v3|reviews.default.svc.cluster.local.
        var parts = cluster.Split('|');
        return parts.Length == 4 && parts[2].Length > 0 ? $"subset {parts[2]} of {parts[3]}" : $"`{cluster}`";
    }

    private static string Percent(double share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Plural(int n, string word) => n.ToString(CultureInfo.InvariantCulture) + " " + word + (n == 1 ? string.Empty : "s");

    internal static string Label(ResourceKind kind) => kind switch
    {
        ResourceKind.RouteConfig => "route config",
        ResourceKind.VirtualHost => "virtual host",
        ResourceKind.ScopedRoute => "scoped route",
        ResourceKind.Endpoint => "endpoints of",
        ResourceKind.Ecds => "ECDS filter",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
