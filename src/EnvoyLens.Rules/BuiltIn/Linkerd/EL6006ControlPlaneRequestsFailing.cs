using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Linkerd;

/// <summary>EL6006: the proxy's requests to the control plane (destination, policy, identity) fail.</summary>
internal sealed class EL6006ControlPlaneRequestsFailing : IRule
{
    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL6006",
        Title = "Linkerd control-plane requests failing",
        Category = RuleCategory.Linkerd,
        DefaultSeverity = Severity.Error,
        MessageTemplate = "{failures} of {total} responses from the control plane at {address} failed {period} (server {server}; {statuses})",
        Rationale = "linkerd2-proxy asks the destination controller for endpoints and profiles, the policy controller for Servers and authorizations, and linkerd-identity for its certificate. When those fail the proxy serves stale or default policy, cannot discover new endpoints, and loses its identity when its certificate runs out.",
        Remediation = "Check that the linkerd-destination and linkerd-identity pods are ready and reachable from this pod (NetworkPolicies, DNS), and that their certificates are valid (`envoylens certs linkerd`, `linkerd check`).",
        Inputs = RuleInputs.LinkerdMetrics,
        Example = "3 of 10 responses from the control plane at linkerd-dst-headless.linkerd.svc.cluster.local:8086 failed since the proxy started (server linkerd-destination.linkerd.serviceaccount.identity.linkerd.cluster.local; grpc_status 14: 3)",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => LinkerdRule.AppliesTo(context) is { Applies: false } no ? no
        : Applicability.When(context.Linkerd!.ControlResponses.Count > 0, "the metrics have no control_response_total");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var linkerd = context.Linkerd!;
        var earlier = linkerd.Earlier?.ControlResponses;
        foreach (var group in linkerd.ControlResponses.GroupBy(c => c.Target ?? "(unknown address)").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var failed = group.Where(c => c.Classification == "failure").Select(c => (Count: c, Increase: LinkerdRule.Increase(c, earlier))).Where(c => c.Increase > 0).ToList();
            if (failed.Count == 0)
            {
                continue;
            }

            var total = group.Sum(c => LinkerdRule.Increase(c, earlier));
            var statuses = failed
                .GroupBy(f => f.Count.GrpcStatus is { } g ? "grpc_status " + g : f.Count.StatusCode is { } s ? "status_code " + s : f.Count.Label("error") is { } e ? "error " + e : "failure")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key + ": " + LinkerdRule.Number(g.Sum(f => f.Increase)));
            yield return LinkerdRule.Report(context, Definition, group.Key,
                Args.Of(("failures", LinkerdRule.Number(failed.Sum(f => f.Increase))), ("total", LinkerdRule.Number(total)), ("address", group.Key),
                    ("period", linkerd.Period), ("server", group.Select(c => c.ServerId).FirstOrDefault(s => s is not null) ?? "unknown"),
                    ("statuses", string.Join(", ", statuses))));
        }
    }
}
