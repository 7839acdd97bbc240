using System.Globalization;
using System.Text.RegularExpressions;
using EnvoyLens.Model;

namespace EnvoyLens.Trace;

/// <summary>Whether a route's match applies to a request: yes, no (with why) or unknown (a matcher EnvoyLens does not evaluate).</summary>
internal readonly record struct MatchResult(bool? Matches, string Why)
{
    public static MatchResult Yes(string why) => new(true, why);

    public static MatchResult No(string why) => new(false, why);

    public static MatchResult Unknown(string why) => new(null, why);
}

/// <summary>Envoy's route match: the path specifier, then every header matcher, then every query parameter matcher.</summary>
internal static class RouteMatcher
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    public static MatchResult Match(RouteMatch match, string method, string path, string query, IReadOnlyDictionary<string, IReadOnlyList<string>> headers)
    {
        var pathResult = MatchPath(match, method, path);
        if (pathResult.Matches != true)
        {
            return pathResult;
        }

        if (match.OtherConditions.Count > 0)
        {
            return MatchResult.Unknown("its " + string.Join(" and ", match.OtherConditions) + " condition is not evaluated");
        }

        if (match.GrpcOnly && !(headers.TryGetValue("content-type", out var ct) && ct.Any(v => v.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))))
        {
            return MatchResult.No("it matches gRPC requests only and content-type is not application/grpc");
        }

        foreach (var header in match.Headers)
        {
            var values = headers.TryGetValue(header.Name.ToLowerInvariant(), out var v) ? v : null;
            var r = MatchHeader(header, values is null ? null : string.Join(',', values), "header");
            if (r.Matches != true)
            {
                return r;
            }
        }

        var parameters = ParseQuery(query);
        foreach (var parameter in match.QueryParameters)
        {
            var r = MatchHeader(parameter, parameters.TryGetValue(parameter.Name, out var value) ? value : null, "query parameter");
            if (r.Matches != true)
            {
                return r;
            }
        }

        var extra = match.Headers.Count + match.QueryParameters.Count;
        var why = extra == 0 ? pathResult.Why : pathResult.Why + string.Create(CultureInfo.InvariantCulture, $" and its {extra} header/query matcher(s) match");
        return MatchResult.Yes(match.RuntimeFraction is { } fraction
            ? why + $"; runtime_fraction makes it probabilistic: it takes {fraction} of such requests and the rest go on to the next route (the trace follows the share it takes)"
            : why);
    }

    private static MatchResult MatchPath(RouteMatch match, string method, string path)
    {
        var comparison = match.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var caseNote = match.CaseSensitive ? string.Empty : " (case-insensitive)";
        var value = match.Value ?? string.Empty;
        switch (match.Kind)
        {
            case PathMatchKind.Prefix:
                return path.StartsWith(value, comparison)
                    ? MatchResult.Yes($"prefix '{value}' matches path '{path}'{caseNote}")
                    : MatchResult.No($"prefix '{value}' does not match path '{path}'{caseNote}");
            case PathMatchKind.Path:
                return string.Equals(path, value, comparison)
                    ? MatchResult.Yes($"path '{value}' is the request's path{caseNote}")
                    : MatchResult.No($"path '{value}' is not '{path}'{caseNote}");
            case PathMatchKind.PathSeparatedPrefix:
                var sep = string.Equals(path, value, comparison) || path.StartsWith(value + "/", comparison);
                return sep
                    ? MatchResult.Yes($"path_separated_prefix '{value}' matches path '{path}'{caseNote}")
                    : MatchResult.No($"path_separated_prefix '{value}' does not match path '{path}' (it must be the path or end at a '/'){caseNote}");
            case PathMatchKind.SafeRegex:
                try
                {
                    // Envoy's safe_regex is RE2 and must match the whole path; RE2's syntax is a subset of .NET's.
                    var full = Regex.IsMatch(path, "^(?:" + value + ")$", RegexOptions.CultureInvariant, RegexTimeout);
                    return full
                        ? MatchResult.Yes($"safe_regex '{value}' matches the whole path '{path}'")
                        : MatchResult.No($"safe_regex '{value}' does not match the whole path '{path}'");
                }
                catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
                {
                    return MatchResult.Unknown($"safe_regex '{value}' could not be evaluated here");
                }

            case PathMatchKind.ConnectMatcher:
                return method == "CONNECT"
                    ? MatchResult.Yes("connect_matcher matches a CONNECT request")
                    : MatchResult.No($"connect_matcher matches CONNECT requests only, not {method}");
            case PathMatchKind.PathMatchPolicy:
                if (match.UriTemplate is not { } template)
                {
                    return MatchResult.Unknown($"path_match_policy '{value}' is not a URI template and is not evaluated");
                }

                if (UriTemplate.Compile(template, out var error) is not { } regex)
                {
                    return MatchResult.Unknown($"path_match_policy URI template '{template}' is not evaluated: {error}");
                }

                // URI templates are case-sensitive whatever case_sensitive says, and never see the query.
                return regex.IsMatch(path)
                    ? MatchResult.Yes($"URI template '{template}' matches path '{path}'")
                    : MatchResult.No($"URI template '{template}' does not match path '{path}'");
            default:
                return MatchResult.Unknown("its path matcher is not evaluated");
        }
    }

    /// <summary>
    /// One header (or query parameter) matcher. A header that is absent matches only <c>present_match: false</c>; as in
    /// Envoy, <c>invert_match</c> does not make a value matcher match an absent header.
    /// </summary>
    internal static MatchResult MatchHeader(HeaderMatch header, string? value, string what)
    {
        var invert = header.Invert ? "inverted " : string.Empty;
        if (header.Kind == "present")
        {
            var wantPresent = header.Value != "false";
            var ok = (value is not null) == wantPresent;
            ok ^= header.Invert;
            var state = value is null ? "absent" : "present";
            return ok
                ? MatchResult.Yes($"{what} '{header.Name}' is {state}")
                : MatchResult.No($"{invert}{what} matcher '{header.Name}' wants it {(wantPresent ? "present" : "absent")} and it is {state}");
        }

        if (value is null)
        {
            return MatchResult.No($"{what} '{header.Name}' is absent");
        }

        var comparison = header.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        bool? matched = header.Kind switch
        {
            "exact" => string.Equals(value, header.Value ?? string.Empty, comparison),
            "prefix" => value.StartsWith(header.Value ?? string.Empty, comparison),
            "suffix" => value.EndsWith(header.Value ?? string.Empty, comparison),
            "contains" => value.Contains(header.Value ?? string.Empty, comparison),
            "safe_regex" => RegexFull(header.Value, value),
            "range" => InRange(header.Value, value),
            _ => null,
        };
        if (matched is null)
        {
            return MatchResult.Unknown($"{what} matcher '{header.Name}' ({header.Kind}) is not evaluated");
        }

        var result = matched.Value ^ header.Invert;
        var text = $"{invert}{what} matcher '{header.Name}' {header.Kind} '{header.Value}' against '{value}'";
        return result ? MatchResult.Yes(text + " matches") : MatchResult.No(text + " does not match");
    }

    private static bool? RegexFull(string? pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, "^(?:" + (pattern ?? string.Empty) + ")$", RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return null;
        }
    }

    /// <summary>A range matcher's <c>[start,end)</c> against an integer header value.</summary>
    private static bool? InRange(string? range, string value)
    {
        if (range is null || range.Length < 5 || range[0] != '[' || range[^1] != ')')
        {
            return null;
        }

        var parts = range[1..^1].Split(',');
        if (parts.Length != 2 ||
            !long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var start) ||
            !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var end))
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= start && n < end;
    }

    /// <summary>The query's parameters by name, the first value of each (URL-decoded).</summary>
    internal static Dictionary<string, string> ParseQuery(string query)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            map.TryAdd(name, value);
        }

        return map;
    }
}
