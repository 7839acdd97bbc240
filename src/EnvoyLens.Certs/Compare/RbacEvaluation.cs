using EnvoyLens.Model;

namespace EnvoyLens.Certs.Compare;

/// <summary>One enforced RBAC filter of a listener: where it sits and its rules.</summary>
public sealed record RbacFilterRef(Listener Listener, FilterChain Chain, string FilterName, RbacConfig Config)
{
    /// <summary><c>envoy.filters.network.rbac on listener L chain C</c>.</summary>
    public string Label => $"{FilterName} on listener {Listener.Name} chain {Chain.Name ?? Chain.Pointer.Value}";
}

/// <summary>What one RBAC filter decides for a peer identity: admitted (true), denied (false) or unknown (null), and why.</summary>
public sealed record RbacDecision(RbacFilterRef Filter, bool? Admits, string? Policy, string Reason);

/// <summary>
/// Evaluates the principals of RBAC filters against a peer's SPIFFE ID (its URI SAN, which is what an
/// <c>authenticated.principal_name</c> matcher sees). Permissions (ports, paths, methods) are not evaluated: every
/// policy is taken to cover the request. Identifiers other than any / authenticated / and_ids / or_ids / not_id make
/// the answer unknown.
/// </summary>
public static class RbacEvaluation
{
    /// <summary>Every enforced (non-shadow) RBAC rule set on the listeners: network filters, then enabled HTTP filters of their HCMs.</summary>
    public static IEnumerable<RbacFilterRef> Filters(EnvoySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var listener in snapshot.Listeners.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            foreach (var chain in listener.AllFilterChains)
            {
                foreach (var filter in chain.Filters)
                {
                    foreach (var config in filter.Rbac.Where(c => !c.Shadow))
                    {
                        yield return new RbacFilterRef(listener, chain, filter.Name, config);
                    }

                    foreach (var http in filter.HttpConnectionManager?.HttpFilters.Where(h => !h.Disabled) ?? [])
                    {
                        foreach (var config in http.Rbac.Where(c => !c.Shadow))
                        {
                            yield return new RbacFilterRef(listener, chain, http.Name, config);
                        }
                    }
                }
            }
        }
    }

    /// <summary>What <paramref name="filter"/> decides for a peer presenting <paramref name="spiffeId"/>.</summary>
    public static RbacDecision Evaluate(RbacFilterRef filter, string spiffeId)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(spiffeId);
        var config = filter.Config;
        var results = config.Policies.Select(p => (Policy: p, Match: Matches(p, spiffeId))).ToList();
        var hit = results.FirstOrDefault(r => r.Match == true).Policy;
        var unknown = results.FirstOrDefault(r => r.Match is null).Policy;
        switch (config.Action)
        {
            case "ALLOW":
                if (hit is not null)
                {
                    return new RbacDecision(filter, true, hit.Name, $"ALLOW policy '{hit.Name}' of {filter.Label} admits '{spiffeId}'");
                }

                return unknown is not null
                    ? new RbacDecision(filter, null, unknown.Name, $"ALLOW policy '{unknown.Name}' of {filter.Label} uses principals EnvoyLens does not evaluate")
                    : new RbacDecision(filter, false, null, $"no ALLOW policy of {filter.Label} ({config.Policies.Count} {(config.Policies.Count == 1 ? "policy" : "policies")}) matches '{spiffeId}'");
            case "DENY":
                if (hit is not null)
                {
                    return new RbacDecision(filter, false, hit.Name, $"DENY policy '{hit.Name}' of {filter.Label} matches '{spiffeId}'");
                }

                return unknown is not null
                    ? new RbacDecision(filter, null, unknown.Name, $"DENY policy '{unknown.Name}' of {filter.Label} uses principals EnvoyLens does not evaluate")
                    : new RbacDecision(filter, true, null, $"no DENY policy of {filter.Label} matches '{spiffeId}'");
            default:
                return new RbacDecision(filter, true, null, $"{filter.Label} only logs ({config.Action})");
        }
    }

    /// <summary>Whether any principal of the policy matches the identity; null when that depends on an identifier not evaluated.</summary>
    public static bool? Matches(RbacPolicy policy, string spiffeId)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return RbacLogic.Or(policy.Principals.Select(p => Matches(p, spiffeId)));
    }

    /// <summary>Whether the principal matches a peer presenting <paramref name="spiffeId"/>; null when unknown.</summary>
    public static bool? Matches(RbacPrincipal principal, string spiffeId)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(spiffeId);
        return RbacLogic.Matches(principal, p => p.Kind == RbacPrincipalKind.Authenticated
            ? p.PrincipalName is null || RbacLogic.Matches(p.PrincipalName, spiffeId)
            : null);
    }
}
