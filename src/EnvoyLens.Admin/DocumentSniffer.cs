using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EnvoyLens.Core;

namespace EnvoyLens.Admin;

/// <summary>
/// Guesses which admin endpoint a file was captured from, by looking at its first bytes only (top-level JSON keys,
/// or the shape of the first text lines). <see cref="Recognize"/> says null for content it does not recognise;
/// <see cref="Sniff"/>, for a file read alone, takes such content for a config dump, so that decoding can say
/// precisely why it is not one.
/// </summary>
public static partial class DocumentSniffer
{
    private const int PrefixBytes = 1 << 20;

    /// <summary>The endpoint of a file read alone: what <see cref="Recognize"/> says, else a config dump.</summary>
    public static AdminEndpoint Sniff(ReadOnlySpan<byte> content) => Recognize(content) ?? AdminEndpoint.ConfigDump;

    /// <summary>The endpoint <paramref name="content"/> was captured from, or null when nothing about it is recognised.</summary>
    public static AdminEndpoint? Recognize(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
        }

        var first = content.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0)
        {
            return null;
        }

        return content[first] == (byte)'{'
            ? SniffJson(content[first..])
            : SniffText(content[first..]);
    }

    private static AdminEndpoint? SniffJson(ReadOnlySpan<byte> json)
    {
        var isWhole = json.Length <= PrefixBytes;
        var reader = new Utf8JsonReader(isWhole ? json : json[..PrefixBytes], isFinalBlock: isWhole, state: default);
        var topLevel = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (reader.CurrentDepth == 1)
                {
                    // A name that is not UTF-8 (or an escaped lone surrogate) is none of the names decided on; decoding
                    // names the byte itself.
                    if (!TryGetName(ref reader, out var name))
                    {
                        continue;
                    }

                    topLevel.Add(name);
                    if (Decide(topLevel) is { } decided)
                    {
                        return decided;
                    }
                }
                else if (reader.CurrentDepth == 3 && reader.ValueTextEquals("configs"u8))
                {
                    // egctl wrappers: {"xds": {"name": {"configs": [...]}}} and {"ns": {"pod": {"configs": [...]}}}.
                    return AdminEndpoint.ConfigDump;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON after all, or cut off: decide on what was seen.
        }

        if (topLevel.Contains("version") || topLevel.Contains("state"))
        {
            return AdminEndpoint.ServerInfo;
        }

        return null;
    }

    private static bool TryGetName(ref Utf8JsonReader reader, out string name)
    {
        try
        {
            name = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = string.Empty;
            return false;
        }
    }

    private static AdminEndpoint? Decide(HashSet<string> keys)
    {
        if (keys.Contains("configs"))
        {
            return AdminEndpoint.ConfigDump;
        }

        if (keys.Contains("cluster_statuses") || keys.Contains("clusterStatuses"))
        {
            return AdminEndpoint.Clusters;
        }

        if (keys.Contains("certificates"))
        {
            return AdminEndpoint.Certs;
        }

        if (keys.Contains("listener_statuses") || keys.Contains("listenerStatuses"))
        {
            return AdminEndpoint.Listeners;
        }

        if (keys.Contains("unready_targets_dumps") || keys.Contains("unreadyTargetsDumps"))
        {
            return AdminEndpoint.InitDump;
        }

        if (keys.Contains("stats"))
        {
            return AdminEndpoint.Stats;
        }

        if ((keys.Contains("version") && keys.Contains("state")) || keys.Contains("uptime_current_epoch") || keys.Contains("command_line_options"))
        {
            return AdminEndpoint.ServerInfo;
        }

        if (keys.Contains("allocated") && keys.Contains("heap_size"))
        {
            return AdminEndpoint.Memory;
        }

        if (keys.Contains("layers") && keys.Contains("entries"))
        {
            return AdminEndpoint.Runtime;
        }

        return null;
    }

    private static AdminEndpoint? SniffText(ReadOnlySpan<byte> content)
    {
        var prefix = content.Length > 64 * 1024 ? content[..(64 * 1024)] : content;
        if (prefix.IndexOf((byte)0) >= 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(prefix);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).Take(200).ToList();
        if (lines.Count == 0)
        {
            return null;
        }

        // YAML config dumps (istioctl -o yaml) and YAML egctl output.
        if (lines.Any(l => YamlConfigs().IsMatch(l)))
        {
            return AdminEndpoint.ConfigDump;
        }

        var line = lines[0].Trim();
        var prometheus = line.StartsWith("# TYPE ", StringComparison.Ordinal) || line.StartsWith("# HELP ", StringComparison.Ordinal);
        if ((prometheus || AnyPrometheusSample().IsMatch(line)) && IsLinkerdMetrics(text))
        {
            return AdminEndpoint.LinkerdMetrics;
        }

        if (prometheus || PrometheusSample().IsMatch(line))
        {
            return AdminEndpoint.StatsPrometheus;
        }

        if (PlainServerInfo().IsMatch(line))
        {
            return AdminEndpoint.ServerInfo;
        }

        if (ClustersLine().IsMatch(line))
        {
            return AdminEndpoint.Clusters;
        }

        if (StatsLine().IsMatch(line))
        {
            return AdminEndpoint.Stats;
        }

        if (lines.Count == 1 && line is "LIVE" or "DRAINING" or "PRE_INITIALIZING" or "INITIALIZING" or "ready")
        {
            return AdminEndpoint.Ready;
        }

        if (lines.Count == 1 && line == "live")
        {
            // linkerd2-proxy's /live.
            return AdminEndpoint.Live;
        }

        return null;
    }

    /// <summary>
    /// The metric families only linkerd2-proxy's <c>/metrics</c> has (its build info, policy, identity and control-plane
    /// client metrics, and its <c>direction</c>-labelled traffic totals): one of them in the first 64 KiB, and no
    /// <c>envoy_</c> metric, tells it from Envoy's <c>/stats/prometheus</c>.
    /// </summary>
    internal static bool IsLinkerdMetrics(string prefix)
    {
        var linkerd = false;
        foreach (var raw in prefix.Split('\n'))
        {
            var line = raw.Trim();
            var name = line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal)
                ? line[7..].Split(' ', 2)[0]
                : line.Length > 0 && line[0] != '#' ? line.Split('{', ' ')[0] : "";
            if (name.StartsWith("envoy_", StringComparison.Ordinal))
            {
                return false;
            }

            linkerd |= LinkerdFamilies.Any(f => name.StartsWith(f, StringComparison.Ordinal))
                       || (name is "request_total" or "response_total" or "tcp_open_total" or "tcp_close_total" && line.Contains("direction=\"", StringComparison.Ordinal));
        }

        return linkerd;
    }

    private static readonly string[] LinkerdFamilies =
    [
        "proxy_build_info", "inbound_http_authz_", "inbound_tcp_authz_", "inbound_http_route_", "inbound_http_errors_", "inbound_tcp_errors_",
        "outbound_http_balancer_", "outbound_http_errors_", "outbound_tcp_errors_", "identity_cert_", "control_request_total", "control_response_total",
    ];

    [GeneratedRegex(@"^[A-Za-z_:][A-Za-z0-9_:]*(\{.*\})?\s+\S+(\s+\S+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex AnyPrometheusSample();

    [GeneratedRegex(@"^\s*(configs|xds|""configs""):\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlConfigs();

    [GeneratedRegex(@"^envoy_[A-Za-z0-9_:]+(\{.*\})?\s+\S+(\s+\S+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PrometheusSample();

    [GeneratedRegex(@"^envoy \S+ (live|draining)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PlainServerInfo();

    [GeneratedRegex(@"^[^\s:]+::\S", RegexOptions.CultureInvariant)]
    private static partial Regex ClustersLine();

    [GeneratedRegex(@"^[A-Za-z0-9_\-|.:@/]+\.[A-Za-z0-9_\-|.:@/]*: \S", RegexOptions.CultureInvariant)]
    private static partial Regex StatsLine();
}
