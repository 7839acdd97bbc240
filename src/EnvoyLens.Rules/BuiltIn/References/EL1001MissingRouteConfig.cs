using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.References;

/// <summary>EL1001: an HCM asks RDS for a route configuration the proxy does not hold.</summary>
internal sealed class EL1001MissingRouteConfig : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL1001",
        "HCM names a route configuration that does not exist",
        RuleCategory.References,
        Severity.Error,
        "Listener {listener} asks RDS for route configuration '{route_config}', which the proxy does not have",
        "Until the named RouteConfiguration arrives, the listener's HTTP connection manager has no routes: every request gets a 404 (NR) and the listener may stay warming.",
        "Make the control plane serve the route configuration (for Istio: a Service/VirtualService on that port, or a Sidecar egress entry that includes it), or point the listener at an existing one.",
        RuleInputs.ConfigDump)
    {
        Example = "Listener http_8080 asks RDS for route configuration 'missing-routes', which the proxy does not have",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        !Walk.Hcms(context.Snapshot).Any(h => h.Hcm.RdsRouteConfigName is not null) ? Applicability.No("no HTTP connection manager uses RDS")
        : Applicability.When(context.Snapshot.HasSection(ConfigSection.Routes), "the config dump holds no routes section, so RDS references cannot be checked");

    public IEnumerable<Finding> Check(RuleContext context) =>
        from site in Walk.Hcms(context.Snapshot)
        let name = site.Hcm.RdsRouteConfigName
        where name is not null && context.Snapshot.FindRouteConfig(name) is null
        select context.Report(Definition, site.Listener.Meta.Ref, site.Hcm.Pointer.Append("rds"),
            Args.Of(("listener", site.Listener.Name), ("route_config", name)),
            Args.Of(("filter_chain", Walk.Describe(site.Listener, site.Chain))));
}
