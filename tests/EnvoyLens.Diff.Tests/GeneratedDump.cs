using System.Globalization;
using System.Text.Json.Nodes;
using EnvoyLens.Core;

namespace EnvoyLens.Diff.Tests;

/// <summary>
/// A small random config dump (clusters, listeners with filter chains, route configs with weighted routes, endpoints)
/// built from a seed, plus the two transformations the properties need: a shuffle that reorders every list and every
/// object while spelling proto3 defaults out, and a single mutation whose place is known.
/// </summary>
internal static class GeneratedDump
{
    public static JsonObject Build(int seed)
    {
        var rng = new Random(seed);
        var clusters = new JsonArray();
        var endpoints = new JsonArray();
        var n = rng.Next(1, 6);
        for (var i = 0; i < n; i++)
        {
            var cluster = new JsonObject
            {
                ["@type"] = "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                ["name"] = $"outbound|{8000 + i}||svc{i}.ns.svc.cluster.local",
                ["type"] = "EDS",
                ["connect_timeout"] = $"{rng.Next(1, 10)}s",
                ["lb_policy"] = rng.Next(2) == 0 ? "ROUND_ROBIN" : "LEAST_REQUEST",
                ["eds_cluster_config"] = new JsonObject { ["eds_config"] = new JsonObject { ["ads"] = new JsonObject() } },
            };
            if (rng.Next(2) == 0)
            {
                cluster["outlier_detection"] = new JsonObject { ["consecutive_5xx"] = rng.Next(1, 9), ["interval"] = "10s" };
            }

            clusters.Add(new JsonObject { ["version_info"] = "v" + rng.Next(), ["cluster"] = cluster, ["last_updated"] = "2026-11-20T10:00:00Z" });
            var lb = new JsonArray();
            for (var e = 0; e < rng.Next(1, 4); e++)
            {
                lb.Add(new JsonObject
                {
                    ["endpoint"] = new JsonObject { ["address"] = new JsonObject { ["socket_address"] = new JsonObject { ["address"] = $"10.{i}.0.{e + 1}", ["port_value"] = 8000 + i } } },
                    ["health_status"] = "HEALTHY",
                });
            }

            endpoints.Add(new JsonObject
            {
                ["endpoint_config"] = new JsonObject
                {
                    ["@type"] = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
                    ["cluster_name"] = $"outbound|{8000 + i}||svc{i}.ns.svc.cluster.local",
                    ["endpoints"] = new JsonArray(new JsonObject { ["locality"] = new JsonObject { ["region"] = "r1" }, ["lb_endpoints"] = lb }),
                },
            });
        }

        var listeners = new JsonArray();
        for (var l = 0; l < rng.Next(1, 4); l++)
        {
            var chains = new JsonArray();
            for (var c = 0; c < rng.Next(1, 4); c++)
            {
                chains.Add(new JsonObject
                {
                    ["name"] = $"chain{c}",
                    ["filter_chain_match"] = new JsonObject { ["destination_port"] = 9000 + c },
                    ["filters"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "envoy.filters.network.tcp_proxy",
                        ["typed_config"] = new JsonObject
                        {
                            ["@type"] = "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                            ["stat_prefix"] = $"tcp{c}",
                            ["cluster"] = $"outbound|{8000 + rng.Next(n)}||svc.ns.svc.cluster.local",
                        },
                    }),
                });
            }

            listeners.Add(new JsonObject
            {
                ["name"] = $"0.0.0.0_{15000 + l}",
                ["active_state"] = new JsonObject
                {
                    ["version_info"] = "x",
                    ["listener"] = new JsonObject
                    {
                        ["@type"] = "type.googleapis.com/envoy.config.listener.v3.Listener",
                        ["name"] = $"0.0.0.0_{15000 + l}",
                        ["address"] = new JsonObject { ["socket_address"] = new JsonObject { ["address"] = "0.0.0.0", ["port_value"] = 15000 + l } },
                        ["filter_chains"] = chains,
                    },
                    ["last_updated"] = "2026-11-20T10:00:00Z",
                },
            });
        }

        var vhosts = new JsonArray();
        for (var v = 0; v < rng.Next(1, 4); v++)
        {
            var routes = new JsonArray();
            for (var r = 0; r < rng.Next(1, 4); r++)
            {
                routes.Add(new JsonObject
                {
                    ["name"] = $"route{r}",
                    ["match"] = new JsonObject { ["prefix"] = $"/p{r}" },
                    ["route"] = new JsonObject
                    {
                        ["timeout"] = $"{rng.Next(1, 30)}s",
                        ["weighted_clusters"] = new JsonObject
                        {
                            ["clusters"] = new JsonArray(
                                new JsonObject { ["name"] = "outbound|9080|v1|reviews.ns.svc.cluster.local", ["weight"] = rng.Next(1, 100) },
                                new JsonObject { ["name"] = "outbound|9080|v2|reviews.ns.svc.cluster.local", ["weight"] = rng.Next(1, 100) }),
                        },
                    },
                });
            }

            var domains = new JsonArray();
            for (var d = 0; d < rng.Next(1, 4); d++)
            {
                domains.Add($"host{v}-{d}.example.com");
            }

            vhosts.Add(new JsonObject { ["name"] = $"vh{v}", ["domains"] = domains, ["routes"] = routes });
        }

        return new JsonObject
        {
            ["configs"] = new JsonArray(
                new JsonObject { ["@type"] = "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", ["version_info"] = "1", ["dynamic_active_clusters"] = clusters },
                new JsonObject { ["@type"] = "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", ["dynamic_listeners"] = listeners },
                new JsonObject
                {
                    ["@type"] = "type.googleapis.com/envoy.admin.v3.RoutesConfigDump",
                    ["dynamic_route_configs"] = new JsonArray(new JsonObject
                    {
                        ["route_config"] = new JsonObject
                        {
                            ["@type"] = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
                            ["name"] = "9080",
                            ["virtual_hosts"] = vhosts,
                        },
                    }),
                },
                new JsonObject { ["@type"] = "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump", ["dynamic_endpoint_configs"] = endpoints }),
        };
    }

    /// <summary>Reorders every array and every object's keys, and spells proto3 defaults out on clusters, listeners and virtual hosts.</summary>
    public static JsonObject Shuffle(JsonObject dump, int seed)
    {
        var rng = new Random(seed);
        var copy = (JsonObject)Reorder(dump, rng)!;
        foreach (var node in Descendants(copy).OfType<JsonObject>().ToList())
        {
            var type = node["@type"]?.GetValue<string>();
            if (type?.EndsWith(".Cluster", StringComparison.Ordinal) == true)
            {
                node["respect_dns_ttl"] = false;
                node["alt_stat_name"] = string.Empty;
                node["ignore_health_on_host_removal"] = false;
            }
            else if (type?.EndsWith(".Listener", StringComparison.Ordinal) == true)
            {
                node["traffic_direction"] = "UNSPECIFIED";
                node["stat_prefix"] = string.Empty;
            }
            else if (node.ContainsKey("domains"))
            {
                node["require_tls"] = "NONE";
                node["typed_per_filter_config"] = new JsonObject();
                node["request_headers_to_add"] = new JsonArray();
            }
        }

        return copy;
    }

    private static JsonNode? Reorder(JsonNode? node, Random rng)
    {
        switch (node)
        {
            case JsonObject o:
                var keys = o.Select(p => p.Key).ToList();
                Shuffle(keys, rng);
                return new JsonObject(keys.Select(k => KeyValuePair.Create(k, Reorder(o[k], rng))).ToList());
            case JsonArray a:
                var items = a.Select(i => Reorder(i, rng)).ToList();
                Shuffle(items, rng);
                return new JsonArray(items.ToArray());
            default:
                return node?.DeepClone();
        }
    }

    private static void Shuffle<T>(List<T> items, Random rng)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var d in Descendants(child))
            {
                yield return d;
            }
        }
    }

    /// <summary>One mutation: what it changes, and where the diff must report it.</summary>
    public sealed record Mutation(ResourceKind Kind, string Name, string Path, ChangeType Type);

    /// <summary>Applies one of several mutations (chosen by <paramref name="choice"/>) to a copy and says where it is.</summary>
    public static (JsonObject Dump, Mutation Expected) Mutate(JsonObject dump, int choice)
    {
        var copy = (JsonObject)dump.DeepClone();
        var configs = copy["configs"]!.AsArray();
        var clusters = configs[0]!["dynamic_active_clusters"]!.AsArray();
        var cluster = clusters[choice % clusters.Count]!["cluster"]!.AsObject();
        var clusterName = cluster["name"]!.GetValue<string>();
        var rc = configs[2]!["dynamic_route_configs"]![0]!["route_config"]!.AsObject();
        var vhosts = rc["virtual_hosts"]!.AsArray();
        var vhost = vhosts[choice % vhosts.Count]!.AsObject();
        var vhName = vhost["name"]!.GetValue<string>();
        var route = vhost["routes"]![0]!.AsObject();
        var listener = configs[1]!["dynamic_listeners"]![0]!["active_state"]!["listener"]!.AsObject();
        var chain = listener["filter_chains"]![0]!.AsObject();
        var cla = configs[3]!["dynamic_endpoint_configs"]![choice % clusters.Count]!["endpoint_config"]!.AsObject();
        switch (choice % 6)
        {
            case 0:
                cluster["connect_timeout"] = "42s";
                return (copy, new Mutation(ResourceKind.Cluster, clusterName, "/connect_timeout", ChangeType.Changed));
            case 1:
                // ROUND_ROBIN is the enum default: absent from the canonical form, so moving off it adds the field.
                var wasDefault = cluster["lb_policy"]!.GetValue<string>() == "ROUND_ROBIN";
                cluster["lb_policy"] = "RANDOM";
                return (copy, new Mutation(ResourceKind.Cluster, clusterName, "/lb_policy", wasDefault ? ChangeType.Added : ChangeType.Changed));
            case 2:
                var weighted = route["route"]!["weighted_clusters"]!["clusters"]![1]!.AsObject();
                weighted["weight"] = weighted["weight"]!.GetValue<int>() + 100;
                return (copy, new Mutation(ResourceKind.Route, $"9080/{vhName}/route0",
                    "/route/weighted_clusters/clusters/outbound|9080|v2|reviews.ns.svc.cluster.local/weight", ChangeType.Changed));
            case 3:
                vhost["domains"]!.AsArray().Add("added.example.com");
                return (copy, new Mutation(ResourceKind.VirtualHost, $"9080/{vhName}", "/domains/added.example.com", ChangeType.Added));
            case 4:
                chain["filters"]![0]!["typed_config"]!["stat_prefix"] = "mutated";
                return (copy, new Mutation(ResourceKind.Listener, listener["name"]!.GetValue<string>(),
                    "/filter_chains/chain0/filters/envoy.filters.network.tcp_proxy/typed_config/stat_prefix", ChangeType.Changed));
            default:
                cla["endpoints"]![0]!["lb_endpoints"]!.AsArray().Add(new JsonObject
                {
                    ["endpoint"] = new JsonObject { ["address"] = new JsonObject { ["socket_address"] = new JsonObject { ["address"] = "192.0.2.7", ["port_value"] = 1 } } },
                });
                return (copy, new Mutation(ResourceKind.Endpoint, cla["cluster_name"]!.GetValue<string>(), "/endpoints/r1@p0/lb_endpoints/192.0.2.7:1", ChangeType.Added));
        }
    }

    public static string Json(JsonObject dump) => dump.ToJsonString();

    public static string Seed(int seed) => seed.ToString(CultureInfo.InvariantCulture);
}
