using System.Globalization;
using System.Text;
using EnvoyLens.Core;

namespace EnvoyLens.Reporting.Analysis;

/// <summary>
/// <c>envoylens analyze</c> for people: findings grouped by severity (most severe first), each with resource, message,
/// place, evidence and fix; then the rules that did not run and why; then a one-line summary.
/// </summary>
public static class AnalysisTextRenderer
{
    public static string Render(AnalysisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        foreach (var group in result.Findings.GroupBy(f => f.Severity))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{AnalysisResult.Level(group.Key).ToUpperInvariant()} ({group.Count()})\n");
            foreach (var f in group)
            {
                var where = f.Resource is { } r ? $"{r.Kind} {r.Name}" : "proxy";
                sb.Append(CultureInfo.InvariantCulture, $"  {f.RuleId}  {where}\n");
                sb.Append(CultureInfo.InvariantCulture, $"    {f.Message}\n");
                if (!f.Pointer.IsRoot || f.Source is not null)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"    at: {f.Source ?? ""}#{f.Pointer}\n");
                }

                if (f.Evidence.Count > 0)
                {
                    sb.Append("    evidence: ").Append(string.Join(", ", f.Evidence.Select(e => $"{e.Key}={e.Value}"))).Append('\n');
                }

                sb.Append(CultureInfo.InvariantCulture, $"    fix: {f.Remediation}\n");
            }

            sb.Append('\n');
        }

        var notRun = result.Rules.Where(o => o.Status == AnalysisResult.NotRun).ToList();
        if (notRun.Count > 0)
        {
            sb.Append("NOT RUN\n");
            foreach (var o in notRun)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {o.Id}  {result.Title(o.Id)}: {o.Reason}\n");
            }

            sb.Append('\n');
        }

        sb.Append(Summary(result)).Append('\n');
        return sb.ToString();
    }

    /// <summary>The one-line summary: finding counts by severity and rule outcomes (and what a baseline hid).</summary>
    public static string Summary(AnalysisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var fresh = result.Baseline is null ? "" : "new ";
        var findings = result.Findings.Count == 0
            ? (result.Baseline is null ? "No findings" : "No new findings")
            : string.Create(CultureInfo.InvariantCulture, $"{result.Findings.Count} {fresh}finding(s): {result.Count(Severity.Error)} error, {result.Count(Severity.Warning)} warning, {result.Count(Severity.Info)} info");
        var baseline = result.Baseline is null
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $"; {result.BaselineSuppressed} known finding(s) from the baseline not shown");
        return string.Create(CultureInfo.InvariantCulture,
            $"{findings}{baseline} ({result.Rules.Count} rules: {result.CountRules(AnalysisResult.Passed)} passed, {result.CountRules(AnalysisResult.Failed)} failed, {result.CountRules(AnalysisResult.NotApplicable)} not applicable, {result.CountRules(AnalysisResult.NotRun)} not run, {result.CountRules(AnalysisResult.Disabled)} disabled, {result.CountRules(AnalysisResult.InternalError)} internal error).");
    }
}
