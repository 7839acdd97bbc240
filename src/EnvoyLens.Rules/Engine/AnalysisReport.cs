using EnvoyLens.Core;

namespace EnvoyLens.Rules.Engine;

/// <summary>What happened to one rule in a run.</summary>
public enum RuleStatus
{
    /// <summary>Checked, nothing found.</summary>
    Passed,

    /// <summary>Checked, findings reported.</summary>
    Failed,

    /// <summary>Its inputs were present but there was nothing for it to check (no aggregate clusters, say).</summary>
    NotApplicable,

    /// <summary>An input it reads was not captured (no stats in a file-only run, say).</summary>
    NotRun,

    /// <summary>Turned off (by default or by the user).</summary>
    Disabled,

    /// <summary>It threw; an internal-error finding names it.</summary>
    InternalError,
}

/// <summary>The outcome of one rule: status, the reason when it did not run or apply, and how many findings it made.</summary>
public sealed record RuleOutcome(string RuleId, RuleStatus Status, string? Reason, int FindingCount);

/// <summary>The user's choices: rules to turn on (off by default) or off, and severity overrides per rule id.</summary>
public sealed record AnalysisOptions
{
    public static AnalysisOptions Default { get; } = new();

    public IReadOnlySet<string> Enable { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public IReadOnlySet<string> Disable { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, Severity> SeverityOverrides { get; init; } = new Dictionary<string, Severity>(StringComparer.Ordinal);
}

/// <summary>The result of a run: findings in report order and one outcome per catalog rule, by id.</summary>
public sealed record AnalysisReport(IReadOnlyList<Finding> Findings, IReadOnlyList<RuleOutcome> Outcomes)
{
    public int Count(Severity severity) => Findings.Count(f => f.Severity == severity);

    /// <summary>True when a finding is at or above <paramref name="threshold"/>.</summary>
    public bool HasFindingsAtOrAbove(Severity threshold) => Findings.Any(f => f.Severity >= threshold);
}
