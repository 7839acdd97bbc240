using System.Globalization;
using System.Net;
using EnvoyLens.Model;

namespace EnvoyLens.Trace;

/// <summary>
/// Envoy's unified <c>filter_chain_matcher</c> evaluated against what the connection shows. A tree reads one input:
/// an exact map looks its value up; a prefix map tries the keys that prefix it, longest first; an <c>IPMatcher</c>
/// tries the ranges that contain it, most specific first, then in declaration order, skipping an <c>exclusive</c>
/// range once a more specific one was tried. A list takes the first entry whose predicate holds. When the chosen
/// branch's nested matcher does not match, the enclosing matcher's <c>on_no_match</c> applies (for the prefix and IP
/// forms after the less specific branches were tried). An input the request does not determine (the destination IP
/// of an inbound request without <c>--address</c>) or a form not understood makes the result undetermined, never a guess.
/// </summary>
internal static class ChainMatcherEvaluator
{
    public enum Outcome
    {
        Matched,
        NoMatch,
        Undetermined,
    }

    /// <param name="FilterChain">The chain's name when matched.</param>
    /// <param name="Steps">What each level read and chose, in order.</param>
    /// <param name="Reason">Why the result is undetermined.</param>
    public sealed record Result(Outcome Outcome, string? FilterChain, IReadOnlyList<string> Steps, string? Reason = null);

    public static Result Evaluate(ChainMatcher matcher, ConnectionFacts facts)
    {
        var steps = new List<string>();
        var (outcome, chain, reason) = Matcher(matcher, facts, steps);
        return new Result(outcome, chain, steps, reason);
    }

    private static (Outcome, string?, string?) Matcher(ChainMatcher matcher, ConnectionFacts facts, List<string> steps)
    {
        if (matcher.Unsupported is { } what)
        {
            return (Outcome.Undetermined, null, $"the filter_chain_matcher at {matcher.Pointer} is {what}, which is not evaluated");
        }

        var (outcome, chain, reason) = matcher.Shape switch
        {
            ChainMatcherShape.List => List(matcher, facts, steps),
            ChainMatcherShape.ExactMap or ChainMatcherShape.PrefixMap or ChainMatcherShape.IpRanges => Tree(matcher, facts, steps),
            _ => (Outcome.Undetermined, null, $"the filter_chain_matcher at {matcher.Pointer} is of a form that is not evaluated"),
        };
        if (outcome != Outcome.NoMatch)
        {
            return (outcome, chain, reason);
        }

        if (matcher.OnNoMatch is { } fallback)
        {
            steps.Add("nothing matched, so on_no_match applies");
            return OnMatch(fallback, facts, steps);
        }

        return (Outcome.NoMatch, null, null);
    }

    private static (Outcome, string?, string?) Tree(ChainMatcher matcher, ConnectionFacts facts, List<string> steps)
    {
        var input = matcher.Input;
        string? value = null;
        string? unknown = null;
        if (input is null || !TryRead(input, facts, out value, out unknown))
        {
            return (Outcome.Undetermined, null, unknown ?? $"the filter_chain_matcher at {matcher.Pointer} reads an input that is not evaluated ({input?.TypeName ?? "none"})");
        }

        var shown = value ?? "(none)";
        IEnumerable<(ChainMatcherBranch Branch, int Specificity)> candidates;
        if (matcher.Shape == ChainMatcherShape.ExactMap)
        {
            candidates = value is null ? [] : matcher.Branches.Where(b => b.Key == value).Take(1).Select(b => (b, 0));
        }
        else if (matcher.Shape == ChainMatcherShape.PrefixMap)
        {
            candidates = value is null ? [] : matcher.Branches
                .Where(b => b.Key is not null && value.StartsWith(b.Key, StringComparison.Ordinal))
                .Select(b => (b, b.Key!.Length))
                .OrderByDescending(x => x.Item2);
        }
        else
        {
            candidates = IpCandidates(matcher.Branches, value);
        }

        var tried = 0;
        int? mostSpecific = null;
        foreach (var (branch, specificity) in candidates)
        {
            mostSpecific ??= specificity;
            if (branch.Exclusive && specificity < mostSpecific)
            {
                // An exclusive range is not selected once a more specific range exists, whatever that one's nested matcher said.
                continue;
            }

            tried++;
            steps.Add($"{input.ShortName} {shown} matches {Describe(matcher.Shape, branch)}");
            var (outcome, chain, reason) = OnMatch(branch.OnMatch, facts, steps);
            if (outcome != Outcome.NoMatch || matcher.Shape == ChainMatcherShape.ExactMap)
            {
                return (outcome, chain, reason);
            }
        }

        if (tried == 0)
        {
            steps.Add($"{input.ShortName} {shown} matches no {(matcher.Shape == ChainMatcherShape.IpRanges ? "range" : "key")} of the matcher at {matcher.Pointer}");
        }

        return (Outcome.NoMatch, null, null);
    }

    /// <summary>The range matchers containing <paramref name="value"/>: most specific first, then in declaration order.</summary>
    private static (ChainMatcherBranch, int)[] IpCandidates(IReadOnlyList<ChainMatcherBranch> branches, string? value)
    {
        if (value is null || !IPAddress.TryParse(value, out var ip))
        {
            return [];
        }

        return branches
            .Select((b, i) => (b, i, prefix: FilterChainSelector.LongestPrefix(b.Ranges, ip)))
            .Where(x => x.prefix is not null)
            .OrderByDescending(x => x.prefix)
            .ThenBy(x => x.i)
            .Select(x => (x.b, x.prefix!.Value))
            .ToArray();
    }

    private static (Outcome, string?, string?) List(ChainMatcher matcher, ConnectionFacts facts, List<string> steps)
    {
        for (var i = 0; i < matcher.Branches.Count; i++)
        {
            var branch = matcher.Branches[i];
            var holds = Predicate(branch.Predicate, facts, out var unknown);
            if (holds is null)
            {
                return (Outcome.Undetermined, null, unknown ?? $"the predicate at {branch.Pointer} is not evaluated");
            }

            if (holds.Value)
            {
                steps.Add($"matcher_list entry {i.ToString(CultureInfo.InvariantCulture)} holds ({DescribePredicate(branch.Predicate!)})");
                return OnMatch(branch.OnMatch, facts, steps);
            }
        }

        steps.Add($"no entry of the matcher_list at {matcher.Pointer} holds");
        return (Outcome.NoMatch, null, null);
    }

    private static (Outcome, string?, string?) OnMatch(ChainMatcherOnMatch onMatch, ConnectionFacts facts, List<string> steps)
    {
        if (onMatch.FilterChain is { } chain)
        {
            return (Outcome.Matched, chain, null);
        }

        if (onMatch.Matcher is { } nested)
        {
            return Matcher(nested, facts, steps);
        }

        return (Outcome.Undetermined, null, $"an on_match of the filter_chain_matcher is {onMatch.Unsupported ?? "not understood"}, which is not evaluated");
    }

    /// <summary>True, false, or null when the request does not determine it (<paramref name="unknown"/> says why).</summary>
    private static bool? Predicate(ChainPredicate? predicate, ConnectionFacts facts, out string? unknown)
    {
        unknown = null;
        if (predicate is null || predicate.Unsupported is not null)
        {
            unknown = $"a matcher_list predicate is {predicate?.Unsupported ?? "missing"}, which is not evaluated";
            return null;
        }

        switch (predicate.Kind)
        {
            case ChainPredicateKind.Not:
                var inner = Predicate(predicate.Children.FirstOrDefault(), facts, out unknown);
                return inner is null ? null : !inner.Value;
            case ChainPredicateKind.And:
            case ChainPredicateKind.Or:
                var any = predicate.Kind == ChainPredicateKind.Or;
                bool? result = !any;
                foreach (var child in predicate.Children)
                {
                    var value = Predicate(child, facts, out var why);
                    if (value == any)
                    {
                        return any;
                    }

                    if (value is null)
                    {
                        result = null;
                        unknown ??= why;
                    }
                }

                return result;
        }

        if (predicate.Input is not { } input || !TryRead(input, facts, out var read, out unknown))
        {
            unknown ??= $"a matcher_list predicate reads an input that is not evaluated ({predicate.Input?.TypeName ?? "none"})";
            return null;
        }

        if (read is null)
        {
            return false;
        }

        if (predicate.Value is { } match)
        {
            return RbacLogic.Matches(match, read);
        }

        return IPAddress.TryParse(read, out var ip) && FilterChainSelector.LongestPrefix(predicate.Ranges, ip) is not null;
    }

    /// <summary>
    /// The input's value as Envoy's network inputs give it (null when the connection has none, e.g. no SNI); false
    /// when the request does not determine it.
    /// </summary>
    private static bool TryRead(ChainMatchInput input, ConnectionFacts f, out string? value, out string? unknown)
    {
        unknown = null;
        value = null;
        switch (input.Kind)
        {
            case ChainMatchInputKind.DestinationPort:
                value = f.DestinationPort.ToString(CultureInfo.InvariantCulture);
                return true;
            case ChainMatchInputKind.DestinationIp:
                if (f.DestinationIp is null)
                {
                    unknown = "the filter_chain_matcher reads the destination IP, which is not known (give --address)";
                    return false;
                }

                value = f.DestinationIp.ToString();
                return true;
            case ChainMatchInputKind.SourceIp:
            case ChainMatchInputKind.DirectSourceIp:
            case ChainMatchInputKind.SourceType:
                if (f.SourceIp is null)
                {
                    unknown = $"the filter_chain_matcher reads {input.ShortName}, which is not known (give --source)";
                    return false;
                }

                value = input.Kind == ChainMatchInputKind.SourceType
                    ? (IPAddress.IsLoopback(f.SourceIp) || f.SourceIp.Equals(f.DestinationIp) ? "local" : null)
                    : f.SourceIp.ToString();
                return true;
            case ChainMatchInputKind.SourcePort:
                if (f.SourcePort is null)
                {
                    unknown = "the filter_chain_matcher reads the source port, which is not known (give --source IP:PORT)";
                    return false;
                }

                value = f.SourcePort.Value.ToString(CultureInfo.InvariantCulture);
                return true;
            case ChainMatchInputKind.ServerName:
                value = string.IsNullOrEmpty(f.ServerName) ? null : f.ServerName;
                return true;
            case ChainMatchInputKind.TransportProtocol:
                value = f.TransportProtocol;
                return true;
            case ChainMatchInputKind.ApplicationProtocol:
                // Envoy's ApplicationProtocolInput: every ALPN value single-quoted, joined by commas.
                value = f.ApplicationProtocols.Count == 0 ? null : "'" + string.Join("','", f.ApplicationProtocols) + "'";
                return true;
            default:
                unknown = $"the filter_chain_matcher reads {input.TypeName}, which is not evaluated";
                return false;
        }
    }

    private static string Describe(ChainMatcherShape shape, ChainMatcherBranch branch) => shape switch
    {
        ChainMatcherShape.ExactMap => "the exact key " + branch.Key,
        ChainMatcherShape.PrefixMap => "the prefix " + branch.Key,
        _ => (branch.Exclusive ? "the exclusive range " : "the range ") + string.Join(",", branch.Ranges),
    };

    private static string DescribePredicate(ChainPredicate p) => p.Kind switch
    {
        ChainPredicateKind.Not => "not " + DescribePredicate(p.Children[0]),
        ChainPredicateKind.And => string.Join(" and ", p.Children.Select(DescribePredicate)),
        ChainPredicateKind.Or => string.Join(" or ", p.Children.Select(DescribePredicate)),
        _ => (p.Input?.ShortName ?? "?") + " " + (p.Value?.ToString() ?? "in " + string.Join(",", p.Ranges)),
    };
}
