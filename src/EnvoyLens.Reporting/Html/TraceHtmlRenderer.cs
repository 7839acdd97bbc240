using System.Globalization;
using EnvoyLens.Reporting.Trace;
using EnvoyLens.Trace;

namespace EnvoyLens.Reporting.Html;

/// <summary>
/// <c>trace -o html</c>: the request, then its hops as a vertical path (why each was taken, details, where it sits,
/// the candidates that lost), the hop where the request stops highlighted, and the verdict.
/// </summary>
public static class TraceHtmlRenderer
{
    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase) { "authorization", "proxy-authorization", "cookie", "x-api-key" };

    public static string Render(ReportHeader header, TraceResult result)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(result);
        var request = result.Request;
        var summary = new List<(string, string)>
        {
            ("Request", (request.Target.IsHttp ? request.Method + " " : "") + request.Target + (request.Target.IsHttp ? " (host " + request.Authority + ")" : "") + (request.Inbound ? ", inbound" : "")),
            ("Destination", (result.DestinationAddress ?? "unknown") + ":" + request.Target.Port.ToString(CultureInfo.InvariantCulture) + " (" + result.AddressSource + ")"),
        };
        summary.AddRange(request.Headers.Select(h => ("Header", h.Key + ": " + (SecretHeaders.Contains(h.Key) ? "(redacted)" : h.Value))));
        if (request.SourcePrincipal is { } principal)
        {
            summary.Add(("Source principal", principal));
        }

        summary.Add(("Outcome", TraceRenderer.OutcomeName(result.Verdict.Outcome) + (result.Verdict.ResponseFlag is { } flag ? ", response flag " + flag : "") +
            (result.Verdict.Status is { } status ? ", status " + status.ToString(CultureInfo.InvariantCulture) : "") + ": " + result.Verdict.Summary));
        var w = HtmlPage.Begin(header, summary);
        w.Open("section", ("id", "hops")).Element("h2", "Path of the request").Line();
        var stop = result.Hops.ToList().FindIndex(h => h.Status == HopStatus.Stopped);
        var last = stop >= 0 ? stop : result.Hops.Count - 1;
        for (var i = 0; i < result.Hops.Count; i++)
        {
            var hop = result.Hops[i];
            if (i > 0)
            {
                w.Element("div", "↓", ("class", "hop-arrow"), ("aria-hidden", "true"));
            }

            var cls = "hop" + (i == last ? result.Verdict.Outcome == TraceOutcome.Forwarded && hop.Status != HopStatus.Stopped ? " stop ok" : " stop" : "")
                + (hop.Status == HopStatus.NotEvaluated ? " not-evaluated" : "");
            w.Open("div", ("class", cls), ("data-kind", TraceRenderer.KindName(hop.Kind)), ("data-status", hop.Status.ToString().ToLowerInvariant()));
            w.Open("div").Element("strong", string.Create(CultureInfo.InvariantCulture, $"{i + 1}. {TraceRenderer.KindName(hop.Kind)} ")).Element("code", hop.Name)
                .Text(hop.Status switch { HopStatus.Stopped => "  [stops here]", HopStatus.NotEvaluated => "  [not evaluated]", _ => "" }).Close("div");
            w.Element("p", hop.Why);
            if (hop.Details.Count > 0)
            {
                w.Open("ul");
                foreach (var d in hop.Details)
                {
                    w.Element("li", d);
                }

                w.Close("ul");
            }

            if (!hop.Pointer.IsRoot)
            {
                w.Open("div", ("class", "note")).Text("at ").Element("code", hop.Pointer.Value).Close("div");
            }

            if (hop.Candidates.Count > 0)
            {
                w.Open("details").Element("summary", string.Create(CultureInfo.InvariantCulture, $"{hop.Candidates.Count} candidates that lost")).Open("ul");
                foreach (var c in hop.Candidates)
                {
                    w.Open("li").Element("code", c.Name).Text(": " + c.WhyNot).Close("li");
                }

                w.Close("ul").Close("details");
            }

            w.Close("div").Line();
        }

        w.Close("section").Line();
        return HtmlPage.End(w);
    }
}
