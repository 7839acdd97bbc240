using EnvoyLens.Model;

namespace EnvoyLens.Trace;

/// <summary>
/// Envoy's virtual host selection: an exact domain first, then the longest <c>*.suffix</c> (any wildcard suffix
/// such as <c>*-bar.foo.com</c>), then the longest <c>prefix.*</c>, then <c>*</c>; domains compare without case.
/// </summary>
internal static class VirtualHostSelector
{
    /// <summary>How a virtual host's domain matched a host: the rank (lower wins) and the length that breaks ties (longer wins).</summary>
    internal readonly record struct DomainMatch(int Rank, int Length, string Domain)
    {
        public string Describe() => Rank switch
        {
            0 => $"domain '{Domain}' is the host exactly",
            1 => $"wildcard suffix domain '{Domain}' matches the host (no exact domain does)",
            2 => $"wildcard prefix domain '{Domain}' matches the host (no exact or suffix domain does)",
            _ => "domain '*' matches any host (no other domain matches)",
        };
    }

    /// <summary>The host as matched against domains: lower case, the port removed when the route config or HCM says so.</summary>
    public static string HostForMatching(string authority, bool stripPort)
    {
        var host = authority.ToLowerInvariant();
        return stripPort ? StripPort(host) : host;
    }

    internal static string StripPort(string host)
    {
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            return close < 0 ? host : host[..(close + 1)];
        }

        var colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(':', StringComparison.Ordinal) == colon && host[(colon + 1)..].All(char.IsAsciiDigit) ? host[..colon] : host;
    }

    /// <summary>How <paramref name="domain"/> matches <paramref name="host"/>, or null.</summary>
    public static DomainMatch? Match(string domain, string host)
    {
        var d = domain.ToLowerInvariant();
        if (d == "*")
        {
            return new DomainMatch(3, 0, domain);
        }

        if (d == host)
        {
            return new DomainMatch(0, d.Length, domain);
        }

        // Envoy requires the wildcard to match at least one character.
        if (d.StartsWith('*') && host.Length > d.Length - 1 && host.EndsWith(d[1..], StringComparison.Ordinal))
        {
            return new DomainMatch(1, d.Length, domain);
        }

        if (d.EndsWith('*') && host.Length > d.Length - 1 && host.StartsWith(d[..^1], StringComparison.Ordinal))
        {
            return new DomainMatch(2, d.Length, domain);
        }

        return null;
    }

    /// <summary>The virtual host Envoy picks for <paramref name="host"/> with the domain that won, or null; ties go to the first in config order.</summary>
    public static (VirtualHost Host, DomainMatch Match)? Select(IReadOnlyList<VirtualHost> hosts, string host)
    {
        (VirtualHost, DomainMatch)? best = null;
        foreach (var vh in hosts)
        {
            foreach (var domain in vh.Domains)
            {
                if (Match(domain, host) is not { } m)
                {
                    continue;
                }

                if (best is null || Better(m, best.Value.Item2))
                {
                    best = (vh, m);
                }
            }
        }

        return best;
    }

    private static bool Better(DomainMatch a, DomainMatch b) => a.Rank < b.Rank || (a.Rank == b.Rank && a.Length > b.Length);
}
