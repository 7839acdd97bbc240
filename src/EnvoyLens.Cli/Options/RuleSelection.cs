using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Cli.Options;

/// <summary><c>analyze --enable ID</c>, <c>--disable ID</c> and <c>--severity ID=LEVEL</c> as the runner's rule selection.</summary>
internal static class RuleSelection
{
    /// <summary>Builds the rule selection, checking every id against the catalog.</summary>
    public static AnalysisOptions Parse(IEnumerable<string> enable, IEnumerable<string> disable, IEnumerable<string> severity)
    {
        var enabled = enable.Select(id => RuleId(id, "--enable")).ToHashSet(StringComparer.Ordinal);
        var disabled = disable.Select(id => RuleId(id, "--disable")).ToHashSet(StringComparer.Ordinal);
        var both = enabled.Intersect(disabled, StringComparer.Ordinal).Order(StringComparer.Ordinal).FirstOrDefault();
        if (both is not null)
        {
            throw new EnvoyLensException($"rule {both} is named in both --enable and --disable; name it in one of them.");
        }

        var overrides = new Dictionary<string, Severity>(StringComparer.Ordinal);
        foreach (var item in severity)
        {
            var (id, level) = Severities.Override(item);
            overrides[RuleId(id, "--severity")] = level;
        }

        return new AnalysisOptions { Enable = enabled, Disable = disabled, SeverityOverrides = overrides };
    }

    private static string RuleId(string id, string option)
    {
        var normalized = id.Trim().ToUpperInvariant();
        return RulePacks.Catalog.Rules.Any(r => r.Descriptor.Id == normalized)
            ? normalized
            : throw new EnvoyLensException($"{option} names '{id}', which is not a rule id; run 'envoylens rules' to list the rules.");
    }
}
