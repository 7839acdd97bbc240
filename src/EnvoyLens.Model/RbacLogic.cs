using System.Text.RegularExpressions;

namespace EnvoyLens.Model;

/// <summary>
/// Three-valued RBAC logic shared by every evaluator (certs compare, trace, rules): the combinators of principals
/// (<c>any</c>, <c>and_ids</c>, <c>or_ids</c>, <c>not_id</c>) and permissions (<c>any</c>, <c>and_rules</c>,
/// <c>or_rules</c>, <c>not_rule</c>) over leaves the caller decides; true, false, or null when it is not known. A
/// string matcher's own semantics live here too, so that every caller matches principal names the same way.
/// </summary>
public static class RbacLogic
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Whether the principal matches, with <paramref name="leaf"/> deciding every identifier that is not a combinator.</summary>
    public static bool? Matches(RbacPrincipal principal, Func<RbacPrincipal, bool?> leaf)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(leaf);
        return principal.Kind switch
        {
            RbacPrincipalKind.Any => true,
            RbacPrincipalKind.AndIds => And(principal.Children.Select(c => Matches(c, leaf))),
            RbacPrincipalKind.OrIds => Or(principal.Children.Select(c => Matches(c, leaf))),
            RbacPrincipalKind.NotId => principal.Children.Count == 1 ? !Matches(principal.Children[0], leaf) : null,
            _ => leaf(principal),
        };
    }

    /// <summary>Whether the permission matches, with <paramref name="leaf"/> deciding every rule that is not a combinator.</summary>
    public static bool? Matches(RbacPermission permission, Func<RbacPermission, bool?> leaf)
    {
        ArgumentNullException.ThrowIfNull(permission);
        ArgumentNullException.ThrowIfNull(leaf);
        return permission.Kind switch
        {
            RbacPermissionKind.Any => true,
            RbacPermissionKind.AndRules => And(permission.Children.Select(c => Matches(c, leaf))),
            RbacPermissionKind.OrRules => Or(permission.Children.Select(c => Matches(c, leaf))),
            RbacPermissionKind.NotRule => permission.Children.Count == 1 ? !Matches(permission.Children[0], leaf) : null,
            _ => leaf(permission),
        };
    }

    /// <summary>True if any value is true, false if all are false, null otherwise.</summary>
    public static bool? Or(IEnumerable<bool?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = (bool?)false;
        foreach (var v in values)
        {
            if (v == true)
            {
                return true;
            }

            if (v is null)
            {
                result = null;
            }
        }

        return result;
    }

    /// <summary>False if any value is false, true if all are true, null otherwise.</summary>
    public static bool? And(IEnumerable<bool?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = (bool?)true;
        foreach (var v in values)
        {
            if (v == false)
            {
                return false;
            }

            if (v is null)
            {
                result = null;
            }
        }

        return result;
    }

    /// <summary>Whether an Envoy string matcher (exact, prefix, suffix, contains, safe_regex) matches <paramref name="value"/>; false for kinds it does not know.</summary>
    public static bool Matches(StringMatch matcher, string value)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(value);
        var comparison = matcher.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return matcher.Kind switch
        {
            "exact" => string.Equals(matcher.Value, value, comparison),
            "prefix" => value.StartsWith(matcher.Value, comparison),
            "suffix" => value.EndsWith(matcher.Value, comparison),
            "contains" => value.Contains(matcher.Value, comparison),
            "safe_regex" => SafeRegex(matcher.Value, value),
            _ => false,
        };
    }

    private static bool SafeRegex(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, "^(?:" + pattern + ")$", RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
