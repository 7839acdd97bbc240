namespace EnvoyLens.Core;

/// <summary>The admin endpoints EnvoyLens knows how to read, by the file name they carry in a bundle.</summary>
public enum AdminEndpoint
{
    ConfigDump,
    Clusters,
    Listeners,
    Certs,
    ServerInfo,
    Stats,
    StatsPrometheus,
    InitDump,
    Ready,
    Runtime,
    Memory,
    HotRestartVersion,

    /// <summary>linkerd2-proxy's <c>/metrics</c> (Prometheus text), not Envoy's <c>/stats/prometheus</c>.</summary>
    LinkerdMetrics,

    /// <summary>linkerd2-proxy's <c>/live</c>.</summary>
    Live,
}

/// <summary>The bytes of one admin endpoint response or one input file, untouched.</summary>
/// <param name="Endpoint">What the bytes are.</param>
/// <param name="Source">A human name for error messages: a file path relative to what the user gave, or a URL path.</param>
/// <param name="Content">The bytes as read.</param>
/// <param name="CapturedAt">When these bytes were read from the proxy, when known (a bundle manifest's per-file time).</param>
public sealed record RawDocument(AdminEndpoint Endpoint, string Source, byte[] Content, DateTimeOffset? CapturedAt = null);

/// <summary>
/// Everything read from one proxy (or one file), before decoding: bytes only. Produced by the sources
/// (file, bundle, admin URL, port-forward) and consumed by decoding.
/// </summary>
public sealed record RawSnapshot(string Origin, IReadOnlyList<RawDocument> Documents, DateTimeOffset? CapturedAt = null)
{
    /// <summary>The manifest endpoint name of the control plane's view of the proxy (<c>control_plane.json</c>), not an admin endpoint.</summary>
    public const string ControlPlaneEndpoint = "control_plane";

    /// <summary>The control plane's view of the proxy (<c>snapshot --control-plane</c>), when the bundle holds one.</summary>
    public RawFile? ControlPlane { get; init; }

    public RawDocument? Get(AdminEndpoint endpoint) => Documents.FirstOrDefault(d => d.Endpoint == endpoint);
}

/// <summary>Bytes read beside the admin documents (the control plane's view of the proxy), untouched.</summary>
/// <param name="Source">A human name for error messages.</param>
/// <param name="Content">The bytes as read.</param>
/// <param name="CapturedAt">When they were read, when known.</param>
public sealed record RawFile(string Source, byte[] Content, DateTimeOffset? CapturedAt = null);
