using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Decoding.Endpoints;

/// <summary>
/// Reads linkerd2-proxy's <c>/metrics</c> (Prometheus text, read by the same bounded parser as Envoy's
/// <c>/stats/prometheus</c>) and maps the families EnvoyLens judges into <see cref="LinkerdProxy"/>.
/// </summary>
public static class LinkerdMetricsDocument
{
    internal const string What = "linkerd2-proxy /metrics output";

    /// <summary>The Prometheus samples of one <c>/metrics</c> body.</summary>
    public static AdminDocument<StatsSnapshot> Read(byte[] content, string source)
    {
        var text = AdminJson.Text(content, source, What);
        if (text.AsSpan().Trim().IsEmpty)
        {
            throw new EnvoyLensException($"{source} is empty, not {What}.");
        }

        return StatsDocument.ReadPrometheus(text, source, What);
    }

    /// <summary>The Linkerd model of a sample (and of its earlier sample, when it has one).</summary>
    public static LinkerdProxy Map(StatsSnapshot metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var requests = new List<LinkerdCount>();
        var responses = new List<LinkerdCount>();
        var opens = new List<LinkerdCount>();
        var closes = new List<LinkerdCount>();
        var authz = new List<LinkerdAuthorization>();
        var controlRequests = new List<LinkerdCount>();
        var controlResponses = new List<LinkerdCount>();
        IReadOnlyDictionary<string, string> buildInfo = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var stat in metrics.Stats)
        {
            if (stat.Value is not { } value || double.IsNaN(value))
            {
                continue;
            }

            var count = new LinkerdCount(stat.Name, stat.Tags, value);
            switch (stat.Name)
            {
                case "request_total":
                    requests.Add(count);
                    break;
                case "response_total":
                    responses.Add(count);
                    break;
                case "tcp_open_total":
                    opens.Add(count);
                    break;
                case "tcp_close_total":
                    closes.Add(count);
                    break;
                case "inbound_http_authz_allow_total":
                    authz.Add(new LinkerdAuthorization("http", true, count));
                    break;
                case "inbound_http_authz_deny_total":
                    authz.Add(new LinkerdAuthorization("http", false, count));
                    break;
                case "inbound_tcp_authz_allow_total":
                    authz.Add(new LinkerdAuthorization("tcp", true, count));
                    break;
                case "inbound_tcp_authz_deny_total":
                    authz.Add(new LinkerdAuthorization("tcp", false, count));
                    break;
                case "control_request_total":
                    controlRequests.Add(count);
                    break;
                case "control_response_total":
                    controlResponses.Add(count);
                    break;
                case "proxy_build_info":
                    buildInfo = stat.Tags;
                    break;
            }
        }

        var identity = new LinkerdIdentity(Instant(metrics.Value("identity_cert_expiration_timestamp_seconds")), metrics.Value("identity_cert_refresh_count"));
        var process = new LinkerdProcess(
            Instant(metrics.Value("process_start_time_seconds")),
            metrics.Value("process_resident_memory_bytes"),
            metrics.Value("process_open_fds"),
            metrics.Value("process_max_fds"),
            metrics.Value("process_cpu_seconds_total"));
        var version = buildInfo.TryGetValue("version", out var v) && v.Length > 0 ? v : null;
        return new LinkerdProxy(metrics.Source, version, buildInfo, requests, responses, opens, closes, authz, controlRequests, controlResponses, identity, process)
        {
            CapturedAt = metrics.CapturedAt,
            Earlier = metrics.Earlier is { } earlier ? Map(earlier) : null,
        };
    }

    /// <summary>Seconds since the Unix epoch as an instant; null for values no clock can show.</summary>
    private static DateTimeOffset? Instant(double? seconds) =>
        seconds is { } s && double.IsFinite(s) && s >= 0 && s < 253402300799
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(s * 1000, MidpointRounding.AwayFromZero))
            : null;

    internal static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
