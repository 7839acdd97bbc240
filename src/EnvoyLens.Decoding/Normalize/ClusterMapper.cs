using EnvoyLens.Model;
using AggregateV3 = Envoy.Extensions.Clusters.Aggregate.V3;
using ClusterV3 = Envoy.Config.Cluster.V3;

namespace EnvoyLens.Decoding.Normalize;

/// <summary>Cluster → <see cref="Cluster"/>.</summary>
internal sealed class ClusterMapper(NormalizeContext context, TlsMapper tls, EndpointMapper endpoints)
{
    /// <summary>The custom cluster type of aggregate clusters.</summary>
    public const string AggregateClusterType = "envoy.clusters.aggregate";

    public Cluster Map(ClusterV3.Cluster cluster, ResourceMeta meta)
    {
        var at = meta.Pointer;
        var type = ProtoValues.EnumName(cluster.Type);
        IReadOnlyList<string> aggregate = [];
        if (cluster.ClusterDiscoveryTypeCase == ClusterV3.Cluster.ClusterDiscoveryTypeOneofCase.ClusterType)
        {
            var custom = cluster.ClusterType;
            type = custom.Name;
            var config = custom.TypedConfig;
            var configAt = at.Append("cluster_type").Append("typed_config");
            if (config is not null && config.Is(AggregateV3.ClusterConfig.Descriptor) && context.Unpack<AggregateV3.ClusterConfig>(config, configAt) is { } aggregateConfig)
            {
                aggregate = aggregateConfig.Clusters.ToArray();
            }
        }

        var (socket, clusterTls) = tls.TransportSocket(cluster.TransportSocket, at.Append("transport_socket"));

        var matches = new List<TransportSocketMatch>(cluster.TransportSocketMatches.Count);
        for (var i = 0; i < cluster.TransportSocketMatches.Count; i++)
        {
            var match = cluster.TransportSocketMatches[i];
            var matchAt = at.Append("transport_socket_matches").Append(i);
            var (matchSocket, matchTls) = tls.TransportSocket(match.TransportSocket, matchAt.Append("transport_socket"));
            matches.Add(new TransportSocketMatch(match.Name, ProtoValues.ToStringFields(match.Match), matchSocket, matchTls));
        }

        // Istio's auto-mTLS clusters carry their TLS in the tlsMode-istio match rather than in transport_socket.
        clusterTls ??= matches.FirstOrDefault(IsIstioTlsMatch)?.Tls;

        var breakers = cluster.CircuitBreakers?.Thresholds
            .Select(t => new CircuitBreakerThresholds(ProtoValues.EnumName(t.Priority), t.MaxConnections, t.MaxPendingRequests, t.MaxRequests, t.MaxRetries))
            .ToArray() ?? [];

        OutlierDetection? outlier = null;
        if (cluster.OutlierDetection is { } od)
        {
            outlier = new OutlierDetection(
                od.Consecutive5Xx,
                ProtoValues.ToTimeSpan(od.Interval),
                ProtoValues.ToTimeSpan(od.BaseEjectionTime),
                od.MaxEjectionPercent,
                od.ConsecutiveGatewayFailure,
                context.At(od, at.Append("outlier_detection")));
        }

        var inline = cluster.LoadAssignment is null
            ? []
            : endpoints.Endpoints(cluster.LoadAssignment, context.At(cluster.LoadAssignment, at.Append("load_assignment")), EndpointSource.Inline, cluster.Name);

        return new Cluster(
            meta,
            type,
            ProtoValues.NullIfEmpty(cluster.EdsClusterConfig?.ServiceName),
            LbPolicy(cluster),
            ProtoValues.ToTimeSpan(cluster.ConnectTimeout),
            clusterTls,
            socket,
            matches,
            breakers,
            outlier,
            cluster.HealthChecks.Count,
            aggregate,
            inline,
            ProtoValues.ToMetadata(cluster.Metadata));
    }

    /// <summary>
    /// The load balancing policy: the first policy of <c>load_balancing_policy</c> when set (an extension name such as
    /// envoy.load_balancing_policies.round_robin), else the lb_policy enum name.
    /// </summary>
    private static string LbPolicy(ClusterV3.Cluster cluster)
    {
        var typed = cluster.LoadBalancingPolicy?.Policies.FirstOrDefault()?.TypedExtensionConfig?.Name;
        return string.IsNullOrEmpty(typed) ? ProtoValues.EnumName(cluster.LbPolicy) : typed;
    }

    private static bool IsIstioTlsMatch(TransportSocketMatch match) =>
        match.Tls is not null &&
        (match.Name == "tlsMode-istio" || (match.Match.TryGetValue("tlsMode", out var mode) && mode == "istio"));
}
