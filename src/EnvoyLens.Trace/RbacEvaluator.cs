using System.Net;
using EnvoyLens.Model;

namespace EnvoyLens.Trace;

/// <summary>What the request tells an RBAC filter: the peer's SPIFFE ID, source IP, destination port and, for HTTP filters, the headers.</summary>
/// <param name="Headers">Null for a network filter (no request headers yet).</param>
internal sealed record RbacFacts(string? Principal, IPAddress? SourceIp, int DestinationPort, IReadOnlyDictionary<string, IReadOnlyList<string>>? Headers, string Path);

/// <summary>One policy's outcome for the request: matched, not matched, or unknown with the condition that made it so.</summary>
internal sealed record RbacPolicyResult(RbacPolicy Policy, bool? Matches, string Why);

/// <summary>
/// Evaluates RBAC policies for one request as far as the request determines them, with the shared three-valued logic
/// of <see cref="RbacLogic"/>: a policy matches when one of its permissions and one of its principals match; a
/// condition the request does not determine (an unknown peer, an unknown source, an identifier EnvoyLens does not
/// read) makes the policy unknown rather than guessed.
/// </summary>
internal static class RbacEvaluator
{
    public static RbacPolicyResult Evaluate(RbacPolicy policy, RbacFacts facts)
    {
        var reasons = new List<string>();
        var permission = RbacLogic.Or(policy.Permissions.Select(p => RbacLogic.Matches(p, leaf => Permission(leaf, facts, reasons))));
        if (policy.Permissions.Count == 0 && policy.PermissionCount > 0)
        {
            permission = null;
            reasons.Add("its permissions were not read");
        }

        var principal = RbacLogic.Or(policy.Principals.Select(p => RbacLogic.Matches(p, leaf => Principal(leaf, facts, reasons))));
        var result = RbacLogic.And([permission, principal]);
        var why = result switch
        {
            true => "matches",
            false when permission == false => "no permission matches the request",
            false => "no principal matches the peer",
            null => "unknown: " + string.Join("; ", reasons.Distinct(StringComparer.Ordinal)),
        };
        return new RbacPolicyResult(policy, result, why);
    }

    /// <summary>
    /// A policy judged with every condition unknown: true when it matches any peer and request (any / any), false when
    /// it can match none (no principals, no permissions, or only contradictions), null when it depends on them.
    /// </summary>
    public static bool? MatchesWhateverTheRequest(RbacPolicy policy)
    {
        var permission = policy.Permissions.Count == 0 && policy.PermissionCount > 0
            ? null
            : RbacLogic.Or(policy.Permissions.Select(p => RbacLogic.Matches(p, _ => null)));
        var principal = RbacLogic.Or(policy.Principals.Select(p => RbacLogic.Matches(p, _ => null)));
        return RbacLogic.And([permission, principal]);
    }

    private static bool? Principal(RbacPrincipal p, RbacFacts facts, List<string> unknown)
    {
        switch (p.Kind)
        {
            case RbacPrincipalKind.Authenticated:
                if (facts.Principal is null)
                {
                    unknown.Add("principal " + (p.PrincipalName?.ToString() ?? "any authenticated peer") + " needs the peer's identity (--source-principal)");
                    return null;
                }

                return p.PrincipalName is null || RbacLogic.Matches(p.PrincipalName, facts.Principal);
            case RbacPrincipalKind.SourceIp or RbacPrincipalKind.DirectRemoteIp or RbacPrincipalKind.RemoteIp:
                var field = p.Kind switch { RbacPrincipalKind.SourceIp => "source_ip", RbacPrincipalKind.DirectRemoteIp => "direct_remote_ip", _ => "remote_ip" };
                if (facts.SourceIp is null)
                {
                    unknown.Add($"principal {field} {p.Cidr} needs the source address (--source)");
                    return null;
                }

                return InCidr(facts.SourceIp, p.Cidr);
            case RbacPrincipalKind.Header when p.Header is { } header:
                return Header(header, facts, "principal", unknown);
            default:
                unknown.Add("principal " + (p.OtherKind ?? p.Kind.ToString()) + " is not evaluated");
                return null;
        }
    }

    private static bool? Permission(RbacPermission p, RbacFacts facts, List<string> unknown)
    {
        switch (p.Kind)
        {
            case RbacPermissionKind.DestinationPort:
                return p.Port == facts.DestinationPort;
            case RbacPermissionKind.UrlPath when p.Path is { } path:
                if (facts.Headers is null)
                {
                    unknown.Add("permission url_path is not evaluated on a network filter");
                    return null;
                }

                return RbacLogic.Matches(path, facts.Path);
            case RbacPermissionKind.Header when p.Header is { } header:
                return Header(header, facts, "permission", unknown);
            default:
                unknown.Add("permission " + (p.OtherKind ?? p.Kind.ToString()) + " is not evaluated");
                return null;
        }
    }

    private static bool? Header(HeaderMatch header, RbacFacts facts, string what, List<string> unknown)
    {
        if (facts.Headers is null)
        {
            unknown.Add($"{what} header '{header.Name}' is not evaluated on a network filter");
            return null;
        }

        // Envoy joins the values of a repeated header with commas before matching.
        var value = facts.Headers.TryGetValue(header.Name.ToLowerInvariant(), out var values) ? string.Join(",", values) : null;
        var result = RouteMatcher.MatchHeader(header, value, "header").Matches;
        if (result is null)
        {
            unknown.Add($"{what} header matcher '{header.Name}' ({header.Kind}) is not evaluated");
        }

        return result;
    }

    /// <summary>Whether <paramref name="ip"/> lies in <paramref name="cidr"/> (<c>ADDRESS/LEN</c>), with the filter chain matcher's CIDR reading; null without a range.</summary>
    internal static bool? InCidr(IPAddress ip, string? cidr) =>
        cidr is null ? null : FilterChainSelector.LongestPrefix([cidr], ip) is not null;
}
