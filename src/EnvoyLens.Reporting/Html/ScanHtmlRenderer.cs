using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Scan;

namespace EnvoyLens.Reporting.Html;

/// <summary>
/// <c>scan -o html</c> (and <c>scan merge -o html</c>): the summary, one table row per pod with the columns of the text
/// table (a pod that could not be read carries its reason, a pod with findings lists them under it), and the mesh-wide
/// findings. Beyond <see cref="MaxFindingsPerPod"/> findings of one pod the rest are counted, not listed
/// (<c>-o json</c> holds them all).
/// </summary>
public static class ScanHtmlRenderer
{
    public const int MaxFindingsPerPod = 50;

    public static string Render(ReportHeader header, ScanResult result)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(result);
        var w = HtmlPage.Begin(header,
        [
            ("Scope", Scope(result.Scope)),
            ("Summary", ScanTableRenderer.Summary(result)),
        ]);

        w.Open("section", ("id", "pods")).Element("h2", "Pods").Line();
        if (result.Pods.Count == 0)
        {
            w.Element("p", "No pods with a proxy were found.", ("class", "note"));
        }
        else
        {
            w.Open("table", ("id", "pod-table")).Open("tr");
            foreach (var heading in new[] { "POD", "NAMESPACE", "PROXY", "STATE", "ERRORS", "WARNINGS", "SOONEST CERT EXPIRY", "TOP FINDING" })
            {
                w.Element("th", heading);
            }

            w.Close("tr").Line();
            foreach (var pod in result.Pods)
            {
                var worst = pod.Findings.Count == 0 ? (Severity?)null : pod.Findings.Max(f => f.Severity);
                w.Open("tr", ("class", "pod"), ("data-pod", pod.Key), ("data-state", pod.State), ("data-failed", pod.Failed ? "true" : "false"),
                    ("data-severity", worst?.ToString().ToLowerInvariant()));
                w.Element("td", pod.Name).Element("td", pod.Namespace)
                    .Element("td", pod.ProxyKind is null ? "-" : pod.Version is null ? pod.ProxyKind : pod.ProxyKind + " " + pod.Version)
                    .Element("td", pod.State)
                    .Element("td", pod.WasRead ? N(pod.Count(Severity.Error)) : "-")
                    .Element("td", pod.WasRead ? N(pod.Count(Severity.Warning)) : "-")
                    .Element("td", ScanTableRenderer.Expiry(pod.SoonestCertExpiry, result.At))
                    .Element("td", pod.WasRead && pod.Findings.Count > 0 ? Top(pod.Findings[0]) : "-");
                w.Close("tr").Line();
                if (pod.Reason is { } reason)
                {
                    w.Open("tr", ("class", "reason")).Element("td", reason, ("colspan", "8")).Close("tr").Line();
                }
                else if (pod.Findings.Count > 0)
                {
                    w.Open("tr", ("class", "pod-findings")).Open("td", ("colspan", "8")).Open("details").Element("summary", Findings(pod.Findings.Count));
                    w.Open("ul");
                    foreach (var f in pod.Findings.Take(MaxFindingsPerPod))
                    {
                        w.Open("li", ("class", "finding"), ("data-severity", f.Severity.ToString().ToLowerInvariant()), ("data-rule", f.RuleId))
                            .Element("strong", f.Severity.ToString().ToUpperInvariant() + " " + f.RuleId + " ")
                            .Text((f.Resource is null ? string.Empty : f.Resource + ": ") + f.Message)
                            .Close("li");
                    }

                    if (pod.Findings.Count > MaxFindingsPerPod)
                    {
                        w.Element("li", $"{N(pod.Findings.Count - MaxFindingsPerPod)} more; 'envoylens scan -o json' lists them all.", ("class", "note"));
                    }

                    w.Close("ul").Close("details").Close("td").Close("tr").Line();
                }
            }

            w.Close("table").Line();
        }

        w.Close("section").Line();
        var mesh = MeshAnalysis.Of(result.Pods);
        w.Open("section", ("id", "mesh")).Element("h2", "Mesh-wide").Line();
        if (mesh.Count == 0)
        {
            w.Element("p", "Nothing across pods: no rule fails on two or more pods, one proxy version, one set of trust roots, replicas alike.", ("class", "note"));
        }
        else
        {
            w.Open("ul", ("id", "mesh-findings"));
            foreach (var finding in mesh)
            {
                w.Open("li", ("class", "mesh-finding"), ("data-kind", finding.Kind), ("data-subject", finding.Subject)).Text(finding.Message);
                if (finding.Pods.Count > 0)
                {
                    w.Open("details").Element("summary", N(finding.Pods.Count) + (finding.Pods.Count == 1 ? " pod" : " pods")).Element("p", string.Join(", ", finding.Pods)).Close("details");
                }

                w.Close("li").Line();
            }

            w.Close("ul");
        }

        w.Close("section").Line();
        return HtmlPage.End(w);
    }

    private static string Scope(ScanScope scope) =>
        (scope.Namespace is null ? "all namespaces" : "namespace " + scope.Namespace) +
        (scope.Selector is null ? string.Empty : ", pods matching " + scope.Selector) +
        (scope.ShardIndex is { } i && scope.ShardCount is { } n ? $", shard {N(i)}/{N(n)}" : string.Empty);

    private static string Top(ScanFinding f) => f.Resource is null ? f.RuleId : f.RuleId + " " + f.Resource;

    private static string Findings(int n) => N(n) + (n == 1 ? " finding" : " findings");

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
