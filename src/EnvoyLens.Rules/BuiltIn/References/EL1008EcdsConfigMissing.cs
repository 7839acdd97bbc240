using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.References;

/// <summary>EL1008: an HTTP filter takes its config from ECDS but the proxy holds no such extension config.</summary>
internal sealed class EL1008EcdsConfigMissing : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL1008",
        "ECDS filter config referenced but absent",
        RuleCategory.References,
        Severity.Error,
        "HTTP filter {filter} of listener {listener} waits for ECDS config '{ecds}', which the proxy does not have",
        "Until the extension config arrives the listener stays warming, or (with a default config) the filter runs with defaults the user did not choose; for WasmPlugins this is a module that failed to fetch or load.",
        "Check the ECDS source (for Istio: the WasmPlugin / EnvoyFilter and the agent's Wasm fetch logs) and the filter's config_discovery resource name.",
        RuleInputs.ConfigDump)
    {
        Example = "HTTP filter rbac-policy of listener http_8080 waits for ECDS config 'rbac-policy', which the proxy does not have",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(Walk.Hcms(context.Snapshot).Any(h => h.Hcm.HttpFilters.Any(f => f.EcdsResourceNames.Count > 0)), "no HTTP filter takes its config from ECDS");

    public IEnumerable<Finding> Check(RuleContext context) =>
        from site in Walk.Hcms(context.Snapshot)
        from filter in site.Hcm.HttpFilters
        from name in filter.EcdsResourceNames
        where context.Snapshot.FindEcds(name) is null
        select context.Report(Definition, site.Listener.Meta.Ref, filter.Extension.Pointer,
            Args.Of(("filter", filter.Name), ("listener", site.Listener.Name), ("ecds", name)),
            Args.Of(("filter_chain", Walk.Describe(site.Listener, site.Chain)), ("optional", filter.IsOptional ? "true" : "false")));
}
