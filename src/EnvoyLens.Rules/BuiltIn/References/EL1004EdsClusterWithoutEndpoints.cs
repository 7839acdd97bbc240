using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.References;

/// <summary>EL1004: an EDS cluster without a ClusterLoadAssignment, or with one that holds no endpoints.</summary>
internal sealed class EL1004EdsClusterWithoutEndpoints : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL1004",
        "EDS cluster has no endpoints",
        RuleCategory.References,
        Severity.Warning,
        "EDS cluster {cluster} has {problem}",
        "A cluster without endpoints answers every request with 503 and response flag UH (no healthy upstream); it is the usual sign of a Service without ready pods or a subset whose labels match no pod.",
        "Check that the service has ready endpoints (kubectl get endpointslices) and, for subset clusters, that the DestinationRule subset labels match running pods.",
        RuleInputs.ConfigDump)
    {
        OptionalInputs = RuleInputs.Clusters,
        Example = "EDS cluster api has no ClusterLoadAssignment for 'api'",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context)
    {
        var s = context.Snapshot;
        if (!s.Clusters.Any(c => c.Type == "EDS"))
        {
            return Applicability.No("the capture holds no EDS clusters");
        }

        return Applicability.When(s.LoadAssignments.Count > 0 || context.ClusterStatuses.Count > 0 || s.HasSection(ConfigSection.Endpoints),
            "the capture holds neither EDS (config_dump?include_eds) nor /clusters, so endpoints cannot be checked");
    }

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var s = context.Snapshot;
        foreach (var cluster in s.Clusters.Where(c => c.Type == "EDS"))
        {
            if (context.EndpointsOf(cluster).Any())
            {
                continue;
            }

            var problem = s.FindLoadAssignment(cluster.EndpointKey) is null
                ? $"no ClusterLoadAssignment for '{cluster.EndpointKey}'"
                : "a ClusterLoadAssignment with zero endpoints";
            yield return context.Report(Definition, cluster.Meta.Ref, cluster.Meta.Pointer,
                Args.Of(("cluster", cluster.Name), ("problem", problem)),
                Args.Of([("eds_service", cluster.EndpointKey), .. Walk.Istio(cluster.Name, cluster.Metadata)]));
        }
    }
}
