using EnvoyLens.Core;

namespace EnvoyLens.Trace;

/// <summary>What a hop of a trace is.</summary>
public enum HopKind
{
    Listener,
    FilterChain,
    NetworkFilter,
    HttpFilter,
    RouteConfig,
    VirtualHost,
    Route,
    Cluster,
    Endpoints,
    UpstreamTls,

    /// <summary>Whether the upstream TLS handshake with the peer of <c>--peer</c> would succeed (added by the command, which compares the two captures).</summary>
    PeerTrust,
}

/// <summary>How a hop came out: it matched (the trace goes on), the request stops here, or EnvoyLens could not evaluate it.</summary>
public enum HopStatus
{
    Matched,
    Stopped,
    NotEvaluated,
}

/// <summary>A candidate of a hop that lost, and why.</summary>
public sealed record TraceCandidate(string Name, JsonPointer Pointer, string WhyNot);

/// <summary>
/// One step of a trace: the resource it concerns, where it sits in the source document, one sentence of why it was
/// taken (or why the request stops), details worth showing (timeouts, rewrites, endpoints) and the candidates that lost.
/// </summary>
public sealed record TraceHop(HopKind Kind, HopStatus Status, string Name, JsonPointer Pointer, string Why)
{
    public IReadOnlyList<string> Details { get; init; } = [];

    public IReadOnlyList<TraceCandidate> Candidates { get; init; } = [];
}

/// <summary>Where the request ends.</summary>
public enum TraceOutcome
{
    /// <summary>Sent to an upstream cluster with at least one usable (healthy or unknown-health) endpoint.</summary>
    Forwarded,

    /// <summary>Envoy answers or closes the connection itself (no route, no cluster, no healthy endpoint, denied, redirect, direct response).</summary>
    Stopped,

    /// <summary>A hop EnvoyLens does not evaluate decides the outcome; nothing is guessed.</summary>
    Undetermined,
}

/// <summary>The end of a trace: the outcome, the response flag Envoy logs (NR, NC, UH, ...) or the status it answers, and one sentence.</summary>
public sealed record TraceVerdict(TraceOutcome Outcome, string? ResponseFlag, uint? Status, string Summary)
{
    /// <summary>The upstream cluster the request is forwarded to, when forwarded.</summary>
    public string? Cluster { get; init; }
}

/// <summary>A finished trace: the request, the destination IP used and how it was chosen, the hops in order and the verdict.</summary>
public sealed record TraceResult(
    TraceRequest Request,
    string? DestinationAddress,
    string AddressSource,
    IReadOnlyList<TraceHop> Hops,
    TraceVerdict Verdict);
