using EnvoyLens.Core;

namespace EnvoyLens.Rules.Engine;

/// <summary>EL0001: not a check but the finding the runner reports when a rule throws.</summary>
public static class InternalErrorRule
{
    public static RuleDescriptor Descriptor { get; } = new()
    {
        Id = "EL0001",
        Title = "A rule failed internally",
        Category = RuleCategory.Engine,
        DefaultSeverity = Severity.Error,
        MessageTemplate = "Rule {rule} failed internally and its checks were skipped: {error}",
        Rationale = "A bug in one rule must not hide what the other rules found, so the run goes on and says which rule did not run.",
        Remediation = "Report this as an EnvoyLens bug with the input that triggers it; meanwhile the other findings stand.",
        Inputs = RuleInputs.None,
    };

    internal static Finding For(string ruleId, Exception e, RuleContext context)
    {
        var error = $"{e.GetType().Name}: {e.Message}";
        var args = Args.Of(("rule", ruleId), ("error", error));
        return new Finding(Descriptor.Id, Descriptor.DefaultSeverity, null, JsonPointer.Root, Descriptor.Render(args), Descriptor.Remediation, args, Args.None)
        {
            Source = context.ConfigSource,
        };
    }
}
