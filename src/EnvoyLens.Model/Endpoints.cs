using EnvoyLens.Core;

namespace EnvoyLens.Model;

public sealed record Locality(string? Region, string? Zone, string? SubZone)
{
    public override string ToString() =>
        string.Join("/", new[] { Region, Zone, SubZone }.Where(s => !string.IsNullOrEmpty(s)));
}

/// <summary>Where an endpoint was read.</summary>
public enum EndpointSource
{
    /// <summary>The EDS section of a config dump (<c>include_eds</c>).</summary>
    Eds,

    /// <summary>A static cluster's inline load assignment.</summary>
    Inline,

    /// <summary>The <c>/clusters</c> admin endpoint.</summary>
    AdminClusters,
}

/// <summary>One upstream host of a cluster.</summary>
/// <param name="Health">Envoy's health status name: HEALTHY, UNHEALTHY, DRAINING, TIMEOUT, DEGRADED, UNKNOWN.</param>
/// <param name="FailedOutlierCheck">True when outlier detection ejected the host; null when the source does not say.</param>
public sealed record Endpoint(
    string ClusterName,
    SocketAddress Address,
    string Health,
    bool? FailedOutlierCheck,
    bool? FailedActiveHealthCheck,
    Locality? Locality,
    uint? Weight,
    uint Priority,
    string? Hostname,
    EndpointSource Source,
    JsonPointer Pointer)
{
    public bool IsHealthy => Health is "HEALTHY" && FailedOutlierCheck != true && FailedActiveHealthCheck != true;

    /// <summary>
    /// Envoy sends traffic to a host unless it is known unhealthy: HEALTHY, DEGRADED and UNKNOWN (EDS's default when the
    /// control plane says nothing) are usable, as long as neither outlier detection nor active health checks failed it.
    /// </summary>
    public bool IsUsable => Health is "HEALTHY" or "UNKNOWN" or "DEGRADED" && FailedOutlierCheck != true && FailedActiveHealthCheck != true;

    /// <summary>
    /// The endpoint's <c>envoy.transport_socket_match</c> metadata (string fields), which the cluster's
    /// <c>transport_socket_matches</c> are compared with (Istio labels an endpoint with a sidecar <c>tlsMode: istio</c>);
    /// empty when it has none or the source does not carry metadata (<c>/clusters</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> TransportSocketMatch { get; init; } = EmptyLabels;

    /// <summary>Istio's <c>istio.workload</c> endpoint metadata (<c>NAME;NAMESPACE;SERVICE;REVISION;CLUSTER</c>), or null.</summary>
    public string? IstioWorkload { get; init; }

    private static readonly IReadOnlyDictionary<string, string> EmptyLabels = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Why a host is not usable, in a few words (<c>outlier-ejected</c>, else its health).</summary>
    public string Problem =>
        FailedOutlierCheck == true ? "outlier-ejected"
        : FailedActiveHealthCheck == true ? "failed active health check"
        : Health;
}

/// <summary>A ClusterLoadAssignment from the EDS section of a dump.</summary>
public sealed record ClusterLoadAssignment(ResourceMeta Meta, IReadOnlyList<Endpoint> Endpoints)
{
    public string ClusterName => Meta.Name;
}
