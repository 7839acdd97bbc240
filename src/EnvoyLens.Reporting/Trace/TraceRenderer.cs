using System.Globalization;
using System.Text;
using System.Text.Json;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Trace;

namespace EnvoyLens.Reporting.Trace;

/// <summary>The text and JSON (<c>envoylens-trace/v1</c>) forms of <c>envoylens trace</c>.</summary>
public static class TraceRenderer
{
    public const string Schema = "envoylens-trace/v1";

    /// <summary>Request headers whose values are never printed.</summary>
    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase) { "authorization", "proxy-authorization", "cookie", "x-api-key" };

    /// <summary>The hops one per block, then the verdict; with <paramref name="all"/> each hop's losing candidates too.</summary>
    public static string Text(TraceResult result, bool all)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        var request = result.Request;
        // A tcp:// target is a connection, not a request: it has no method and no host header.
        sb.Append("Trace: ").Append(request.Target.IsHttp ? request.Method + " " : string.Empty).Append(request.Target)
          .Append(request.Target.IsHttp ? " (host " + request.Authority + ")" : string.Empty)
          .Append(request.Inbound ? ", inbound" : string.Empty).Append('\n');
        foreach (var (k, value) in request.Headers)
        {
            sb.Append("Header: ").Append(k).Append(": ").Append(HeaderValue(k, value)).Append('\n');
        }

        if (request.SourcePrincipal is { } principal)
        {
            sb.Append("Source principal: ").Append(principal).Append('\n');
        }

        sb.Append("Destination: ").Append(result.DestinationAddress ?? "unknown").Append(':').Append(request.Target.Port.ToString(CultureInfo.InvariantCulture))
          .Append(" (").Append(result.AddressSource).Append(")\n\n");
        var n = 0;
        foreach (var hop in result.Hops)
        {
            n++;
            sb.Append(n.ToString(CultureInfo.InvariantCulture).PadLeft(2)).Append(". ").Append(KindName(hop.Kind).PadRight(15)).Append(hop.Name)
              .Append(hop.Status switch { HopStatus.Stopped => "  [stops here]", HopStatus.NotEvaluated => "  [not evaluated]", _ => string.Empty })
              .Append('\n');
            sb.Append("    ").Append(hop.Why).Append('\n');
            foreach (var d in hop.Details)
            {
                sb.Append("      ").Append(d).Append('\n');
            }

            if (!hop.Pointer.IsRoot)
            {
                sb.Append("      at ").Append(hop.Pointer.Value).Append('\n');
            }

            if (all)
            {
                foreach (var c in hop.Candidates)
                {
                    sb.Append("      lost: ").Append(c.Name).Append(": ").Append(c.WhyNot).Append('\n');
                }
            }
        }

        var v = result.Verdict;
        sb.Append('\n').Append("Verdict: ").Append(OutcomeName(v.Outcome));
        var codes = new List<string>();
        if (v.ResponseFlag is { } flag)
        {
            codes.Add("flag " + flag);
        }

        if (v.Status is { } status)
        {
            codes.Add("status " + status.ToString(CultureInfo.InvariantCulture));
        }

        if (codes.Count > 0)
        {
            sb.Append(" (").AppendJoin(", ", codes).Append(')');
        }

        sb.Append(": ").Append(v.Summary).Append('\n');
        var notEvaluated = result.Hops.Where(h => h.Status == HopStatus.NotEvaluated).ToList();
        if (notEvaluated.Count > 0 && v.Outcome != TraceOutcome.Undetermined)
        {
            sb.Append("Not evaluated (assumed to pass): ").AppendJoin(", ", notEvaluated.Select(h => h.Name).Distinct(StringComparer.Ordinal)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The trace as JSON, schema <see cref="Schema"/> (documented in OUTPUT.md).</summary>
    public static string Json(TraceResult result, bool all)
    {
        ArgumentNullException.ThrowIfNull(result);
        return JsonOutput.Write(w =>
        {
            var request = result.Request;
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteStartObject("request");
            w.WriteString("target", request.Target.ToString());
            w.WriteString("scheme", request.Target.Scheme);
            w.WriteString("method", request.Method);
            w.WriteString("authority", request.Authority);
            w.WriteString("path", request.Target.Path);
            w.WriteString("query", request.Target.Query);
            w.WriteBoolean("inbound", request.Inbound);
            WriteNullable(w, "sourcePrincipal", request.SourcePrincipal);
            w.WriteStartArray("headers");
            foreach (var (k, v) in request.Headers)
            {
                w.WriteStartObject();
                w.WriteString("name", k);
                w.WriteString("value", HeaderValue(k, v));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("destination");
            WriteNullable(w, "address", result.DestinationAddress);
            w.WriteNumber("port", request.Target.Port);
            w.WriteString("source", result.AddressSource);
            w.WriteEndObject();
            w.WriteStartArray("hops");
            foreach (var hop in result.Hops)
            {
                w.WriteStartObject();
                w.WriteString("kind", KindName(hop.Kind));
                w.WriteString("status", hop.Status switch { HopStatus.Matched => "matched", HopStatus.Stopped => "stopped", _ => "not-evaluated" });
                w.WriteString("name", hop.Name);
                w.WriteString("pointer", hop.Pointer.Value);
                w.WriteString("why", hop.Why);
                w.WriteStartArray("details");
                foreach (var d in hop.Details)
                {
                    w.WriteStringValue(d);
                }

                w.WriteEndArray();
                w.WriteStartArray("candidates");
                foreach (var c in all ? hop.Candidates : [])
                {
                    w.WriteStartObject();
                    w.WriteString("name", c.Name);
                    w.WriteString("pointer", c.Pointer.Value);
                    w.WriteString("whyNot", c.WhyNot);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            var verdict = result.Verdict;
            w.WriteStartObject("verdict");
            w.WriteString("outcome", OutcomeName(verdict.Outcome));
            WriteNullable(w, "responseFlag", verdict.ResponseFlag);
            if (verdict.Status is { } status)
            {
                w.WriteNumber("status", status);
            }
            else
            {
                w.WriteNull("status");
            }

            WriteNullable(w, "cluster", verdict.Cluster);
            w.WriteString("summary", verdict.Summary);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    public static string KindName(HopKind kind) => kind switch
    {
        HopKind.Listener => "listener",
        HopKind.FilterChain => "filter-chain",
        HopKind.NetworkFilter => "network-filter",
        HopKind.HttpFilter => "http-filter",
        HopKind.RouteConfig => "route-config",
        HopKind.VirtualHost => "virtual-host",
        HopKind.Route => "route",
        HopKind.Cluster => "cluster",
        HopKind.Endpoints => "endpoints",
        HopKind.PeerTrust => "peer-trust",
        _ => "upstream-tls",
    };

    public static string OutcomeName(TraceOutcome outcome) => outcome switch
    {
        TraceOutcome.Forwarded => "forwarded",
        TraceOutcome.Stopped => "stopped",
        _ => "undetermined",
    };

    private static string HeaderValue(string name, string value) => SecretHeaders.Contains(name) ? "(redacted)" : value;

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
