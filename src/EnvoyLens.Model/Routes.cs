using EnvoyLens.Core;

namespace EnvoyLens.Model;

/// <summary>A route configuration (RDS resource or inline in an HCM).</summary>
public sealed record RouteConfig(ResourceMeta Meta, IReadOnlyList<VirtualHost> VirtualHosts, bool? ValidateClusters)
{
    public string Name => Meta.Name;

    /// <summary><c>typed_per_filter_config</c>: per-filter settings for every route of the configuration, by filter name.</summary>
    public IReadOnlyList<PerFilterConfig> PerFilterConfigs { get; init; } = [];

    /// <summary><c>ignore_port_in_host_matching</c>: the Host header's port is ignored when virtual hosts are chosen.</summary>
    public bool IgnorePortInHostMatching { get; init; }
}

public sealed record VirtualHost(string Name, IReadOnlyList<string> Domains, IReadOnlyList<Route> Routes, JsonPointer Pointer, MetadataMap Metadata)
{
    /// <summary><c>typed_per_filter_config</c>: per-filter settings for the virtual host's routes, by filter name.</summary>
    public IReadOnlyList<PerFilterConfig> PerFilterConfigs { get; init; } = [];
}

/// <summary>
/// One <c>typed_per_filter_config</c> entry: what a route (or its virtual host or route configuration) changes about
/// one HTTP filter for the requests it takes. The most specific level that names the filter wins.
/// </summary>
/// <param name="FilterName">The HTTP filter's name (the map key).</param>
/// <param name="TypeName">The entry's message type.</param>
/// <param name="Effect">Disable, enable, replace the filter's settings, or an entry EnvoyLens does not interpret.</param>
public sealed record PerFilterConfig(string FilterName, string? TypeName, PerFilterEffect Effect, JsonPointer Pointer)
{
    /// <summary><c>RBACPerRoute</c>: the rules that replace the filter's own (empty: the route is not enforced).</summary>
    public IReadOnlyList<RbacConfig>? Rbac { get; init; }

    /// <summary>jwt_authn <c>PerRouteConfig.requirement_name</c>: the requirement of the filter's requirement_map that applies.</summary>
    public string? JwtRequirementName { get; init; }
}

/// <summary>What a <see cref="PerFilterConfig"/> does to its filter.</summary>
public enum PerFilterEffect
{
    /// <summary>The filter does not run for these requests (<c>disabled: true</c>).</summary>
    Disable,

    /// <summary>The filter runs (a filter disabled in the HCM is enabled for these requests) with its own settings.</summary>
    Enable,

    /// <summary>The filter runs with settings the entry gives (RBAC rules, a JWT requirement).</summary>
    Override,

    /// <summary>An entry of a type EnvoyLens does not interpret; the filter runs and the entry is reported as not evaluated.</summary>
    Other,
}

/// <summary>How a route matches a request path.</summary>
public enum PathMatchKind
{
    Prefix,
    Path,
    SafeRegex,
    PathSeparatedPrefix,
    ConnectMatcher,
    PathMatchPolicy,
    None,
}

public sealed record HeaderMatch(string Name, string Kind, string? Value, bool Invert)
{
    /// <summary>A string matcher's <c>ignore_case</c>.</summary>
    public bool IgnoreCase { get; init; }
}

public sealed record RouteMatch(
    PathMatchKind Kind,
    string? Value,
    bool CaseSensitive,
    IReadOnlyList<HeaderMatch> Headers,
    IReadOnlyList<HeaderMatch> QueryParameters,
    bool GrpcOnly)
{
    /// <summary><c>runtime_fraction</c>: the share of matching requests the route takes (e.g. <c>25%</c>) and its runtime key, when set; else null.</summary>
    public string? RuntimeFraction { get; init; }

    /// <summary>The path template when the route matches with <c>path_match_policy</c> <c>envoy.path.match.uri_template</c>; null otherwise (another policy keeps only its name in <see cref="Value"/>).</summary>
    public string? UriTemplate { get; init; }

    /// <summary>Match conditions the model does not carry (<c>tls_context</c>, <c>dynamic_metadata</c>), by field name.</summary>
    public IReadOnlyList<string> OtherConditions { get; init; } = [];
}

/// <summary>What a route does with a matched request.</summary>
public enum RouteActionKind
{
    Cluster,
    WeightedClusters,
    ClusterHeader,
    ClusterSpecifierPlugin,
    InlineClusterSpecifierPlugin,
    Redirect,
    DirectResponse,
    FilterAction,
    NonForwarding,
    Unknown,
}

public sealed record WeightedCluster(string Name, uint Weight);

public sealed record RetryPolicy(string? RetryOn, uint? NumRetries, TimeSpan? PerTryTimeout, TimeSpan? PerTryIdleTimeout);

public sealed record Route(
    string? Name,
    RouteMatch Match,
    RouteActionKind ActionKind,
    string? Cluster,
    IReadOnlyList<WeightedCluster> WeightedClusters,
    string? ClusterHeader,
    /// <summary>Route timeout; null when not set (Envoy's default of 15s applies), <see cref="TimeSpan.Zero"/> when disabled.</summary>
    TimeSpan? Timeout,
    TimeSpan? IdleTimeout,
    RetryPolicy? RetryPolicy,
    uint? DirectResponseStatus,
    string? RedirectTarget,
    MetadataMap Metadata,
    JsonPointer Pointer)
{
    /// <summary>The cluster specifier plugin's name when <see cref="ActionKind"/> is one of the plugin kinds; else null.</summary>
    public string? ClusterSpecifierPlugin { get; init; }

    /// <summary>A route action's <c>prefix_rewrite</c>: replaces the matched prefix (or path) before forwarding; null when not set.</summary>
    public string? PrefixRewrite { get; init; }

    /// <summary>A route action's <c>regex_rewrite</c> as its pattern and substitution; null when not set.</summary>
    public RegexRewrite? RegexRewrite { get; init; }

    /// <summary>A route action's <c>path_rewrite_policy</c> template (<c>envoy.path.rewrite.uri_template</c>), e.g. <c>/{lang}/{id}</c>; null when not set.</summary>
    public string? UriTemplateRewrite { get; init; }

    /// <summary><c>typed_per_filter_config</c>: per-filter settings for this route, by filter name.</summary>
    public IReadOnlyList<PerFilterConfig> PerFilterConfigs { get; init; } = [];

    /// <summary>A route action's <c>host_rewrite_literal</c>, or <c>auto_host_rewrite</c> / <c>host_rewrite_header:NAME</c> / <c>host_rewrite_path_regex</c> described; null when not set.</summary>
    public string? HostRewrite { get; init; }
}

/// <summary>A path rewrite by regular expression (Envoy <c>RegexMatchAndSubstitute</c>).</summary>
public sealed record RegexRewrite(string Pattern, string Substitution);
