using EnvoyLens.Core;

namespace EnvoyLens.Model;

/// <summary>A listener with its filter chains.</summary>
public sealed record Listener(
    ResourceMeta Meta,
    SocketAddress? Address,
    IReadOnlyList<SocketAddress> AdditionalAddresses,
    string? TrafficDirection,
    bool UseOriginalDst,
    bool? BindToPort,
    IReadOnlyList<TypedExtension> ListenerFilters,
    IReadOnlyList<FilterChain> FilterChains,
    FilterChain? DefaultFilterChain,
    MetadataMap Metadata)
{
    public string Name => Meta.Name;

    /// <summary>The unified <c>filter_chain_matcher</c> (xds.type.matcher) when the listener chooses filter chains with it instead of each chain's <c>filter_chain_match</c>.</summary>
    public ChainMatcher? FilterChainMatcher { get; init; }

    /// <summary>True when the listener chooses filter chains with the unified <c>filter_chain_matcher</c>.</summary>
    public bool HasFilterChainMatcher => FilterChainMatcher is not null;

    /// <summary>All chains, the default chain last when there is one.</summary>
    public IEnumerable<FilterChain> AllFilterChains =>
        DefaultFilterChain is null ? FilterChains : FilterChains.Append(DefaultFilterChain);
}

/// <summary>Envoy's FilterChainMatch, flattened.</summary>
public sealed record FilterChainMatch(
    int? DestinationPort,
    IReadOnlyList<string> PrefixRanges,
    IReadOnlyList<string> ServerNames,
    string? TransportProtocol,
    IReadOnlyList<string> ApplicationProtocols,
    IReadOnlyList<string> SourcePrefixRanges,
    IReadOnlyList<string> DirectSourcePrefixRanges,
    IReadOnlyList<int> SourcePorts,
    string? SourceType)
{
    public static FilterChainMatch Any { get; } = new(null, [], [], null, [], [], [], [], null);

    public bool IsEmpty =>
        DestinationPort is null && PrefixRanges.Count == 0 && ServerNames.Count == 0 && TransportProtocol is null &&
        ApplicationProtocols.Count == 0 && SourcePrefixRanges.Count == 0 && DirectSourcePrefixRanges.Count == 0 &&
        SourcePorts.Count == 0 && SourceType is null;
}

/// <summary>One filter chain: its match, network filters in order and downstream TLS, if any.</summary>
public sealed record FilterChain(
    string? Name,
    FilterChainMatch Match,
    IReadOnlyList<NetworkFilter> Filters,
    TlsContext? DownstreamTls,
    TypedExtension? TransportSocket,
    JsonPointer Pointer,
    bool IsDefault = false);

/// <summary>A network filter; HCM and TCP proxy configs are decoded into their own shapes.</summary>
public sealed record NetworkFilter(
    TypedExtension Extension,
    HttpConnectionManager? HttpConnectionManager,
    TcpProxy? TcpProxy)
{
    public string Name => Extension.Name;

    /// <summary>The rules (and shadow rules) of an <c>envoy.filters.network.rbac</c> filter; empty for other filters.</summary>
    public IReadOnlyList<RbacConfig> Rbac { get; init; } = [];
}

/// <summary>The HTTP connection manager: where routes come from and which HTTP filters run, in order.</summary>
public sealed record HttpConnectionManager(
    string? StatPrefix,
    string? RdsRouteConfigName,
    RouteConfig? InlineRouteConfig,
    string? ScopedRoutesName,
    IReadOnlyList<HttpFilter> HttpFilters,
    JsonPointer Pointer)
{
    /// <summary><c>strip_any_host_port</c>: the Host header's port is removed before virtual hosts are chosen.</summary>
    public bool StripAnyHostPort { get; init; }
}

/// <summary>An HTTP filter; <see cref="EcdsResourceNames"/> is set when its config comes from ECDS (config_discovery).</summary>
public sealed record HttpFilter(TypedExtension Extension, IReadOnlyList<string> EcdsResourceNames, bool Disabled, bool IsOptional)
{
    public string Name => Extension.Name;

    /// <summary>The rules (and shadow rules) of an <c>envoy.filters.http.rbac</c> filter; empty for other filters.</summary>
    public IReadOnlyList<RbacConfig> Rbac { get; init; } = [];

    /// <summary>The providers and requirement rules of an <c>envoy.filters.http.jwt_authn</c> filter; null for other filters.</summary>
    public JwtAuthn? JwtAuthn { get; init; }

    /// <summary>The authorization service of an <c>envoy.filters.http.ext_authz</c> filter; null for other filters.</summary>
    public ExtAuthz? ExtAuthz { get; init; }
}

/// <summary>jwt_authn: the JWT providers by name and the requirement rules, first match wins (<c>requirement_map</c> names resolved into <see cref="JwtRule.Requires"/>).</summary>
public sealed record JwtAuthn(IReadOnlyList<JwtProvider> Providers, IReadOnlyList<JwtRule> Rules, JsonPointer Pointer)
{
    /// <summary><c>requirement_map</c>: named requirements, which rules and a route's <c>requirement_name</c> refer to.</summary>
    public IReadOnlyDictionary<string, JwtRequirement> RequirementMap { get; init; } = new Dictionary<string, JwtRequirement>(StringComparer.Ordinal);
}

/// <summary>A JWT provider: its name, the issuer it accepts (null when any) and its audiences.</summary>
public sealed record JwtProvider(string Name, string? Issuer, IReadOnlyList<string> Audiences, JsonPointer Pointer)
{
    /// <summary><c>from_headers</c> names; with <see cref="FromParams"/> both empty, Envoy reads <c>Authorization: Bearer</c> and the <c>access_token</c> query parameter.</summary>
    public IReadOnlyList<string> FromHeaders { get; init; } = [];

    /// <summary><c>from_params</c>: query parameters carrying the token.</summary>
    public IReadOnlyList<string> FromParams { get; init; } = [];
}

/// <summary>A jwt_authn rule: the requests it applies to and what they must carry (null: no JWT is verified).</summary>
public sealed record JwtRule(RouteMatch Match, JwtRequirement? Requires, JsonPointer Pointer);

/// <summary>A JWT requirement: a provider, all or any of child requirements, or allow_missing / allow_missing_or_failed.</summary>
/// <param name="Kind">provider, requires_any, requires_all, allow_missing, allow_missing_or_failed, or other.</param>
public sealed record JwtRequirement(string Kind, string? ProviderName, IReadOnlyList<JwtRequirement> Children);

/// <summary>ext_authz: the gRPC or HTTP service that decides, by the cluster (Envoy gRPC, HTTP) or target URI (Google gRPC) it is reached at.</summary>
/// <param name="Kind">grpc or http.</param>
public sealed record ExtAuthz(string Kind, string? Cluster, string? Target, bool FailureModeAllow, JsonPointer Pointer);

/// <summary>tcp_proxy: the cluster (or weighted clusters) it sends to.</summary>
public sealed record TcpProxy(string? StatPrefix, string? Cluster, IReadOnlyList<WeightedCluster> WeightedClusters, JsonPointer Pointer);
