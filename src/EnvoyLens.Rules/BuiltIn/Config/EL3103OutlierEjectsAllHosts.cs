using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Config;

/// <summary>EL3103: outlier detection may eject every host of a cluster (<c>max_ejection_percent: 100</c>).</summary>
internal sealed class EL3103OutlierEjectsAllHosts : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL3103",
        "Outlier detection may eject 100% of hosts",
        RuleCategory.Config,
        Severity.Warning,
        "Cluster {cluster} lets outlier detection eject up to {percent}% of its hosts",
        "When the upstream has a bad moment (a deploy, a dependency outage) every host returns errors and is ejected; with nothing left Envoy answers 503 UH until the ejection time passes, turning a short blip into an outage.",
        "Keep max_ejection_percent below 100 (Envoy's default is 10; Istio's outlierDetection.maxEjectionPercent), so some hosts always take traffic.",
        RuleInputs.ConfigDump)
    {
        Example = "Cluster api lets outlier detection eject up to 100% of its hosts",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(context.Snapshot.Clusters.Any(c => c.OutlierDetection is not null), "no cluster has outlier detection");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var cluster in context.Snapshot.Clusters)
        {
            if (cluster.OutlierDetection is not { MaxEjectionPercent: >= 100 } od)
            {
                continue;
            }

            yield return context.Report(Definition, cluster.Meta.Ref, od.Pointer.Append("max_ejection_percent"),
                Args.Of(("cluster", cluster.Name), ("percent", od.MaxEjectionPercent!.Value.ToString(CultureInfo.InvariantCulture))),
                Args.Of([("consecutive_5xx", od.Consecutive5xx?.ToString(CultureInfo.InvariantCulture) ?? "5 (default)"), .. Walk.Istio(cluster.Name, cluster.Metadata)]));
        }
    }
}
