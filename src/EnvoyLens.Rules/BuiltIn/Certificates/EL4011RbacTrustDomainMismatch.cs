using EnvoyLens.Certs.Compare;
using EnvoyLens.Certs.Spiffe;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

/// <summary>
/// EL4011: an ALLOW policy of a listener's RBAC filter only admits SPIFFE principals of trust domains other than the
/// proxy's own (from <c>/certs</c> or MESH_ID like EL3102, else the workload certificate's SPIFFE ID). Principals
/// under a <c>not_id</c> and DENY policies are left alone: excluding a foreign domain is harmless.
/// </summary>
internal sealed class EL4011RbacTrustDomainMismatch : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL4011",
        "RBAC principals name another trust domain",
        RuleCategory.Certificates,
        Severity.Warning,
        "RBAC policy '{policy}' on listener {listener} only admits principals of trust domain {trust_domains}, but this proxy belongs to {own_trust_domain}",
        "An RBAC principal_name is matched against the peer certificate's SPIFFE ID. Peers of this mesh present IDs of its own trust domain, so a policy that names only another domain rejects all of them (403 RBAC: access denied, or a reset TCP connection) unless the mesh really federates with that domain.",
        "Check the mesh's trustDomain and trustDomainAliases (Istio: meshConfig) against the AuthorizationPolicy's principals; after a trust domain migration, keep the old domain as an alias until every workload has a new certificate.",
        RuleInputs.ConfigDump)
    {
        OptionalInputs = RuleInputs.Certs,
        Example = "RBAC policy 'ns[default]-policy[allow-api]-rule[0]' on listener virtualInbound only admits principals of trust domain other.example, but this proxy belongs to cluster.local",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context)
    {
        if (OwnTrustDomain(context) is null)
        {
            return Applicability.No("the proxy's own trust domain is unknown (no SPIFFE id in /certs or the workload certificate, no MESH_ID node metadata)");
        }

        return Applicability.When(Policies(context.Snapshot).Any(p => p.Domains.Count > 0), "no RBAC ALLOW policy names a SPIFFE principal");
    }

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var (own, from) = OwnTrustDomain(context)!.Value;
        foreach (var (filter, policy, domains) in Policies(context.Snapshot))
        {
            if (domains.Count == 0 || domains.Contains(own))
            {
                continue;
            }

            yield return context.Report(Definition, filter.Listener.Meta.Ref, policy.Pointer,
                Args.Of(("policy", policy.Name), ("listener", filter.Listener.Name), ("trust_domains", string.Join(", ", domains)), ("own_trust_domain", own)),
                Args.Of(("own_trust_domain_from", from), ("filter", filter.Label),
                    ("principals", string.Join(", ", policy.PrincipalNames.Where(n => !n.Negated).Select(n => n.Matcher)))));
        }
    }

    /// <summary>EL3102's source of the proxy's trust domain, else the SPIFFE ID of the workload certificate.</summary>
    private static (string Domain, string From)? OwnTrustDomain(RuleContext context)
    {
        if (Walk.OwnTrustDomain(context) is { } own)
        {
            return own;
        }

        var id = CertRule.Inventory(context).WorkloadChain?.Leaf?.SpiffeId;
        return id is not null && SpiffeId.TrustDomainOf(id) is { } domain ? (domain, "the SPIFFE ID of the workload certificate") : null;
    }

    /// <summary>Every ALLOW policy of an enforced RBAC filter with the trust domains its plain (not negated) exact/prefix SPIFFE principals name.</summary>
    private static IEnumerable<(RbacFilterRef Filter, RbacPolicy Policy, SortedSet<string> Domains)> Policies(EnvoySnapshot snapshot) =>
        RbacEvaluation.Filters(snapshot)
            .Where(f => f.Config.Action == "ALLOW")
            .SelectMany(f => f.Config.Policies.Select(p => (f, p, new SortedSet<string>(
                p.PrincipalNames.Where(n => !n.Negated && n.Matcher.Kind is "exact" or "prefix").Select(n => SpiffeId.TrustDomainOf(n.Matcher.Value)).OfType<string>(),
                StringComparer.Ordinal))));
}
