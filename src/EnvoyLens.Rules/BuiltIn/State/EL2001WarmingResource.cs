using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.State;

/// <summary>EL2001: listeners, clusters or secrets stuck warming, and for how long.</summary>
internal sealed class EL2001WarmingResource : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL2001",
        "Resource is warming",
        RuleCategory.State,
        Severity.Warning,
        "{kind} {name} is warming {since}",
        "A warming listener does not accept traffic yet and a warming cluster is not used; warming that lasts more than a few seconds means a dependency (RDS, EDS, SDS, ECDS) never arrived.",
        "Find what the resource waits for: its route configuration, the endpoints of its cluster, an SDS secret or an ECDS config (see the reference rules EL1xxx), and why the control plane does not send it.",
        RuleInputs.ConfigDump)
    {
        Example = "Cluster api-canary is warming for 10m00s (since 2026-11-20T09:50:00Z)",
    };

    public RuleDescriptor Descriptor => Definition;

    private static IEnumerable<ResourceMeta> Warming(EnvoySnapshot s) =>
        s.Listeners.Select(l => l.Meta).Concat(s.Clusters.Select(c => c.Meta)).Concat(s.Secrets.Select(x => x.Meta))
            .Where(m => m.State == ResourceState.Warming);

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(context.Snapshot.Listeners.Count + context.Snapshot.Clusters.Count + context.Snapshot.Secrets.Count > 0, "the capture holds no listeners, clusters or secrets");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var now = context.Clock.GetUtcNow();
        foreach (var meta in Warming(context.Snapshot))
        {
            var since = meta.LastUpdated is { } at
                ? $"for {Walk.Duration(now - at)} (since {Walk.Instant(at)})"
                : "(since an unknown time)";
            yield return context.Report(Definition, meta.Ref, meta.Pointer,
                Args.Of(("kind", meta.Kind.ToString()), ("name", meta.Name), ("since", since)),
                meta.VersionInfo is { } v ? Args.Of(("version_info", v)) : null);
        }
    }
}
