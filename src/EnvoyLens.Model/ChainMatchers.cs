using EnvoyLens.Core;

namespace EnvoyLens.Model;

/// <summary>
/// A listener's unified <c>filter_chain_matcher</c> (<c>xds.type.matcher.v3.Matcher</c>) in the forms Istio and
/// Envoy Gateway emit: a tree keyed by one network input (exact map, prefix map, or an <c>IPMatcher</c> of CIDR
/// ranges) or a list of predicates, each branch ending in the name of a filter chain or a nested matcher. What is not
/// one of these forms is kept with <see cref="Unsupported"/> saying what it is, so that a consumer reports it as not
/// evaluated instead of guessing.
/// </summary>
/// <param name="Shape">How the branches are chosen.</param>
/// <param name="Input">The input a tree reads (null for a list).</param>
/// <param name="Branches">The map entries, IP range matchers or list entries, in declaration order.</param>
/// <param name="OnNoMatch">What applies when no branch matches (or a chosen branch's nested matcher fails).</param>
/// <param name="Pointer">Where the matcher is in the source.</param>
/// <param name="Unsupported">Set when the matcher is of a form not understood: what it is.</param>
public sealed record ChainMatcher(
    ChainMatcherShape Shape,
    ChainMatchInput? Input,
    IReadOnlyList<ChainMatcherBranch> Branches,
    ChainMatcherOnMatch? OnNoMatch,
    JsonPointer Pointer,
    string? Unsupported = null);

/// <summary>The forms of <see cref="ChainMatcher"/>.</summary>
public enum ChainMatcherShape
{
    /// <summary><c>matcher_tree.exact_match_map</c>: the input's value looked up exactly.</summary>
    ExactMap,

    /// <summary><c>matcher_tree.prefix_match_map</c>: the longest key that prefixes the input's value.</summary>
    PrefixMap,

    /// <summary><c>matcher_tree.custom_match</c> with <c>xds.type.matcher.v3.IPMatcher</c>: CIDR ranges, most specific first.</summary>
    IpRanges,

    /// <summary><c>matcher_list</c>: the first entry whose predicate matches.</summary>
    List,

    /// <summary>Anything else (another custom matcher, an empty matcher).</summary>
    Other,
}

/// <summary>A network input of the matcher (<c>envoy.extensions.matching.common_inputs.network.v3.*Input</c>).</summary>
/// <param name="Kind">The input, or <see cref="ChainMatchInputKind.Other"/>.</param>
/// <param name="TypeName">The input's full type name, for messages.</param>
public sealed record ChainMatchInput(ChainMatchInputKind Kind, string TypeName)
{
    /// <summary>The short name users know from the docs, e.g. <c>DestinationPortInput</c>.</summary>
    public string ShortName => TypeName[(TypeName.LastIndexOf('.') + 1)..];
}

/// <summary>The connection attributes a filter chain matcher can read.</summary>
public enum ChainMatchInputKind
{
    DestinationIp,
    DestinationPort,
    SourceIp,
    SourcePort,
    DirectSourceIp,
    SourceType,
    ServerName,
    TransportProtocol,
    ApplicationProtocol,
    Other,
}

/// <summary>
/// One branch: a map key (<see cref="Key"/>), a set of CIDR ranges (<see cref="Ranges"/>, with Envoy's
/// <c>exclusive</c>), or a list entry's predicate; then what it leads to.
/// </summary>
public sealed record ChainMatcherBranch(
    string? Key,
    IReadOnlyList<string> Ranges,
    bool Exclusive,
    ChainPredicate? Predicate,
    ChainMatcherOnMatch OnMatch,
    JsonPointer Pointer);

/// <summary>Where a branch leads: a filter chain by name, a nested matcher, or (when neither is understood) nothing.</summary>
public sealed record ChainMatcherOnMatch(string? FilterChain, ChainMatcher? Matcher, string? Unsupported = null);

/// <summary>A <c>matcher_list</c> predicate: one input compared to a string or CIDR ranges, or and/or/not of predicates.</summary>
public sealed record ChainPredicate(
    ChainPredicateKind Kind,
    ChainMatchInput? Input,
    StringMatch? Value,
    IReadOnlyList<string> Ranges,
    IReadOnlyList<ChainPredicate> Children,
    string? Unsupported = null);

/// <summary>The forms of <see cref="ChainPredicate"/>.</summary>
public enum ChainPredicateKind
{
    Single,
    Or,
    And,
    Not,
}
