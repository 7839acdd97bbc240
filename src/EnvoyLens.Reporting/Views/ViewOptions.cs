namespace EnvoyLens.Reporting.Views;

/// <summary>The views of <c>envoylens config</c>.</summary>
public enum ViewKind
{
    Bootstrap,
    Clusters,
    Listeners,
    Routes,
    Endpoints,
    Secrets,
    Ecds,

    /// <summary>Every view above, one after the other.</summary>
    All,
}

/// <summary>
/// istioctl's cluster filter: FQDN and subset as substrings of the cluster name, port as <c>|PORT|</c>; the direction is
/// one of <see cref="Directions"/> (any case), compared with the name's direction exactly.
/// </summary>
public sealed record ClusterFilter(string? Fqdn = null, int? Port = null, string? Subset = null, string? Direction = null)
{
    /// <summary>The directions of Istio cluster names.</summary>
    public static readonly IReadOnlyList<string> Directions = ["inbound", "outbound", "inbound-vip"];
}

/// <summary>istioctl's listener filter: address (case-insensitive, exact), port, type (HTTP, TCP, HTTP+TCP, UNKNOWN).</summary>
public sealed record ListenerFilter(string? Address = null, int? Port = null, string? Type = null)
{
    /// <summary>The listener types istioctl tells apart (any case).</summary>
    public static readonly IReadOnlyList<string> Types = ["HTTP", "TCP", "HTTP+TCP", "UNKNOWN"];
}

/// <summary>istioctl's route filter: the exact route configuration name.</summary>
public sealed record RouteFilter(string? Name = null);

/// <summary>istioctl's endpoint filter: address and cluster (case-insensitive, exact), port, health status.</summary>
public sealed record EndpointFilter(string? Address = null, int? Port = null, string? Cluster = null, string? Status = null)
{
    /// <summary>Envoy's health statuses (any case).</summary>
    public static readonly IReadOnlyList<string> Statuses = ["HEALTHY", "UNHEALTHY", "DRAINING", "TIMEOUT", "DEGRADED", "UNKNOWN"];
}

/// <summary>Filters, and the clock certificates are judged by.</summary>
public sealed record ViewOptions
{
    public ClusterFilter Clusters { get; init; } = new();

    public ListenerFilter Listeners { get; init; } = new();

    public RouteFilter Routes { get; init; } = new();

    public EndpointFilter Endpoints { get; init; } = new();

    /// <summary>VALID CERT is computed at this clock's current instant (the CLI's <c>--at</c>, default the system clock).</summary>
#pragma warning disable RS0030 // The default for callers that inject no clock; the CLI passes its own (--at).
    public TimeProvider Clock { get; init; } = TimeProvider.System;
#pragma warning restore RS0030

    /// <summary>kubectl's <c>-o wide</c>: listeners show their name, routes their cluster and action, clusters their TLS.</summary>
    public bool Wide { get; init; }

    /// <summary>istioctl's <c>all</c> summary: rows name their resource (<c>cluster/NAME</c>, <c>listener/NAME</c>, ...).</summary>
    internal bool Names { get; init; }

    /// <summary>The secrets view shows one row per certificate (with its position) instead of one per secret.</summary>
    public bool SecretChain { get; init; }
}
