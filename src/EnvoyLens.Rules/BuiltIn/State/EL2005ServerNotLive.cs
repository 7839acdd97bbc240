using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.State;

/// <summary>EL2005: the server is not LIVE, or (when /init_dump was read) init targets are not ready.</summary>
internal sealed class EL2005ServerNotLive : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL2005",
        "Server not LIVE or init targets not ready",
        RuleCategory.State,
        Severity.Error,
        "The proxy is not ready: {problem}",
        "Until initialization completes Envoy does not open its listeners (PRE_INITIALIZING / INITIALIZING) and the pod stays not ready; DRAINING means it is shutting down.",
        "Look at what initialization waits for (the init targets named here: usually the first CDS/LDS response, an EDS or SDS resource) and why the control plane has not sent it.",
        RuleInputs.ServerInfo)
    {
        OptionalInputs = RuleInputs.InitDump,
        Example = "The proxy is not ready: server state is PRE_INITIALIZING, not LIVE",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => Applicability.When(context.ServerInfo is not null, "no /server_info was decoded");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var info = context.ServerInfo!;
        var resource = new ResourceRef(ResourceKind.ServerInfo, "server_info");
        if (!string.Equals(info.State, "LIVE", StringComparison.Ordinal))
        {
            yield return context.Report(Definition, resource, JsonPointer.Root.Append("state"),
                Args.Of(("problem", $"server state is {info.State ?? "unknown"}, not LIVE")),
                Args.Of(("state", info.State ?? "")), source: info.Source);
        }

        foreach (var target in context.InitTargets.Where(t => t.Targets.Count > 0).OrderBy(t => t.Manager, StringComparer.Ordinal))
        {
            yield return context.Report(Definition, resource, JsonPointer.Root,
                Args.Of(("problem", $"init manager '{target.Manager}' waits for {string.Join(", ", target.Targets)}")),
                Args.Of(("manager", target.Manager)), source: "/init_dump");
        }
    }
}
