using EnvoyLens.Core;
using EnvoyLens.Model;
using EndpointV3 = Envoy.Config.Endpoint.V3;

namespace EnvoyLens.Decoding.Normalize;

/// <summary>ClusterLoadAssignment → <see cref="ClusterLoadAssignment"/> / endpoint rows.</summary>
internal sealed class EndpointMapper(NormalizeContext context)
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>(StringComparer.Ordinal);

    public ClusterLoadAssignment Map(EndpointV3.ClusterLoadAssignment assignment, ResourceMeta meta) =>
        new(meta, Endpoints(assignment, meta.Pointer, EndpointSource.Eds, assignment.ClusterName));

    /// <summary>One row per lb_endpoint, in document order.</summary>
    public IReadOnlyList<Endpoint> Endpoints(EndpointV3.ClusterLoadAssignment assignment, JsonPointer at, EndpointSource source, string clusterName)
    {
        var rows = new List<Endpoint>();
        for (var i = 0; i < assignment.Endpoints.Count; i++)
        {
            var group = assignment.Endpoints[i];
            var groupAt = at.Append("endpoints").Append(i);
            var locality = group.Locality is { } l
                ? new Locality(ProtoValues.NullIfEmpty(l.Region), ProtoValues.NullIfEmpty(l.Zone), ProtoValues.NullIfEmpty(l.SubZone))
                : null;
            for (var j = 0; j < group.LbEndpoints.Count; j++)
            {
                var lb = group.LbEndpoints[j];
                var lbAt = context.At(lb, groupAt, "lb_endpoints", j);
                SocketAddress address;
                string? hostname = null;
                if (lb.HostIdentifierCase == EndpointV3.LbEndpoint.HostIdentifierOneofCase.EndpointName)
                {
                    address = new SocketAddress(lb.EndpointName, null, "TCP", "named");
                }
                else
                {
                    address = ProtoValues.ToSocketAddress(lb.Endpoint?.Address) ?? new SocketAddress("", null);
                    hostname = ProtoValues.NullIfEmpty(lb.Endpoint?.Hostname);
                }

                rows.Add(new Endpoint(
                    clusterName,
                    address,
                    ProtoValues.EnumName(lb.HealthStatus),
                    null,
                    null,
                    locality,
                    lb.LoadBalancingWeight,
                    group.Priority,
                    hostname,
                    source,
                    lbAt)
                {
                    TransportSocketMatch = lb.Metadata?.FilterMetadata.TryGetValue("envoy.transport_socket_match", out var labels) == true
                        ? ProtoValues.ToStringFields(labels)
                        : NoLabels,
                    IstioWorkload = lb.Metadata?.FilterMetadata.TryGetValue("istio", out var istio) == true &&
                        istio.Fields.TryGetValue("workload", out var workload) && workload.KindCase == Google.Protobuf.WellKnownTypes.Value.KindOneofCase.StringValue
                            ? workload.StringValue
                            : null,
                });
            }
        }

        return rows;
    }
}
