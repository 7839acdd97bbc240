using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Decoding.Endpoints;

/// <summary>
/// Reads <c>/clusters?format=json</c> (<c>envoy.admin.v3.Clusters</c>) and the text form of <c>/clusters</c>
/// (<c>cluster::host:port::key::value</c> lines) into <see cref="ClusterStatus"/> rows.
/// </summary>
/// <remarks>
/// <see cref="ClusterStatus.Stats"/> holds the cluster's outlier ejection thresholds (when printed) and, for each
/// per-host stat name, its sum over the cluster's hosts. Host health: Envoy's EDS health status, where an absent or
/// <c>UNKNOWN</c> status (static and DNS hosts) counts as <c>HEALTHY</c> as Envoy itself treats it; a host failing an
/// active degraded check is <c>DEGRADED</c>. Active health check and outlier failures are in their own flags.
/// </remarks>
public static partial class ClustersDocument
{
    private const string What = "Envoy /clusters output";

    public static AdminDocument<IReadOnlyList<ClusterStatus>> Read(byte[] content, string source)
    {
        var text = AdminJson.Text(content, source, What);
        var trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            throw new EnvoyLensException($"{source} is empty, not {What}.");
        }

        return trimmed[0] == '{' ? ReadJson(content, source) : ReadText(text, source);
    }

    private static AdminDocument<IReadOnlyList<ClusterStatus>> ReadJson(byte[] content, string source)
    {
        using var doc = AdminJson.Parse(content, source, What);
        var root = AdminJson.RequireObject(doc, source, What);
        if (!AdminJson.TryGet(root, "cluster_statuses", out _) && root.EnumerateObject().Any())
        {
            throw new EnvoyLensException($"{source} is not {What}: the JSON object has no \"cluster_statuses\".");
        }

        var diagnostics = new List<DecodeDiagnostic>();
        var clusters = new List<ClusterStatus>();
        var listPointer = JsonPointer.Root.Append("cluster_statuses");
        foreach (var (cluster, ci) in AdminJson.Array(root, "cluster_statuses", source, listPointer, What))
        {
            var pointer = listPointer.Append(ci);
            var name = AdminJson.String(cluster, "name");
            if (cluster.ValueKind != JsonValueKind.Object || name is null)
            {
                diagnostics.Add(AdminJson.BadEntry(source, pointer, "cluster status is not an object with a \"name\"; skipped"));
                continue;
            }

            var stats = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (var threshold in (string[])["success_rate_ejection_threshold", "local_origin_success_rate_ejection_threshold"])
            {
                if (AdminJson.TryGet(cluster, threshold, out var t) && AdminJson.TryNumber(t, "value", out var tv, out _))
                {
                    stats[threshold] = tv;
                }
            }

            var hosts = new List<Endpoint>();
            var hostsPointer = pointer.Append("host_statuses");
            IEnumerable<(JsonElement, int)> hostItems;
            try
            {
                hostItems = AdminJson.Array(cluster, "host_statuses", source, hostsPointer, What).ToList();
            }
            catch (EnvoyLensException ex)
            {
                diagnostics.Add(AdminJson.BadEntry(source, hostsPointer, ex.Message.TrimEnd('.') + "; the cluster's hosts were skipped"));
                hostItems = [];
            }

            foreach (var (host, hi) in hostItems)
            {
                var hostPointer = hostsPointer.Append(hi);
                var endpoint = ReadHost(name, host, hostPointer, stats, out var problem);
                if (endpoint is null)
                {
                    diagnostics.Add(AdminJson.BadEntry(source, hostPointer, problem + "; host skipped"));
                    continue;
                }

                hosts.Add(endpoint);
            }

            clusters.Add(new ClusterStatus(name, AdminJson.Bool(cluster, "added_via_api") ?? false, hosts, stats));
        }

        return new AdminDocument<IReadOnlyList<ClusterStatus>>(clusters, diagnostics);
    }

    private static Endpoint? ReadHost(string cluster, JsonElement host, JsonPointer pointer, SortedDictionary<string, double> stats, out string problem)
    {
        problem = string.Empty;
        if (host.ValueKind != JsonValueKind.Object)
        {
            problem = $"host status is a {AdminJson.Kind(host)}, not an object";
            return null;
        }

        var address = AdminJson.TryGet(host, "address", out var a) ? AdminJson.Address(a) : null;
        if (address is null)
        {
            problem = "host status has no socket, pipe or internal address";
            return null;
        }

        if (AdminJson.TryGet(host, "stats", out var hostStats) && hostStats.ValueKind == JsonValueKind.Array)
        {
            foreach (var s in hostStats.EnumerateArray())
            {
                var statName = AdminJson.String(s, "name");
                if (statName is null)
                {
                    continue;
                }

                // proto3 JSON omits zero values; a named stat without a value is 0.
                AdminJson.TryNumber(s, "value", out var v, out _);
                stats[statName] = stats.GetValueOrDefault(statName) + v;
            }
        }

        var health = "HEALTHY";
        bool? failedActive = null;
        bool? failedOutlier = null;
        if (AdminJson.TryGet(host, "health_status", out var hs) && hs.ValueKind == JsonValueKind.Object)
        {
            var eds = AdminJson.String(hs, "eds_health_status");
            health = eds is null or "UNKNOWN" or "0" ? "HEALTHY" : EdsName(eds);
            failedActive = AdminJson.Bool(hs, "failed_active_health_check") ?? false;
            failedOutlier = AdminJson.Bool(hs, "failed_outlier_check") ?? false;
            if (health == "HEALTHY" && AdminJson.Bool(hs, "failed_active_degraded_check") == true)
            {
                health = "DEGRADED";
            }
        }

        uint? weight = AdminJson.TryNumber(host, "weight", out var w, out _) ? (uint)w : null;
        var priority = AdminJson.TryNumber(host, "priority", out var p, out _) ? (uint)p : 0u;
        var hostname = AdminJson.String(host, "hostname");
        return new Endpoint(cluster, address, health, failedOutlier, failedActive, AdminJson.Locality(host), weight, priority,
            string.IsNullOrEmpty(hostname) ? null : hostname, EndpointSource.AdminClusters, pointer);
    }

    private static string EdsName(string value) => value switch
    {
        "1" => "UNHEALTHY",
        "2" => "DRAINING",
        "3" => "TIMEOUT",
        "4" => "DEGRADED",
        "5" => "HEALTHY",
        _ => value,
    };

    private sealed class TextCluster(string name)
    {
        public string Name { get; } = name;

        public bool AddedViaApi { get; set; }

        public SortedDictionary<string, double> Stats { get; } = new(StringComparer.Ordinal);

        public List<string> HostOrder { get; } = [];

        public Dictionary<string, Dictionary<string, string>> Hosts { get; } = new(StringComparer.Ordinal);
    }

    private static AdminDocument<IReadOnlyList<ClusterStatus>> ReadText(string text, string source)
    {
        var diagnostics = new List<DecodeDiagnostic>();
        var clusters = new List<TextCluster>();
        var byName = new Dictionary<string, TextCluster>(StringComparer.Ordinal);
        var lineNo = 0;
        var good = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var sep = line.IndexOf("::", StringComparison.Ordinal);
            if (sep <= 0)
            {
                if (good == 0 && lineNo >= 3)
                {
                    throw new EnvoyLensException($"{source} is not {What}: its lines are not 'cluster::...' lines.");
                }

                diagnostics.Add(TextLine(source, lineNo, "is not a 'cluster::...' line; skipped"));
                continue;
            }

            var name = line[..sep];
            var rest = line[(sep + 2)..];
            if (!byName.TryGetValue(name, out var cluster))
            {
                cluster = new TextCluster(name);
                byName[name] = cluster;
                clusters.Add(cluster);
            }

            good++;
            var host = HostPrefix().Match(rest);
            if (host.Success)
            {
                var address = host.Groups["addr"].Value;
                var kv = rest[host.Length..];
                var kvSep = kv.IndexOf("::", StringComparison.Ordinal);
                if (kvSep <= 0)
                {
                    diagnostics.Add(TextLine(source, lineNo, "has a host but no 'key::value'; skipped"));
                    continue;
                }

                if (!cluster.Hosts.TryGetValue(address, out var fields))
                {
                    fields = new Dictionary<string, string>(StringComparer.Ordinal);
                    cluster.Hosts[address] = fields;
                    cluster.HostOrder.Add(address);
                }

                fields[kv[..kvSep]] = kv[(kvSep + 2)..];
                continue;
            }

            // Cluster-level lines: added_via_api::true, default_priority::max_connections::1024, outlier::success_rate_average::-1, ...
            var last = rest.LastIndexOf("::", StringComparison.Ordinal);
            var key = last < 0 ? rest : rest[..last];
            var value = last < 0 ? string.Empty : rest[(last + 2)..];
            if (key == "added_via_api")
            {
                cluster.AddedViaApi = value == "true";
            }
            else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                cluster.Stats[key.Replace("::", ".", StringComparison.Ordinal)] = number;
            }
        }

        if (good == 0)
        {
            throw new EnvoyLensException($"{source} is not {What}: no line has the form 'cluster::...'.");
        }

        var result = clusters.Select(c => new ClusterStatus(c.Name, c.AddedViaApi, c.HostOrder.Select(h => TextHost(c, h)).ToList(), c.Stats)).ToList();
        return new AdminDocument<IReadOnlyList<ClusterStatus>>(result, diagnostics);
    }

    private static Endpoint TextHost(TextCluster cluster, string address)
    {
        var fields = cluster.Hosts[address];
        foreach (var (k, v) in fields)
        {
            if (k is not ("weight" or "priority" or "success_rate" or "local_origin_success_rate") &&
                double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                cluster.Stats[k] = cluster.Stats.GetValueOrDefault(k) + n;
            }
        }

        var flags = fields.GetValueOrDefault("health_flags") ?? "healthy";
        var health = flags.Contains("/failed_eds_health", StringComparison.Ordinal) ? "UNHEALTHY"
            : flags.Contains("/eds_status_draining", StringComparison.Ordinal) ? "DRAINING"
            : flags.Contains("/degraded_eds_health", StringComparison.Ordinal) || flags.Contains("/degraded_active_hc", StringComparison.Ordinal) ? "DEGRADED"
            : "HEALTHY";
        var colon = address.LastIndexOf(':');
        var socket = colon > 0 && int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? new SocketAddress(address[..colon].Trim('[', ']'), port)
            : new SocketAddress(address, null);
        string? F(string k) => fields.TryGetValue(k, out var v) && v.Length > 0 ? v : null;
        var locality = F("region") is null && F("zone") is null && F("sub_zone") is null ? null : new Locality(F("region"), F("zone"), F("sub_zone"));
        uint? weight = uint.TryParse(F("weight"), NumberStyles.None, CultureInfo.InvariantCulture, out var w) ? w : null;
        var priority = uint.TryParse(F("priority"), NumberStyles.None, CultureInfo.InvariantCulture, out var pr) ? pr : 0u;
        return new Endpoint(cluster.Name, socket, health,
            flags.Contains("/failed_outlier_check", StringComparison.Ordinal),
            flags.Contains("/failed_active_hc", StringComparison.Ordinal),
            locality, weight, priority, F("hostname"), EndpointSource.AdminClusters, JsonPointer.Root);
    }

    private static DecodeDiagnostic TextLine(string source, int lineNo, string what) =>
        new(DiagnosticLevel.Warning, DiagnosticCodes.InvalidValue, source, JsonPointer.Root,
            $"line {lineNo.ToString(CultureInfo.InvariantCulture)} {what}");

    /// <summary><c>10.0.0.1:80::</c>, <c>[fd00::1]:80::</c> or <c>host.example:80::</c> at the start of a line's remainder.</summary>
    [GeneratedRegex(@"^(?<addr>\[[0-9A-Fa-f:.%a-zA-Z]+\]:[0-9]+|[^:\s\[\]]+:[0-9]+)::", RegexOptions.CultureInvariant)]
    private static partial Regex HostPrefix();
}
