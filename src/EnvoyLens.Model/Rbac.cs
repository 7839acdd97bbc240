using EnvoyLens.Core;

namespace EnvoyLens.Model;

/// <summary>What kind of identifier an RBAC principal is (config.rbac.v3.Principal's oneof).</summary>
public enum RbacPrincipalKind
{
    /// <summary><c>any: true</c>: every downstream.</summary>
    Any,

    /// <summary><c>authenticated</c>: the peer certificate's URI SAN, else DNS SAN, else subject; <see cref="RbacPrincipal.PrincipalName"/> null matches any authenticated peer.</summary>
    Authenticated,
    AndIds,
    OrIds,
    NotId,

    /// <summary>An identifier EnvoyLens does not evaluate (source_ip, header, metadata, ...); see <see cref="RbacPrincipal.OtherKind"/>.</summary>
    Other,
}

/// <summary>An RBAC principal; <c>and_ids</c>, <c>or_ids</c> and <c>not_id</c> keep their children.</summary>
public sealed record RbacPrincipal(
    RbacPrincipalKind Kind,
    StringMatch? PrincipalName,
    IReadOnlyList<RbacPrincipal> Children,
    string? OtherKind,
    JsonPointer Pointer)
{
    /// <summary>Every authenticated principal_name matcher below this principal, and whether it sits under a <c>not_id</c> (an odd number of them).</summary>
    public IEnumerable<RbacPrincipalName> PrincipalNames(bool negated = false)
    {
        if (Kind == RbacPrincipalKind.Authenticated && PrincipalName is not null)
        {
            yield return new RbacPrincipalName(PrincipalName, negated, Pointer);
        }

        foreach (var child in Children)
        {
            foreach (var name in child.PrincipalNames(Kind == RbacPrincipalKind.NotId ? !negated : negated))
            {
                yield return name;
            }
        }
    }
}

/// <summary>An authenticated principal_name matcher, flattened out of its principal tree.</summary>
public sealed record RbacPrincipalName(StringMatch Matcher, bool Negated, JsonPointer Pointer);

/// <summary>One named RBAC policy: its principals (any of which may match) and how many permissions it has.</summary>
public sealed record RbacPolicy(string Name, IReadOnlyList<RbacPrincipal> Principals, int PermissionCount, JsonPointer Pointer)
{
    public IEnumerable<RbacPrincipalName> PrincipalNames => Principals.SelectMany(p => p.PrincipalNames());
}

/// <summary>
/// The enforced rules of an RBAC filter (network <c>envoy.filters.network.rbac</c> or HTTP <c>envoy.filters.http.rbac</c>):
/// action <c>ALLOW</c>, <c>DENY</c> or <c>LOG</c> and the policies by name (sorted). <see cref="Shadow"/> is true for
/// <c>shadow_rules</c>, which only count.
/// </summary>
public sealed record RbacConfig(string Action, IReadOnlyList<RbacPolicy> Policies, bool Shadow, JsonPointer Pointer);

/// <summary>One trust domain of a SPIFFE certificate validator (<c>custom_validator_config</c> SPIFFECertValidatorConfig) with its bundle's PEM text.</summary>
public sealed record SpiffeTrustBundle(string TrustDomain, string? BundlePem, JsonPointer Pointer);
