using EnvoyLens.Core;

namespace EnvoyLens.Model;

/// <summary>The parts of an Istio cluster name <c>direction|port|subset|fqdn</c>.</summary>
public sealed record IstioClusterName(string Direction, int? Port, string Subset, string Fqdn)
{
    /// <summary>Parses <c>outbound|9080|v1|reviews.default.svc.cluster.local</c>; null for names of another shape.</summary>
    public static IstioClusterName? TryParse(string name)
    {
        var parts = name.Split('|');
        if (parts.Length != 4)
        {
            return null;
        }

        int? port = int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : null;
        return new IstioClusterName(parts[0], port, parts[2], parts[3]);
    }
}

/// <summary>Upstream or downstream TLS settings, from an inline context or SDS.</summary>
public sealed record TlsContext(
    string? Sni,
    IReadOnlyList<string> CertificateSdsNames,
    string? ValidationSdsName,
    IReadOnlyList<StringMatch> SubjectAltNameMatchers,
    bool HasTrustedCa,
    IReadOnlyList<string> InlineCertificateChains,
    IReadOnlyList<string> InlineTrustedCas,
    IReadOnlyList<string> AlpnProtocols,
    bool? RequireClientCertificate,
    JsonPointer Pointer)
{
    /// <summary>Per-trust-domain bundles of a SPIFFE certificate validator (<c>custom_validator_config</c>), in config order.</summary>
    public IReadOnlyList<SpiffeTrustBundle> SpiffeTrustBundles { get; init; } = [];
}

/// <summary>A transport socket match (Istio's <c>tlsMode-istio</c>, say) and the TLS it selects.</summary>
public sealed record TransportSocketMatch(string Name, IReadOnlyDictionary<string, string> Match, TypedExtension? TransportSocket, TlsContext? Tls);

public sealed record CircuitBreakerThresholds(string Priority, uint? MaxConnections, uint? MaxPendingRequests, uint? MaxRequests, uint? MaxRetries);

public sealed record OutlierDetection(uint? Consecutive5xx, TimeSpan? Interval, TimeSpan? BaseEjectionTime, uint? MaxEjectionPercent, uint? ConsecutiveGatewayFailure, JsonPointer Pointer);

public sealed record Cluster(
    ResourceMeta Meta,
    /// <summary>STATIC, STRICT_DNS, LOGICAL_DNS, EDS, ORIGINAL_DST, or the custom cluster type's name (e.g. envoy.clusters.aggregate).</summary>
    string Type,
    string? EdsServiceName,
    string? LbPolicy,
    TimeSpan? ConnectTimeout,
    TlsContext? Tls,
    TypedExtension? TransportSocket,
    IReadOnlyList<TransportSocketMatch> TransportSocketMatches,
    IReadOnlyList<CircuitBreakerThresholds> CircuitBreakers,
    OutlierDetection? OutlierDetection,
    int HealthCheckCount,
    IReadOnlyList<string> AggregateClusters,
    IReadOnlyList<Endpoint> InlineEndpoints,
    MetadataMap Metadata)
{
    public string Name => Meta.Name;

    public IstioClusterName? Istio => IstioClusterName.TryParse(Name);

    /// <summary>The name EDS endpoints are keyed by: <see cref="EdsServiceName"/> when set, else the cluster name.</summary>
    public string EndpointKey => string.IsNullOrEmpty(EdsServiceName) ? Name : EdsServiceName;
}
