using System.Globalization;
using System.Text;
using EnvoyLens.Core;

namespace EnvoyLens.Reporting.Analysis;

/// <summary>
/// <c>envoylens analyze</c> for people: findings grouped by severity (most severe first), each with resource, message,
/// place, evidence and fix; then the rules that did not run and why; then a one-line summary.
/// <para>
/// By default what one fix would change prints once: findings of one rule that name the same Istio resource (the
/// DestinationRule behind three subset clusters) form one entry, and so do the rest of a rule's findings when there
/// are more than <see cref="RepeatThreshold"/> of them; an entry gives the count, the first few resources, the first
/// finding's message and place, and evidence cut to one short line. The rules that did not run become one line.
/// Verbose output prints every finding, all of its evidence, and every rule that did not run with its reason.
/// </para>
/// </summary>
public static class AnalysisTextRenderer
{
    /// <summary>A rule's findings without a shared Istio resource are printed one by one up to this many, else as one entry.</summary>
    public const int RepeatThreshold = 3;

    /// <summary>How many resources a grouped entry names before "and N more".</summary>
    public const int ResourcesShown = 3;

    /// <summary>The widest evidence line (with its indent) outside verbose output.</summary>
    public const int EvidenceWidth = 100;

    private const int EvidenceValueWidth = 48;

    /// <summary>Evidence keys naming the Istio resource that made a finding's resource, most specific first.</summary>
    private static readonly string[] IstioSourceKeys = ["istio_resource", "istio_config"];

    public static string Render(AnalysisResult result) => Render(result, verbose: false);

    public static string Render(AnalysisResult result, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        if (result.Proxy == ProxyKind.Linkerd2Proxy)
        {
            // Said first, so that a page of "not applicable" Envoy rules is never mistaken for a clean Envoy.
            sb.Append("Linkerd proxy (linkerd2-proxy").Append(result.ProxyVersion is { } v ? " " + v : "")
              .Append("): the Linkerd rules (EL6xxx) judge its /metrics; the Envoy rules do not apply.\n\n");
        }

        foreach (var group in result.Findings.GroupBy(f => f.Severity))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{AnalysisResult.Level(group.Key).ToUpperInvariant()} ({group.Count()})\n");
            var entries = verbose ? group.Select(f => new[] { f }).ToList() : Entries(group.ToList());
            foreach (var entry in entries)
            {
                if (entry.Length == 1)
                {
                    WriteFinding(sb, entry[0], verbose);
                }
                else
                {
                    WriteGroup(sb, entry);
                }
            }

            sb.Append('\n');
        }

        var notRun = result.Rules.Where(o => o.Status == AnalysisResult.NotRun).ToList();
        if (notRun.Count > 0 && verbose)
        {
            sb.Append("NOT RUN\n");
            foreach (var o in notRun)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {o.Id}  {result.Title(o.Id)}: {o.Reason}\n");
            }

            sb.Append('\n');
        }
        else if (notRun.Count > 0)
        {
            var rules = notRun.Count == 1 ? "1 rule needs" : string.Create(CultureInfo.InvariantCulture, $"{notRun.Count} rules need");
            var missing = Missing(result, notRun);
            var capture = missing.HasFlag(RuleInputs.ControlPlane) ? "`envoylens snapshot` (with --control-plane or --istiod)" : "`envoylens snapshot`";
            sb.Append(CultureInfo.InvariantCulture, $"NOT RUN: {rules} {Describe(missing)}: capture with {capture} to run them (-v lists them).\n\n");
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

    /// <summary>The Istio resource (e.g. <c>DestinationRule default/reviews</c>) a finding's evidence names, if any.</summary>
    public static string? IstioSource(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        foreach (var key in IstioSourceKeys)
        {
            if (finding.Evidence.TryGetValue(key, out var value) && value.Length > 0)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>
    /// The entries of one severity, in the order of their first finding: per rule, the findings sharing an Istio
    /// resource (two or more) as one entry each; the rule's other findings one by one, or as one entry when there are
    /// more than <see cref="RepeatThreshold"/>.
    /// </summary>
    internal static List<Finding[]> Entries(IReadOnlyList<Finding> findings)
    {
        var entries = new List<(int First, Finding[] Findings)>();
        var position = new Dictionary<Finding, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < findings.Count; i++)
        {
            position[findings[i]] = i;
        }

        foreach (var rule in findings.GroupBy(f => f.RuleId, StringComparer.Ordinal))
        {
            var rest = new List<Finding>();
            foreach (var bySource in rule.GroupBy(IstioSource, StringComparer.Ordinal))
            {
                var list = bySource.ToArray();
                if (bySource.Key is not null && list.Length > 1)
                {
                    entries.Add((position[list[0]], list));
                }
                else
                {
                    rest.AddRange(list);
                }
            }

            rest.Sort((a, b) => position[a].CompareTo(position[b]));
            if (rest.Count > RepeatThreshold)
            {
                entries.Add((position[rest[0]], [.. rest]));
            }
            else
            {
                entries.AddRange(rest.Select(f => (position[f], new[] { f })));
            }
        }

        return entries.OrderBy(e => e.First).Select(e => e.Findings).ToList();
    }

    private static string Where(Finding f) => f.Resource is { } r ? $"{r.Kind} {r.Name}" : "proxy";

    private static void WriteFinding(StringBuilder sb, Finding f, bool verbose)
    {
        sb.Append(CultureInfo.InvariantCulture, $"  {f.RuleId}  {Where(f)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"    {f.Message}\n");
        WritePlace(sb, f);
        WriteEvidence(sb, f, verbose);
        sb.Append(CultureInfo.InvariantCulture, $"    fix: {f.Remediation}\n");
    }

    private static void WriteGroup(StringBuilder sb, Finding[] findings)
    {
        var first = findings[0];
        var resources = findings.Select(Where).Distinct(StringComparer.Ordinal).ToList();
        var named = string.Join(", ", resources.Take(ResourcesShown));
        var more = resources.Count > ResourcesShown
            ? string.Create(CultureInfo.InvariantCulture, $" and {resources.Count - ResourcesShown} more")
            : "";
        var count = resources.Count == findings.Length
            ? string.Create(CultureInfo.InvariantCulture, $"{findings.Length} findings")
            : string.Create(CultureInfo.InvariantCulture, $"{findings.Length} findings in {resources.Count} resources");
        var source = IstioSource(first) is { } istio && findings.All(f => string.Equals(IstioSource(f), istio, StringComparison.Ordinal))
            ? $"{istio}: "
            : "";
        sb.Append(CultureInfo.InvariantCulture, $"  {first.RuleId}  {source}{count}: {named}{more}\n");
        sb.Append(CultureInfo.InvariantCulture, $"    first: {first.Message}\n");
        WritePlace(sb, first);
        WriteEvidence(sb, first, verbose: false);
        sb.Append(CultureInfo.InvariantCulture, $"    fix: {first.Remediation}\n");
    }

    private static void WritePlace(StringBuilder sb, Finding f)
    {
        if (!f.Pointer.IsRoot || f.Source is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"    at: {f.Source ?? ""}#{f.Pointer}\n");
        }
    }

    /// <summary>
    /// All the evidence when verbose; otherwise the pairs that fit in <see cref="EvidenceWidth"/> columns, long values
    /// shortened, and how many were left out.
    /// </summary>
    private static void WriteEvidence(StringBuilder sb, Finding f, bool verbose)
    {
        if (f.Evidence.Count == 0)
        {
            return;
        }

        const string Prefix = "    evidence: ";
        if (verbose)
        {
            sb.Append(Prefix).Append(string.Join(", ", f.Evidence.Select(e => $"{e.Key}={e.Value}"))).Append('\n');
            return;
        }

        var line = new StringBuilder(Prefix);
        var shown = 0;
        foreach (var (key, value) in f.Evidence)
        {
            var text = value.Length > EvidenceValueWidth ? $"{key}={value[..(EvidenceValueWidth - 3)]}..." : $"{key}={value}";
            var separator = shown == 0 ? "" : ", ";
            var left = f.Evidence.Count - shown - 1;
            var tail = left == 0 ? 0 : " (+N more, -v)".Length + 2;
            if (shown > 0 && line.Length + separator.Length + text.Length + tail > EvidenceWidth)
            {
                break;
            }

            line.Append(separator).Append(text);
            shown++;
        }

        if (shown < f.Evidence.Count)
        {
            line.Append(CultureInfo.InvariantCulture, $" (+{f.Evidence.Count - shown} more, -v)");
        }

        sb.Append(line).Append('\n');
    }

    /// <summary>What the rules that did not run need and the capture does not hold.</summary>
    private static RuleInputs Missing(AnalysisResult result, IEnumerable<AnalysisRuleResult> notRun)
    {
        var needed = RuleInputs.None;
        foreach (var o in notRun)
        {
            needed |= result.Descriptors.FirstOrDefault(d => string.Equals(d.Id, o.Id, StringComparison.Ordinal))?.Inputs ?? RuleInputs.None;
        }

        return needed & ~(result.Available ?? RuleInputs.None);
    }

    /// <summary><c>/stats, /server_info, /certs</c>: the admin paths of <paramref name="inputs"/>, in a fixed order.</summary>
    internal static string Describe(RuleInputs inputs)
    {
        var names = RuleInputNames.Of(inputs);
        return names.Length == 0 ? "inputs the capture does not hold" : string.Join(", ", names);
    }
}
