using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.State;

/// <summary>EL2004: the proxy is not connected to its control plane (<c>control_plane.connected_state</c> is 0).</summary>
internal sealed class EL2004ControlPlaneDisconnected : IRule
{
    internal const string StatName = "control_plane.connected_state";

    public static RuleDescriptor Definition { get; } = new(
        "EL2004",
        "Not connected to the control plane",
        RuleCategory.State,
        Severity.Error,
        "The proxy is not connected to its control plane ({stat} is {value})",
        "A disconnected proxy keeps serving its last config but receives no new endpoints, routes or certificates: it drifts from the mesh and its certificates eventually expire.",
        "Check the proxy's xDS cluster (for Istio: istiod's address, discoveryAddress in the mesh config, network policy and istiod's health) and the proxy logs for gRPC stream errors.",
        RuleInputs.Stats)
    {
        Example = "The proxy is not connected to its control plane (control_plane.connected_state is 0)",
    };

    public RuleDescriptor Descriptor => Definition;

    private static Model.Stat? Find(RuleContext context) =>
        context.Stats?.Get(StatName) ?? context.Stats?.Get("envoy_control_plane_connected_state");

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(Find(context) is not null, $"the stats hold no {StatName} (the proxy has no ADS/xDS control plane)");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var stat = Find(context)!;
        if (stat.Value is 0)
        {
            yield return Walk.StatsFinding(context, Definition, stat, Args.Of(("stat", stat.Name), ("value", Walk.Number(0))));
        }
    }
}
