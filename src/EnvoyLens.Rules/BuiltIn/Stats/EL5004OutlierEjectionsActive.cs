using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Stats;

/// <summary>EL5004: hosts are ejected by outlier detection right now (gauge <c>outlier_detection.ejections_active</c>).</summary>
internal sealed class EL5004OutlierEjectionsActive : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL5004",
        "Outlier ejections active",
        RuleCategory.Stats,
        Severity.Warning,
        "Cluster {cluster} has {ejected} host(s) ejected by outlier detection right now",
        "An ejected host returned consecutive errors (5xx, gateway errors or local origin failures) and takes no traffic for base_ejection_time × ejections; the remaining hosts carry its load.",
        "Find the ejected hosts in /clusters (failed_outlier_check) and look at their logs; if the errors are expected (a 404-heavy API), tune outlier detection (consecutive_5xx, Istio outlierDetection).",
        RuleInputs.Stats | RuleInputs.ConfigDump)
    {
        OptionalInputs = RuleInputs.Clusters,
        Example = "Cluster outbound|9080||api.default.svc.cluster.local has 1 host(s) ejected by outlier detection right now",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => StatsRule.AppliesTo(context);

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var names = StatsNames.For(context);
        foreach (var s in names.Find(context.Stats!, StatScope.Cluster, "outlier_detection.ejections_active")
                     .Where(s => s.Stat.Value > 0).OrderBy(s => s.Owner, StringComparer.Ordinal))
        {
            yield return StatsRule.Report(context, names, Definition, s,
                Args.Of(("cluster", s.Owner), ("ejected", Walk.Number(s.Stat.Value!.Value))),
                [("stat", s.Stat.Name)]);
        }
    }
}
