using EnvoyLens.Core;

namespace EnvoyLens.Rules.Engine;

/// <summary>
/// One analysis rule: a static <see cref="RuleDescriptor"/>, <see cref="AppliesTo"/> (is there anything for it to
/// look at?) and <see cref="Check"/> (what is wrong). Rules never mutate the snapshot.
/// </summary>
public interface IRule
{
    RuleDescriptor Descriptor { get; }

    /// <summary>Whether the rule has something to check in this snapshot; "not applicable" is an outcome, not a pass.</summary>
    Applicability AppliesTo(RuleContext context);

    /// <summary>The findings, with the descriptor's default severity (the runner applies overrides).</summary>
    IEnumerable<Finding> Check(RuleContext context);
}

/// <summary>The answer of <see cref="IRule.AppliesTo"/>: yes, or no with a reason a person can read.</summary>
public sealed record Applicability(bool Applies, string? Reason)
{
    public static Applicability Yes { get; } = new(true, null);

    public static Applicability No(string reason) => new(false, reason);

    public static Applicability When(bool condition, string reasonWhenNot) => condition ? Yes : No(reasonWhenNot);
}
