using System.Globalization;
using System.Net;
using EnvoyLens.Model;

namespace EnvoyLens.Trace;

/// <summary>What a downstream connection shows the listener: the attributes <c>filter_chain_match</c> reads.</summary>
internal sealed record ConnectionFacts(
    int DestinationPort,
    IPAddress? DestinationIp,
    string? ServerName,
    string TransportProtocol,
    IReadOnlyList<string> ApplicationProtocols,
    IPAddress? SourceIp,
    int? SourcePort);

/// <summary>
/// Envoy's filter chain selection: criteria are applied one after the other in the documented order (destination
/// port, destination IP, server name, transport protocol, application protocols, direct source IP, source type,
/// source IP, source port). At each step the chains with the most specific matching value stay; when none has a
/// matching value, the chains that do not set the criterion stay; when there are none of those either, no chain
/// matches and the default filter chain (if any) is used.
/// </summary>
internal static class FilterChainSelector
{
    public sealed record Selection(FilterChain? Chain, string Why, IReadOnlyList<TraceCandidate> Lost);

    private sealed record Criterion(string Name, Func<FilterChainMatch, bool> IsUnset, Func<FilterChainMatch, int?> Score, Func<FilterChainMatch, string> Describe);

    public static Selection Select(Listener listener, ConnectionFacts facts)
    {
        var survivors = listener.FilterChains.ToList();
        var lost = new List<TraceCandidate>();
        var reasons = new List<string>();
        foreach (var c in Criteria(facts))
        {
            var scored = survivors.Select(chain => (chain, score: c.IsUnset(chain.Match) ? null : c.Score(chain.Match))).ToList();
            var specific = scored.Where(s => s.score is not null).ToList();
            List<FilterChain> next;
            if (specific.Count > 0)
            {
                var best = specific.Max(s => s.score!.Value);
                next = specific.Where(s => s.score == best).Select(s => s.chain).ToList();
                reasons.Add(c.Describe(next[0].Match));
            }
            else
            {
                next = survivors.Where(chain => c.IsUnset(chain.Match)).ToList();
            }

            foreach (var gone in survivors.Except(next))
            {
                var why = c.IsUnset(gone.Match)
                    ? $"another chain has a more specific {c.Name}"
                    : c.Score(gone.Match) is null
                        ? $"its {c.Name} ({c.Describe(gone.Match)}) does not match"
                        : $"its {c.Name} ({c.Describe(gone.Match)}) is less specific than another chain's";
                lost.Add(new TraceCandidate(ChainName(gone), gone.Pointer, why));
            }

            survivors = next;
            if (survivors.Count == 0)
            {
                break;
            }
        }

        if (survivors.Count > 0)
        {
            var chain = survivors[0];
            foreach (var extra in survivors.Skip(1))
            {
                lost.Add(new TraceCandidate(ChainName(extra), extra.Pointer, "an earlier chain has the same match (Envoy rejects such listeners; the first is shown)"));
            }

            var why = reasons.Count == 0
                ? (chain.Match.IsEmpty ? "its filter_chain_match is empty and no other chain matches more specifically" : "it is the only chain left")
                : "it matches on " + string.Join(", ", reasons);
            return new Selection(chain, why, lost);
        }

        if (listener.DefaultFilterChain is { } fallback)
        {
            return new Selection(fallback, "no filter_chain_match matches the connection, so the listener's default_filter_chain is used", lost);
        }

        return new Selection(null, "no filter_chain_match matches the connection and the listener has no default_filter_chain", lost);
    }

    public static string ChainName(FilterChain chain) => chain.Name ?? (chain.IsDefault ? "(default filter chain)" : "(unnamed filter chain)");

    private static IEnumerable<Criterion> Criteria(ConnectionFacts f)
    {
        yield return new Criterion(
            "destination_port",
            m => m.DestinationPort is null,
            m => m.DestinationPort == f.DestinationPort ? 1 : null,
            m => "destination_port " + (m.DestinationPort?.ToString(CultureInfo.InvariantCulture) ?? "any"));
        yield return new Criterion(
            "destination IP (prefix_ranges)",
            m => m.PrefixRanges.Count == 0,
            m => LongestPrefix(m.PrefixRanges, f.DestinationIp),
            m => "prefix_ranges " + string.Join(",", m.PrefixRanges));
        yield return new Criterion(
            "server_names",
            m => m.ServerNames.Count == 0,
            m => ServerNameScore(m.ServerNames, f.ServerName),
            m => "server_names " + string.Join(",", m.ServerNames));
        yield return new Criterion(
            "transport_protocol",
            m => string.IsNullOrEmpty(m.TransportProtocol),
            m => m.TransportProtocol == f.TransportProtocol ? 1 : null,
            m => "transport_protocol " + m.TransportProtocol);
        yield return new Criterion(
            "application_protocols",
            m => m.ApplicationProtocols.Count == 0,
            m => m.ApplicationProtocols.Intersect(f.ApplicationProtocols, StringComparer.Ordinal).Any() ? 1 : null,
            m => "application_protocols " + string.Join(",", m.ApplicationProtocols));
        yield return new Criterion(
            "direct source IP",
            m => m.DirectSourcePrefixRanges.Count == 0,
            m => LongestPrefix(m.DirectSourcePrefixRanges, f.SourceIp),
            m => "direct_source_prefix_ranges " + string.Join(",", m.DirectSourcePrefixRanges));
        yield return new Criterion(
            "source_type",
            m => string.IsNullOrEmpty(m.SourceType) || m.SourceType == "ANY",
            m => SourceTypeScore(m.SourceType, f),
            m => "source_type " + m.SourceType);
        yield return new Criterion(
            "source IP",
            m => m.SourcePrefixRanges.Count == 0,
            m => LongestPrefix(m.SourcePrefixRanges, f.SourceIp),
            m => "source_prefix_ranges " + string.Join(",", m.SourcePrefixRanges));
        yield return new Criterion(
            "source_ports",
            m => m.SourcePorts.Count == 0,
            m => f.SourcePort is { } p && m.SourcePorts.Contains(p) ? 1 : null,
            m => "source_ports " + string.Join(",", m.SourcePorts.Select(p => p.ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>The longest prefix of <paramref name="ranges"/> containing <paramref name="ip"/>, or null (also when the IP is unknown).</summary>
    internal static int? LongestPrefix(IReadOnlyList<string> ranges, IPAddress? ip)
    {
        if (ip is null)
        {
            return null;
        }

        int? best = null;
        foreach (var range in ranges)
        {
            if (IPNetwork.TryParse(Normalize(range), out var network) && network.Contains(ip) && (best is null || network.PrefixLength > best))
            {
                best = network.PrefixLength;
            }
        }

        return best;
    }

    /// <summary>A CIDR with its host bits cleared (Envoy accepts <c>10.1.2.3/8</c>; <see cref="IPNetwork"/> does not).</summary>
    private static string Normalize(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var address) ||
            !int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return cidr;
        }

        var bytes = address.GetAddressBytes();
        length = Math.Clamp(length, 0, bytes.Length * 8);
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(length - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes) + "/" + length.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>An exact server name beats every wildcard; a longer wildcard (<c>*.a.example.com</c>) beats a shorter one.</summary>
    internal static int? ServerNameScore(IReadOnlyList<string> names, string? sni)
    {
        if (sni is null)
        {
            return null;
        }

        int? best = null;
        foreach (var name in names)
        {
            var n = name.ToLowerInvariant();
            int? score = n == sni ? int.MaxValue
                : n.StartsWith("*.", StringComparison.Ordinal) && sni.EndsWith(n[1..], StringComparison.Ordinal) && sni.Length > n.Length - 1 ? n.Length
                : null;
            if (score is not null && (best is null || score > best))
            {
                best = score;
            }
        }

        return best;
    }

    private static int? SourceTypeScore(string? type, ConnectionFacts f)
    {
        if (f.SourceIp is null)
        {
            return null;
        }

        var local = IPAddress.IsLoopback(f.SourceIp) || f.SourceIp.Equals(f.DestinationIp);
        return type switch
        {
            "SAME_IP_OR_LOOPBACK" when local => 1,
            "EXTERNAL" when !local => 1,
            _ => null,
        };
    }
}
