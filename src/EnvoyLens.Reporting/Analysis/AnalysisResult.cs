using EnvoyLens.Core;

namespace EnvoyLens.Reporting.Analysis;

/// <summary>How one rule ended in a run: <c>passed</c>, <c>failed</c>, <c>notApplicable</c>, <c>notRun</c>, <c>disabled</c> or <c>internalError</c>.</summary>
public sealed record AnalysisRuleResult(string Id, string Status, string? Reason, int Findings);

/// <summary>
/// What the analysis renderers (text, JSON, SARIF) draw: findings in report order, one result per rule of the run, the
/// descriptors of those rules (for titles, SARIF <c>rules[]</c>), and the findings a baseline hid.
/// </summary>
public sealed record AnalysisResult(
    string Origin,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<AnalysisRuleResult> Rules,
    IReadOnlyList<RuleDescriptor> Descriptors)
{
    /// <summary>The baseline file given with <c>--baseline</c>, when one was.</summary>
    public string? Baseline { get; init; }

    /// <summary>The inputs the capture held (so the rules that did not run can say what they need); null when not known.</summary>
    public RuleInputs? Available { get; init; }

    /// <summary>The kind of proxy the capture is of.</summary>
    public ProxyKind Proxy { get; init; }

    /// <summary>The proxy's version when the capture says it; null when not known.</summary>
    public string? ProxyVersion { get; init; }

    /// <summary>How many findings the baseline already held (and were left out of <see cref="Findings"/>).</summary>
    public int BaselineSuppressed { get; init; }

    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string NotApplicable = "notApplicable";
    public const string NotRun = "notRun";
    public const string Disabled = "disabled";
    public const string InternalError = "internalError";

    /// <summary>Every status, in the order summaries list them.</summary>
    public static IReadOnlyList<string> Statuses { get; } = [Passed, Failed, NotApplicable, NotRun, Disabled, InternalError];

    public int Count(Severity severity) => Findings.Count(f => f.Severity == severity);

    public int CountRules(string status) => Rules.Count(r => string.Equals(r.Status, status, StringComparison.Ordinal));

    public string Title(string id) =>
        Descriptors.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.Ordinal))?.Title ?? id;

    /// <summary><c>error</c>, <c>warning</c>, <c>info</c>.</summary>
    public static string Level(Severity severity) => severity.ToString().ToLowerInvariant();
}
