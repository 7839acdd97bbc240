using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Config;

/// <summary>EL3001: two listeners that bind the same address and port.</summary>
internal sealed class EL3001DuplicateListenerAddress : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL3001",
        "Two listeners bound to the same address and port",
        RuleCategory.Config,
        Severity.Error,
        "Listener {listener} binds {address}, which listener {other} already binds",
        "Envoy refuses a listener whose address is taken by another bound listener, so the second one never serves (its update is rejected, or it stays warming).",
        "Give one of the listeners another port, set bind_to_port: false on the one that only receives redirected traffic, or merge their filter chains into one listener.",
        RuleInputs.ConfigDump)
    {
        Example = "Listener http_8080_copy binds 0.0.0.0:8080, which listener http_8080 already binds",
    };

    public RuleDescriptor Descriptor => Definition;

    private static IEnumerable<(Listener Listener, SocketAddress Address)> Bound(EnvoySnapshot s) =>
        from l in s.Listeners
        where l.Meta.State != ResourceState.Draining && l.BindToPort != false
        from a in (l.Address is null ? [] : new[] { l.Address }).Concat(l.AdditionalAddresses)
        where a.Kind == "socket" && a.Port is not null && a.Port != 0
        select (l, a);

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(Bound(context.Snapshot).Any(), "no listener binds a socket address");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var first = new Dictionary<string, Listener>(StringComparer.Ordinal);
        foreach (var (listener, address) in Bound(context.Snapshot))
        {
            var key = $"{address.Protocol}:{address}";
            if (!first.TryGetValue(key, out var other))
            {
                first[key] = listener;
                continue;
            }

            if (!string.Equals(other.Name, listener.Name, StringComparison.Ordinal))
            {
                yield return context.Report(Definition, listener.Meta.Ref, listener.Meta.Pointer,
                    Args.Of(("listener", listener.Name), ("address", address.ToString()), ("other", other.Name)),
                    Args.Of(("protocol", address.Protocol)));
            }
        }
    }
}
