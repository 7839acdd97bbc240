using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.State;

/// <summary>EL2003: <c>update_rejected</c> / <c>update_failure</c> counters above zero, per xDS subscription.</summary>
internal sealed class EL2003XdsUpdateRejectedStats : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL2003",
        "xDS updates rejected or failed (stats)",
        RuleCategory.State,
        Severity.Warning,
        "{xds_type} subscription counter {stat} is {value}: {meaning}",
        "update_rejected counts configs the proxy refused (NACKs); update_failure counts failed fetches (stream errors, timeouts). Either means the proxy may run older config than the control plane thinks.",
        "For rejections look for error_state in the config dump (EL2002) and the control plane's NACK log; for failures check the proxy's connection to the control plane.",
        RuleInputs.Stats)
    {
        Example = "LDS subscription counter listener_manager.lds.update_rejected is 3: the proxy rejected configuration it was sent",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(context.Stats is { Stats.Count: > 0 }, "the stats sample is empty");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var stats = context.Stats!;
        var hits = Walk.NonZero(stats, ".update_rejected").Select(s => (Stat: s, Meaning: "the proxy rejected configuration it was sent"))
            .Concat(Walk.NonZero(stats, ".update_failure").Select(s => (Stat: s, Meaning: "fetching configuration failed")));
        foreach (var (stat, meaning) in hits.DistinctBy(h => h.Stat.Name))
        {
            yield return Walk.StatsFinding(context, Definition, stat,
                Args.Of(("xds_type", XdsType(stat.Name)), ("stat", stat.Name), ("value", Walk.Number(stat.Value!.Value)), ("meaning", meaning)));
        }
    }

    /// <summary>The xDS API a subscription stat belongs to, from Envoy's stat prefixes.</summary>
    internal static string XdsType(string name)
    {
        var n = name.Replace('_', '.');
        return n.StartsWith("cluster.manager.cds.", StringComparison.Ordinal) || n.StartsWith("envoy.cluster.manager.cds.", StringComparison.Ordinal) ? "CDS"
            : n.StartsWith("listener.manager.lds.", StringComparison.Ordinal) || n.StartsWith("envoy.listener.manager.lds.", StringComparison.Ordinal) ? "LDS"
            : n.Contains(".rds.", StringComparison.Ordinal) ? "RDS"
            : n.StartsWith("sds.", StringComparison.Ordinal) || n.StartsWith("envoy.sds.", StringComparison.Ordinal) ? "SDS"
            : n.Contains("extension.config.discovery", StringComparison.Ordinal) ? "ECDS"
            : n.StartsWith("cluster.", StringComparison.Ordinal) || n.StartsWith("envoy.cluster.", StringComparison.Ordinal) ? "EDS"
            : "xDS";
    }
}
