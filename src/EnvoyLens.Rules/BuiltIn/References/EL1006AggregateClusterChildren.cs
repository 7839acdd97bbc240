using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.References;

/// <summary>EL1006: an aggregate cluster whose child clusters are missing, or all without a healthy host.</summary>
internal sealed class EL1006AggregateClusterChildren : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL1006",
        "Aggregate cluster has missing or unhealthy children",
        RuleCategory.References,
        Severity.Error,
        "Aggregate cluster {cluster}: {problem} ({children})",
        "An aggregate cluster fails over between its children in order; a missing child is skipped silently and when no child has a healthy host every request fails with 503.",
        "Create the missing child clusters or remove them from the aggregate cluster's list, and make sure at least one child has healthy endpoints.",
        RuleInputs.ConfigDump)
    {
        OptionalInputs = RuleInputs.Clusters,
        Example = "Aggregate cluster api-failover: a child cluster does not exist (api-dr)",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(context.Snapshot.Clusters.Any(c => c.AggregateClusters.Count > 0), "the capture holds no aggregate clusters");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var s = context.Snapshot;
        foreach (var cluster in s.Clusters.Where(c => c.AggregateClusters.Count > 0))
        {
            var missing = cluster.AggregateClusters.Where(c => s.FindCluster(c) is null).ToList();
            if (missing.Count > 0)
            {
                yield return context.Report(Definition, cluster.Meta.Ref, cluster.Meta.Pointer,
                    Args.Of(("cluster", cluster.Name), ("problem", missing.Count == 1 ? "a child cluster does not exist" : "child clusters do not exist"), ("children", string.Join(", ", missing))),
                    Args.Of(Walk.Istio(cluster.Name, cluster.Metadata)));
                continue;
            }

            var children = cluster.AggregateClusters.Select(c => (Name: c, Hosts: Walk.Hosts(context, s.FindCluster(c)!))).ToList();
            if (children.All(c => c.Hosts.Count > 0 && !c.Hosts.Any(h => h.Usable)))
            {
                yield return context.Report(Definition, cluster.Meta.Ref, cluster.Meta.Pointer,
                    Args.Of(("cluster", cluster.Name), ("problem", "no child cluster has a healthy endpoint"), ("children", string.Join(", ", cluster.AggregateClusters))),
                    Args.Of(Walk.Istio(cluster.Name, cluster.Metadata)));
            }
        }
    }
}
