using EnvoyLens.Core;

namespace EnvoyLens.Model;

/// <summary>A route configuration (RDS resource or inline in an HCM).</summary>
public sealed record RouteConfig(ResourceMeta Meta, IReadOnlyList<VirtualHost> VirtualHosts, bool? ValidateClusters)
{
    public string Name => Meta.Name;
}

public sealed record VirtualHost(string Name, IReadOnlyList<string> Domains, IReadOnlyList<Route> Routes, JsonPointer Pointer, MetadataMap Metadata);

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

public sealed record HeaderMatch(string Name, string Kind, string? Value, bool Invert);

public sealed record RouteMatch(
    PathMatchKind Kind,
    string? Value,
    bool CaseSensitive,
    IReadOnlyList<HeaderMatch> Headers,
    IReadOnlyList<HeaderMatch> QueryParameters,
    bool GrpcOnly);

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
}
