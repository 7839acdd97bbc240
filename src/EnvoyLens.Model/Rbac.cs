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

    /// <summary>An identifier EnvoyLens does not evaluate (metadata, filter_state, url_path, ...); see <see cref="RbacPrincipal.OtherKind"/>.</summary>
    Other,

    /// <summary><c>source_ip</c> (deprecated): the connection's source address, in <see cref="RbacPrincipal.Cidr"/>.</summary>
    SourceIp,

    /// <summary><c>direct_remote_ip</c>: the downstream connection's peer address, in <see cref="RbacPrincipal.Cidr"/>.</summary>
    DirectRemoteIp,

    /// <summary><c>remote_ip</c>: the original client address (after XFF / proxy protocol), in <see cref="RbacPrincipal.Cidr"/>.</summary>
    RemoteIp,

    /// <summary><c>header</c>: a request header matcher, in <see cref="RbacPrincipal.Header"/>.</summary>
    Header,
}

/// <summary>An RBAC principal; <c>and_ids</c>, <c>or_ids</c> and <c>not_id</c> keep their children.</summary>
public sealed record RbacPrincipal(
    RbacPrincipalKind Kind,
    StringMatch? PrincipalName,
    IReadOnlyList<RbacPrincipal> Children,
    string? OtherKind,
    JsonPointer Pointer)
{
    /// <summary>For the IP kinds: the CIDR range (<c>10.0.0.0/8</c>); else null.</summary>
    public string? Cidr { get; init; }

    /// <summary>For <see cref="RbacPrincipalKind.Header"/>: the header matcher; else null.</summary>
    public HeaderMatch? Header { get; init; }

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

/// <summary>What kind of action an RBAC permission is (config.rbac.v3.Permission's oneof).</summary>
public enum RbacPermissionKind
{
    /// <summary><c>any: true</c>: every action.</summary>
    Any,
    AndRules,
    OrRules,
    NotRule,

    /// <summary><c>destination_port</c>: in <see cref="RbacPermission.Port"/>.</summary>
    DestinationPort,

    /// <summary><c>url_path</c>: the path without query, in <see cref="RbacPermission.Path"/>.</summary>
    UrlPath,

    /// <summary><c>header</c> (<c>:method</c>, <c>:path</c>, <c>:authority</c> or any other header): in <see cref="RbacPermission.Header"/>.</summary>
    Header,

    /// <summary>A rule EnvoyLens does not evaluate (destination_ip, requested_server_name, metadata, ...); see <see cref="RbacPermission.OtherKind"/>.</summary>
    Other,
}

/// <summary>An RBAC permission; <c>and_rules</c>, <c>or_rules</c> and <c>not_rule</c> keep their children.</summary>
public sealed record RbacPermission(RbacPermissionKind Kind, IReadOnlyList<RbacPermission> Children, string? OtherKind, JsonPointer Pointer)
{
    /// <summary>For <see cref="RbacPermissionKind.DestinationPort"/>: the port.</summary>
    public int? Port { get; init; }

    /// <summary>For <see cref="RbacPermissionKind.UrlPath"/>: the path matcher.</summary>
    public StringMatch? Path { get; init; }

    /// <summary>For <see cref="RbacPermissionKind.Header"/>: the header matcher.</summary>
    public HeaderMatch? Header { get; init; }
}

/// <summary>One named RBAC policy: its principals (any of which may match) and its permissions (any of which may match).</summary>
public sealed record RbacPolicy(string Name, IReadOnlyList<RbacPrincipal> Principals, int PermissionCount, JsonPointer Pointer)
{
    /// <summary>The permissions, in order (<see cref="PermissionCount"/> of them when the decoder read them; empty otherwise).</summary>
    public IReadOnlyList<RbacPermission> Permissions { get; init; } = [];

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
