using EnvoyLens.Core;
using EnvoyLens.Model;
using MatcherV3 = Envoy.Type.Matcher.V3;
using RbacV3 = Envoy.Config.Rbac.V3;

namespace EnvoyLens.Decoding.Normalize;

/// <summary>
/// RBAC rules → <see cref="RbacConfig"/>: policies with their principals and permissions, as the network and HTTP RBAC
/// filters and a route's <c>RBACPerRoute</c> carry them.
/// </summary>
internal sealed class RbacMapper(NormalizeContext context)
{
    /// <summary>The enforced rules, then the shadow rules, of an RBAC filter (either may be unset).</summary>
    public IReadOnlyList<RbacConfig> Map(RbacV3.RBAC? rules, RbacV3.RBAC? shadow, JsonPointer at)
    {
        var configs = new List<RbacConfig>(2);
        if (rules is not null)
        {
            configs.Add(MapRbac(rules, context.At(rules, at.Append("rules")), shadow: false));
        }

        if (shadow is not null)
        {
            configs.Add(MapRbac(shadow, context.At(shadow, at.Append("shadow_rules")), shadow: true));
        }

        return configs;
    }

    private RbacConfig MapRbac(RbacV3.RBAC rbac, JsonPointer at, bool shadow)
    {
        var policies = rbac.Policies
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p =>
            {
                var policyAt = context.At(p.Value, at.Append("policies").Append(p.Key));
                var principals = new List<RbacPrincipal>(p.Value.Principals.Count);
                for (var i = 0; i < p.Value.Principals.Count; i++)
                {
                    principals.Add(MapPrincipal(p.Value.Principals[i], policyAt.Append("principals").Append(i)));
                }

                var permissions = new List<RbacPermission>(p.Value.Permissions.Count);
                for (var i = 0; i < p.Value.Permissions.Count; i++)
                {
                    permissions.Add(MapPermission(p.Value.Permissions[i], policyAt.Append("permissions").Append(i)));
                }

                return new RbacPolicy(p.Key, principals, p.Value.Permissions.Count, policyAt) { Permissions = permissions };
            })
            .ToArray();
        return new RbacConfig(ProtoValues.EnumName(rbac.Action), policies, shadow, at);
    }

    private RbacPrincipal MapPrincipal(RbacV3.Principal principal, JsonPointer structural)
    {
        var at = context.At(principal, structural);
        RbacPrincipal Set(RbacPrincipalKind kind, RbacV3.Principal.Types.Set? set, string field)
        {
            var ids = set?.Ids ?? [];
            var children = new List<RbacPrincipal>(ids.Count);
            for (var i = 0; i < ids.Count; i++)
            {
                children.Add(MapPrincipal(ids[i], at.Append(field).Append("ids").Append(i)));
            }

            return new RbacPrincipal(kind, null, children, null, at);
        }

        return principal.IdentifierCase switch
        {
            RbacV3.Principal.IdentifierOneofCase.Any => new RbacPrincipal(RbacPrincipalKind.Any, null, [], null, at),
            RbacV3.Principal.IdentifierOneofCase.Authenticated => new RbacPrincipal(RbacPrincipalKind.Authenticated, ProtoValues.ToStringMatch(principal.Authenticated.PrincipalName), [], null, at),
            RbacV3.Principal.IdentifierOneofCase.AndIds => Set(RbacPrincipalKind.AndIds, principal.AndIds, "and_ids"),
            RbacV3.Principal.IdentifierOneofCase.OrIds => Set(RbacPrincipalKind.OrIds, principal.OrIds, "or_ids"),
            RbacV3.Principal.IdentifierOneofCase.NotId => new RbacPrincipal(RbacPrincipalKind.NotId, null, [MapPrincipal(principal.NotId, at.Append("not_id"))], null, at),
#pragma warning disable CS0612 // source_ip is deprecated in favour of direct_remote_ip, but control planes still send it
            RbacV3.Principal.IdentifierOneofCase.SourceIp => new RbacPrincipal(RbacPrincipalKind.SourceIp, null, [], null, at) { Cidr = ProtoValues.ToCidr(principal.SourceIp) },
#pragma warning restore CS0612
            RbacV3.Principal.IdentifierOneofCase.DirectRemoteIp => new RbacPrincipal(RbacPrincipalKind.DirectRemoteIp, null, [], null, at) { Cidr = ProtoValues.ToCidr(principal.DirectRemoteIp) },
            RbacV3.Principal.IdentifierOneofCase.RemoteIp => new RbacPrincipal(RbacPrincipalKind.RemoteIp, null, [], null, at) { Cidr = ProtoValues.ToCidr(principal.RemoteIp) },
            RbacV3.Principal.IdentifierOneofCase.Header => new RbacPrincipal(RbacPrincipalKind.Header, null, [], null, at) { Header = RouteMapper.MapHeader(principal.Header) },
            var other => new RbacPrincipal(RbacPrincipalKind.Other, null, [], SnakeCase(other.ToString()), at),
        };
    }

    private RbacPermission MapPermission(RbacV3.Permission permission, JsonPointer structural)
    {
        var at = context.At(permission, structural);
        RbacPermission Set(RbacPermissionKind kind, RbacV3.Permission.Types.Set? set, string field)
        {
            var rules = set?.Rules ?? [];
            var children = new List<RbacPermission>(rules.Count);
            for (var i = 0; i < rules.Count; i++)
            {
                children.Add(MapPermission(rules[i], at.Append(field).Append("rules").Append(i)));
            }

            return new RbacPermission(kind, children, null, at);
        }

        return permission.RuleCase switch
        {
            RbacV3.Permission.RuleOneofCase.Any => new RbacPermission(RbacPermissionKind.Any, [], null, at),
            RbacV3.Permission.RuleOneofCase.AndRules => Set(RbacPermissionKind.AndRules, permission.AndRules, "and_rules"),
            RbacV3.Permission.RuleOneofCase.OrRules => Set(RbacPermissionKind.OrRules, permission.OrRules, "or_rules"),
            RbacV3.Permission.RuleOneofCase.NotRule => new RbacPermission(RbacPermissionKind.NotRule, [MapPermission(permission.NotRule, at.Append("not_rule"))], null, at),
            RbacV3.Permission.RuleOneofCase.DestinationPort => new RbacPermission(RbacPermissionKind.DestinationPort, [], null, at) { Port = (int)permission.DestinationPort },
            RbacV3.Permission.RuleOneofCase.UrlPath when permission.UrlPath.RuleCase == MatcherV3.PathMatcher.RuleOneofCase.Path =>
                new RbacPermission(RbacPermissionKind.UrlPath, [], null, at) { Path = ProtoValues.ToStringMatch(permission.UrlPath.Path) },
            RbacV3.Permission.RuleOneofCase.Header => new RbacPermission(RbacPermissionKind.Header, [], null, at) { Header = RouteMapper.MapHeader(permission.Header) },
            var other => new RbacPermission(RbacPermissionKind.Other, [], SnakeCase(other.ToString()), at),
        };
    }

    /// <summary><c>SourceIp</c> → <c>source_ip</c> (the proto field name of a oneof case).</summary>
    private static string SnakeCase(string pascal)
    {
        var text = new System.Text.StringBuilder(pascal.Length + 4);
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
