using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.State;

/// <summary>
/// EL2007: the control plane reports that the proxy rejected (NACKed) a resource it sent (<c>control_plane.json</c>,
/// <c>proxy.types[].errors[]</c>), with the control plane's error text.
/// </summary>
internal sealed class EL2007ControlPlaneNack : IRule
{
    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL2007",
        Title = "Proxy rejected configuration from the control plane",
        Category = RuleCategory.State,
        DefaultSeverity = Severity.Error,
        MessageTemplate = "The proxy rejected (NACKed) the {type} resource {resource} sent by the control plane {control_plane}: {details}",
        Rationale = "A rejected resource is not applied: the proxy keeps serving the last version it accepted, so it silently diverges from what the control plane believes it runs until the configuration is fixed.",
        Remediation = "Read the error text, fix the resource in the control plane's input (for Istio: istioctl analyze, then the VirtualService, DestinationRule or EnvoyFilter that generates it), and check with envoylens status that the type is SYNCED again.",
        Inputs = RuleInputs.ControlPlane,
        Example = "The proxy rejected (NACKed) the LDS resource 0.0.0.0_9080 sent by the control plane istiod-7d9c8f6b5-abcde: Error adding/updating listener(s) 0.0.0.0_9080: duplicate filter chain match",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(context.ControlPlane?.Proxy.Types.Count > 0, "the control plane reports no xDS type for the proxy");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var view = context.ControlPlane!;
        for (var i = 0; i < view.Proxy.Types.Count; i++)
        {
            var type = view.Proxy.Types[i];
            for (var j = 0; j < type.Errors.Count; j++)
            {
                var error = type.Errors[j];
                var whole = error.Resource.Length == 0;
                var resource = whole ? ControlPlaneFindings.Proxy(view) : new ResourceRef(ControlPlaneFindings.KindOf(type.Type), error.Resource);
                var evidence = error.Version is { } v ? Args.Of(("rejected_version", v), ("node_id", view.NodeId)) : Args.Of(("node_id", view.NodeId));
                yield return context.Report(Definition, resource, ControlPlaneFindings.TypePointer(i).Append("errors").Append(j),
                    Args.Of(
                        ("type", ControlPlaneFindings.Name(type.Type)),
                        ("resource", whole ? "(the type as a whole)" : error.Resource),
                        ("control_plane", view.Proxy.ControlPlane),
                        ("details", error.Details.Length == 0 ? "(no error text)" : error.Details)),
                    evidence, view.Source);
            }
        }
    }
}
