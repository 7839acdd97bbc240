using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;
using EnvoyLens.Trace;

namespace EnvoyLens.Rules.BuiltIn.Config;

/// <summary>
/// EL3008: on an inbound listener, every filter chain that serves a port carries an RBAC filter that denies every
/// peer and every request (an ALLOW set no policy of which can match, or a DENY set that matches everything), so no
/// caller can reach the workload on that port. The RBAC sets are judged by the tracer's RBAC evaluation with every
/// condition unknown (<see cref="RequestTracer.DeniesEveryone"/>).
/// </summary>
internal sealed class EL3008InboundPortDeniesEveryone : IRule
{
    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL3008",
        Title = "Inbound port denies every caller",
        Category = RuleCategory.Config,
        DefaultSeverity = Severity.Warning,
        MessageTemplate = "Port {port} of inbound listener {listener} denies every caller: {filter} of filter chain {filter_chain} {why}",
        Rationale = "Whoever connects to the port, Envoy answers 403 (HTTP) or closes the connection (TCP) with rbac_access_denied_matched_policy; for Istio this is what an AuthorizationPolicy with an empty rule list, or a DENY policy on everything, produces, and it is often a policy applied to the wrong workload.",
        Remediation = "Check the AuthorizationPolicies selecting this workload (istioctl x authz check POD): an ALLOW policy without rules allows nothing; add the rules for the callers that must get through, or remove the policy.",
        Inputs = RuleInputs.ConfigDump,
        Example = "Port 9080 of inbound listener virtualInbound denies every caller: envoy.filters.http.rbac of filter chain 0.0.0.0_9080 has action ALLOW and no policies",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(context.Snapshot.Listeners.Any(IsInbound), "no inbound listener (traffic_direction INBOUND or virtualInbound)");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var listener in context.Snapshot.Listeners.Where(IsInbound))
        {
            var chainsByPort = listener.AllFilterChains
                .Where(c => c.Match.DestinationPort is not null)
                .GroupBy(c => c.Match.DestinationPort!.Value)
                .OrderBy(g => g.Key);
            foreach (var port in chainsByPort)
            {
                var denials = port.Select(chain => (Chain: chain, Denial: Denial(chain))).ToList();
                if (denials.Any(d => d.Denial is null))
                {
                    continue;
                }

                var (chain, (filter, why)) = (denials[0].Chain, denials[0].Denial!.Value);
                yield return context.Report(Definition, listener.Meta.Ref, chain.Pointer,
                    Args.Of(
                        ("port", port.Key.ToString(CultureInfo.InvariantCulture)),
                        ("listener", listener.Name),
                        ("filter", filter),
                        ("filter_chain", Walk.Describe(listener, chain)),
                        ("why", why)),
                    Args.Of(("filter_chains", denials.Count.ToString(CultureInfo.InvariantCulture))));
            }
        }
    }

    private static bool IsInbound(Listener listener) => listener.TrafficDirection == "INBOUND" || listener.Name == "virtualInbound";

    /// <summary>The first RBAC filter of the chain that denies everyone, and why; null when none does.</summary>
    private static (string Filter, string Why)? Denial(FilterChain chain)
    {
        foreach (var filter in chain.Filters)
        {
            var configs = filter.Rbac.Select(c => (filter.Name, Config: c))
                .Concat(filter.HttpConnectionManager?.HttpFilters.Where(h => !h.Disabled).SelectMany(h => h.Rbac.Select(c => (h.Name, Config: c))) ?? []);
            foreach (var (name, config) in configs)
            {
                if (RequestTracer.DeniesEveryone(config))
                {
                    return (name, config.Action == "ALLOW"
                        ? $"has action ALLOW and {(config.Policies.Count == 0 ? "no policies" : "no policy that can match")}"
                        : "has action DENY and a policy that matches every request");
                }
            }
        }

        return null;
    }
}
