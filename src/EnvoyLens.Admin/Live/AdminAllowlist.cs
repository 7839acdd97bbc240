using System.Text;
using EnvoyLens.Core;

namespace EnvoyLens.Admin.Live;

/// <summary>
/// The only admin requests EnvoyLens ever makes: GETs of read-only endpoints, with only the query keys listed here.
/// Everything else (every mutating endpoint such as <c>/quitquitquit</c>, <c>/healthcheck/fail</c>,
/// <c>/drain_listeners</c>, <c>/logging</c>, <c>/reset_counters</c>, <c>/runtime_modify</c>, the profilers,
/// <c>/tap</c>, <c>/reopen_logs</c>; the index page <c>/</c> and <c>/help</c>; streaming and HTML pages) is refused
/// before a connection is opened.
/// </summary>
public static class AdminAllowlist
{
    /// <summary>The query keys each endpoint may be sent (a null value list: any value); paths come from <see cref="AdminEndpoints"/>.</summary>
    private static readonly Dictionary<AdminEndpoint, Dictionary<string, string[]?>> Queries = new()
    {
        [AdminEndpoint.ConfigDump] = new(StringComparer.Ordinal) { ["resource"] = null, ["mask"] = null, ["name_regex"] = null, ["include_eds"] = null },
        [AdminEndpoint.Clusters] = new(StringComparer.Ordinal) { ["format"] = ["json"] },
        [AdminEndpoint.Listeners] = new(StringComparer.Ordinal) { ["format"] = ["json"] },
        [AdminEndpoint.Stats] = new(StringComparer.Ordinal) { ["format"] = ["json", "text"], ["filter"] = null, ["usedonly"] = null, ["type"] = null },
    };

    /// <summary>Per proxy kind, the paths it may be asked for: an Envoy is never sent linkerd2-proxy's paths, nor the reverse.</summary>
    private static readonly Dictionary<ProxyKind, Dictionary<string, Dictionary<string, string[]?>>> AllowedBy =
        Enum.GetValues<ProxyKind>().ToDictionary(k => k, k => AdminEndpoints.ServedBy(k).ToDictionary(
            e => e.Path, e => Queries.TryGetValue(e.Endpoint, out var keys) ? keys : new Dictionary<string, string[]?>(StringComparer.Ordinal), StringComparer.Ordinal));

    /// <summary>The paths allowed for an Envoy proxy, sorted.</summary>
    public static IReadOnlyList<string> Paths { get; } = PathsFor(ProxyKind.Envoy);

    /// <summary>The paths allowed for <paramref name="proxy"/>, sorted.</summary>
    public static IReadOnlyList<string> PathsFor(ProxyKind proxy) => AllowedBy[proxy].Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>True when <paramref name="pathAndQuery"/> may be requested from an Envoy proxy; <paramref name="reason"/> says why not.</summary>
    public static bool IsAllowed(string pathAndQuery, out string reason) => IsAllowed(pathAndQuery, ProxyKind.Envoy, out reason);

    /// <summary>True when <paramref name="pathAndQuery"/> may be requested from a proxy of kind <paramref name="proxy"/>; <paramref name="reason"/> says why not.</summary>
    public static bool IsAllowed(string pathAndQuery, ProxyKind proxy, out string reason)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var allowed = AllowedBy[proxy];
        reason = string.Empty;
        if (pathAndQuery.Any(c => c <= ' ' || c >= 0x7f || c is '#' or '\\'))
        {
            reason = "it contains spaces, control, non-ASCII, '#' or '\\' characters";
            return false;
        }

        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var query = q < 0 ? null : pathAndQuery[(q + 1)..];
        if (!allowed.TryGetValue(path, out var keys))
        {
            reason = path is "/" or "" or "/help"
                ? $"'{(path.Length == 0 ? "/" : path)}' is the admin index, whose links include mutating endpoints"
                : $"'{path}' is not a read-only endpoint EnvoyLens reads from {proxy.Sentence()} (allowed: {string.Join(", ", PathsFor(proxy))})";
            return false;
        }

        if (query is null)
        {
            return true;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? null : pair[(eq + 1)..];
            if (!keys.TryGetValue(key, out var values))
            {
                reason = keys.Count == 0
                    ? $"'{path}' takes no query parameters, and '{key}' was given"
                    : $"'{key}' is not a query parameter EnvoyLens sends to '{path}' (allowed: {string.Join(", ", keys.Keys.Order(StringComparer.Ordinal))})";
                return false;
            }

            if (!seen.Add(key))
            {
                reason = $"the query parameter '{key}' of '{path}' is given twice";
                return false;
            }

            if (values is not null && (value is null || !values.Contains(Unescape(value), StringComparer.Ordinal)))
            {
                reason = $"'{path}?{key}=' accepts only {string.Join(" or ", values)} (other formats are HTML or streaming pages)";
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws an <see cref="EnvoyLensException"/> naming the request when it is not allowed.</summary>
    public static void Check(string pathAndQuery, string target, ProxyKind proxy = ProxyKind.Envoy)
    {
        if (!IsAllowed(pathAndQuery, proxy, out var reason))
        {
            throw new EnvoyLensException($"EnvoyLens refuses to request '{pathAndQuery}' from {target}: {reason}; it only reads allowlisted read-only endpoints with GET.");
        }
    }

    /// <summary>Builds <c>path?key=value&amp;...</c> with values percent-encoded, keys in the given order.</summary>
    public static string Build(string path, params (string Key, string? Value)[] query)
    {
        if (query.Length == 0)
        {
            return path;
        }

        var text = new StringBuilder(path).Append('?');
        for (var i = 0; i < query.Length; i++)
        {
            if (i > 0)
            {
                text.Append('&');
            }

            text.Append(query[i].Key);
            if (query[i].Value is { } value)
            {
                text.Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return text.ToString();
    }

    private static string Unescape(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
