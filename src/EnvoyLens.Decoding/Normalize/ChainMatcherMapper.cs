using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.ProtoJson;
using Google.Protobuf.WellKnownTypes;
using IpInputV3 = Envoy.Extensions.Matching.InputMatchers.Ip.V3;
using XdsCore = Xds.Core.V3;
using XdsMatcher = Xds.Type.Matcher.V3;

namespace EnvoyLens.Decoding.Normalize;

/// <summary>
/// A listener's <c>filter_chain_matcher</c> → <see cref="ChainMatcher"/>: trees over the network inputs (exact map,
/// prefix map, <c>IPMatcher</c>), lists of predicates, actions naming a filter chain (a <c>StringValue</c>). Anything
/// else is kept as unsupported with what it is; nesting deeper than <see cref="MaxDepth"/> is unsupported too.
/// </summary>
internal sealed class ChainMatcherMapper(NormalizeContext context)
{
    /// <summary>Deeper nesting than any mesh emits; bounds the walk of a hostile dump.</summary>
    public const int MaxDepth = 32;

    private const string NetworkInputs = "envoy.extensions.matching.common_inputs.network.v3.";

    public ChainMatcher Map(XdsMatcher.Matcher matcher, JsonPointer at) => Map(matcher, at, 0);

    private ChainMatcher Map(XdsMatcher.Matcher matcher, JsonPointer at, int depth)
    {
        if (depth >= MaxDepth)
        {
            return new ChainMatcher(ChainMatcherShape.Other, null, [], null, at, $"nested more than {MaxDepth.ToString(CultureInfo.InvariantCulture)} levels deep");
        }

        var onNoMatch = matcher.OnNoMatch is { } none ? OnMatch(none, at.Append("on_no_match"), depth) : null;
        switch (matcher.MatcherTypeCase)
        {
            case XdsMatcher.Matcher.MatcherTypeOneofCase.MatcherTree:
                return Tree(matcher.MatcherTree, at.Append("matcher_tree"), onNoMatch, depth) with { Pointer = at };
            case XdsMatcher.Matcher.MatcherTypeOneofCase.MatcherList:
                var list = at.Append("matcher_list");
                var branches = new List<ChainMatcherBranch>(matcher.MatcherList.Matchers.Count);
                for (var i = 0; i < matcher.MatcherList.Matchers.Count; i++)
                {
                    var field = matcher.MatcherList.Matchers[i];
                    var fieldAt = list.Append("matchers").Append(i);
                    branches.Add(new ChainMatcherBranch(
                        null, [], false,
                        Predicate(field.Predicate, fieldAt.Append("predicate"), depth),
                        OnMatch(field.OnMatch, fieldAt.Append("on_match"), depth),
                        fieldAt));
                }

                return new ChainMatcher(ChainMatcherShape.List, null, branches, onNoMatch, at);
            default:
                return new ChainMatcher(ChainMatcherShape.Other, null, [], onNoMatch, at, onNoMatch is null ? "an empty matcher" : null);
        }
    }

    private ChainMatcher Tree(XdsMatcher.Matcher.Types.MatcherTree tree, JsonPointer at, ChainMatcherOnMatch? onNoMatch, int depth)
    {
        var input = Input(tree.Input);
        switch (tree.TreeTypeCase)
        {
            case XdsMatcher.Matcher.Types.MatcherTree.TreeTypeOneofCase.ExactMatchMap:
            case XdsMatcher.Matcher.Types.MatcherTree.TreeTypeOneofCase.PrefixMatchMap:
                var exact = tree.TreeTypeCase == XdsMatcher.Matcher.Types.MatcherTree.TreeTypeOneofCase.ExactMatchMap;
                var mapAt = at.Append(exact ? "exact_match_map" : "prefix_match_map").Append("map");
                var map = exact ? tree.ExactMatchMap.Map : tree.PrefixMatchMap.Map;
                var entries = map
                    .Select(e => new ChainMatcherBranch(e.Key, [], false, null, OnMatch(e.Value, mapAt.Append(e.Key), depth), mapAt.Append(e.Key)))
                    .ToArray();
                return new ChainMatcher(exact ? ChainMatcherShape.ExactMap : ChainMatcherShape.PrefixMap, input, entries, onNoMatch, at);
            case XdsMatcher.Matcher.Types.MatcherTree.TreeTypeOneofCase.CustomMatch:
                var customAt = at.Append("custom_match").Append("typed_config");
                if (tree.CustomMatch.TypedConfig is { } any && any.Is(XdsMatcher.IPMatcher.Descriptor) &&
                    context.Unpack<XdsMatcher.IPMatcher>(any, customAt) is { } ip)
                {
                    var ranges = new List<ChainMatcherBranch>(ip.RangeMatchers.Count);
                    for (var i = 0; i < ip.RangeMatchers.Count; i++)
                    {
                        var range = ip.RangeMatchers[i];
                        var rangeAt = customAt.Append("range_matchers").Append(i);
                        ranges.Add(new ChainMatcherBranch(null, range.Ranges.Select(Cidr).ToArray(), range.Exclusive, null, OnMatch(range.OnMatch, rangeAt.Append("on_match"), depth), rangeAt));
                    }

                    return new ChainMatcher(ChainMatcherShape.IpRanges, input, ranges, onNoMatch, at);
                }

                return new ChainMatcher(ChainMatcherShape.Other, input, [], onNoMatch, at,
                    "a custom matcher of type " + TypeName(tree.CustomMatch.TypedConfig));
            default:
                return new ChainMatcher(ChainMatcherShape.Other, input, [], onNoMatch, at, "a matcher tree without a map");
        }
    }

    private ChainMatcherOnMatch OnMatch(XdsMatcher.Matcher.Types.OnMatch? onMatch, JsonPointer at, int depth)
    {
        if (onMatch is null)
        {
            return new ChainMatcherOnMatch(null, null, "an empty on_match");
        }

        if (onMatch.OnMatchCase == XdsMatcher.Matcher.Types.OnMatch.OnMatchOneofCase.Matcher)
        {
            return new ChainMatcherOnMatch(null, Map(onMatch.Matcher, at.Append("matcher"), depth + 1));
        }

        if (onMatch.OnMatchCase == XdsMatcher.Matcher.Types.OnMatch.OnMatchOneofCase.Action && onMatch.Action?.TypedConfig is { } action)
        {
            return action.Is(StringValue.Descriptor) && context.Unpack<StringValue>(action, at.Append("action").Append("typed_config")) is { } name
                ? new ChainMatcherOnMatch(name.Value, null)
                : new ChainMatcherOnMatch(null, null, "an action of type " + TypeName(action));
        }

        return new ChainMatcherOnMatch(null, null, "an empty on_match");
    }

    private ChainPredicate Predicate(XdsMatcher.Matcher.Types.MatcherList.Types.Predicate? predicate, JsonPointer at, int depth)
    {
        if (predicate is null || depth >= MaxDepth)
        {
            return new ChainPredicate(ChainPredicateKind.Single, null, null, [], [], predicate is null ? "an empty predicate" : "nested too deep");
        }

        switch (predicate.MatchTypeCase)
        {
            case XdsMatcher.Matcher.Types.MatcherList.Types.Predicate.MatchTypeOneofCase.SinglePredicate:
                var single = predicate.SinglePredicate;
                var input = Input(single.Input);
                if (single.MatcherCase == XdsMatcher.Matcher.Types.MatcherList.Types.Predicate.Types.SinglePredicate.MatcherOneofCase.ValueMatch &&
                    ToStringMatch(single.ValueMatch) is { } value)
                {
                    return new ChainPredicate(ChainPredicateKind.Single, input, value, [], []);
                }

                if (single.CustomMatch?.TypedConfig is { } custom && custom.Is(IpInputV3.Ip.Descriptor) &&
                    context.Unpack<IpInputV3.Ip>(custom, at.Append("single_predicate").Append("custom_match").Append("typed_config")) is { } cidrs)
                {
                    return new ChainPredicate(ChainPredicateKind.Single, input, null, cidrs.CidrRanges.Select(ProtoValues.ToCidr).ToArray(), []);
                }

                return new ChainPredicate(ChainPredicateKind.Single, input, null, [], [],
                    single.CustomMatch is { } other ? "a custom match of type " + TypeName(other.TypedConfig) : "a string matcher of an unknown kind");
            case XdsMatcher.Matcher.Types.MatcherList.Types.Predicate.MatchTypeOneofCase.OrMatcher:
                return new ChainPredicate(ChainPredicateKind.Or, null, null, [], Children(predicate.OrMatcher, at.Append("or_matcher"), depth));
            case XdsMatcher.Matcher.Types.MatcherList.Types.Predicate.MatchTypeOneofCase.AndMatcher:
                return new ChainPredicate(ChainPredicateKind.And, null, null, [], Children(predicate.AndMatcher, at.Append("and_matcher"), depth));
            case XdsMatcher.Matcher.Types.MatcherList.Types.Predicate.MatchTypeOneofCase.NotMatcher:
                return new ChainPredicate(ChainPredicateKind.Not, null, null, [], [Predicate(predicate.NotMatcher, at.Append("not_matcher"), depth + 1)]);
            default:
                return new ChainPredicate(ChainPredicateKind.Single, null, null, [], [], "an empty predicate");
        }
    }

    private ChainPredicate[] Children(XdsMatcher.Matcher.Types.MatcherList.Types.Predicate.Types.PredicateList list, JsonPointer at, int depth) =>
        list.Predicate.Select((p, i) => Predicate(p, at.Append("predicate").Append(i), depth + 1)).ToArray();

    private static ChainMatchInput? Input(XdsCore.TypedExtensionConfig? input)
    {
        if (input?.TypedConfig is not { } any)
        {
            return null;
        }

        var type = TypeResolver.FullNameOf(any.TypeUrl);
        var kind = type.StartsWith(NetworkInputs, StringComparison.Ordinal)
            ? type[NetworkInputs.Length..] switch
            {
                "DestinationIPInput" => ChainMatchInputKind.DestinationIp,
                "DestinationPortInput" => ChainMatchInputKind.DestinationPort,
                "SourceIPInput" => ChainMatchInputKind.SourceIp,
                "SourcePortInput" => ChainMatchInputKind.SourcePort,
                "DirectSourceIPInput" => ChainMatchInputKind.DirectSourceIp,
                "SourceTypeInput" => ChainMatchInputKind.SourceType,
                "ServerNameInput" => ChainMatchInputKind.ServerName,
                "TransportProtocolInput" => ChainMatchInputKind.TransportProtocol,
                "ApplicationProtocolInput" => ChainMatchInputKind.ApplicationProtocol,
                _ => ChainMatchInputKind.Other,
            }
            : ChainMatchInputKind.Other;
        return new ChainMatchInput(kind, type);
    }

    private static string Cidr(XdsCore.CidrRange range) =>
        range.AddressPrefix + "/" + (range.PrefixLen ?? 0).ToString(CultureInfo.InvariantCulture);

    private static string TypeName(Any? any) => any is null || string.IsNullOrEmpty(any.TypeUrl) ? "(none)" : TypeResolver.FullNameOf(any.TypeUrl);

    private static StringMatch? ToStringMatch(XdsMatcher.StringMatcher? matcher) => matcher?.MatchPatternCase switch
    {
        XdsMatcher.StringMatcher.MatchPatternOneofCase.Exact => new StringMatch("exact", matcher.Exact, matcher.IgnoreCase),
        XdsMatcher.StringMatcher.MatchPatternOneofCase.Prefix => new StringMatch("prefix", matcher.Prefix, matcher.IgnoreCase),
        XdsMatcher.StringMatcher.MatchPatternOneofCase.Suffix => new StringMatch("suffix", matcher.Suffix, matcher.IgnoreCase),
        XdsMatcher.StringMatcher.MatchPatternOneofCase.Contains => new StringMatch("contains", matcher.Contains, matcher.IgnoreCase),
        XdsMatcher.StringMatcher.MatchPatternOneofCase.SafeRegex => new StringMatch("safe_regex", matcher.SafeRegex?.Regex ?? "", matcher.IgnoreCase),
        _ => null,
    };
}
