using System.Text.Json;
using EnvoyLens.Core;

namespace EnvoyLens.Model;

/// <summary>The proxy's node identity and what Istio (or another mesh) put in its metadata.</summary>
public sealed record NodeInfo(
    string? Id,
    string? Cluster,
    string? UserAgentName,
    string? UserAgentVersion,
    Locality? Locality,
    IReadOnlyDictionary<string, JsonElement> Metadata)
{
    public string? MetadataString(string key) =>
        Metadata.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Istio NAMESPACE metadata, else the namespace from a sidecar node id (<c>sidecar~ip~pod.ns~ns.svc.cluster.local</c>).</summary>
    public string? Namespace => MetadataString("NAMESPACE") ?? IstioNodeId?.Namespace;

    public string? ServiceAccount => MetadataString("SERVICE_ACCOUNT");

    public string? IstioVersion => MetadataString("ISTIO_VERSION");

    /// <summary>
    /// The whole <c>user_agent_build_version</c> as istioctl prints it: <c>MAJOR.MINOR.PATCH</c>, then <c>-build.label</c>,
    /// <c>/revision.status</c>, <c>/build.type</c>, <c>/ssl.version</c> from its metadata when present; null when the node has none.
    /// </summary>
    public string? BuildVersion { get; init; }

    public IstioNodeId? IstioNodeId => Id is null ? null : IstioNodeId.TryParse(Id);
}

/// <summary>An Istio node id: <c>type~ip~pod.namespace~namespace.svc.cluster.local</c>.</summary>
public sealed record IstioNodeId(string Type, string Ip, string PodName, string Namespace, string DnsDomain)
{
    public static IstioNodeId? TryParse(string id)
    {
        var parts = id.Split('~');
        if (parts.Length != 4)
        {
            return null;
        }

        var dot = parts[2].IndexOf('.', StringComparison.Ordinal);
        return dot < 0
            ? new IstioNodeId(parts[0], parts[1], parts[2], "", parts[3])
            : new IstioNodeId(parts[0], parts[1], parts[2][..dot], parts[2][(dot + 1)..], parts[3]);
    }
}

/// <summary>The bootstrap section: node, admin, static resources, dynamic resource sources.</summary>
public sealed record BootstrapInfo(
    NodeInfo? Node,
    SocketAddress? AdminAddress,
    int StaticListenerCount,
    int StaticClusterCount,
    int StaticSecretCount,
    string? AdsApiType,
    IReadOnlyList<string> AdsGrpcClusters,
    IReadOnlyList<TypedExtension> StatsSinks,
    DateTimeOffset? LastUpdated,
    JsonPointer Pointer);

/// <summary>From <c>/server_info</c>.</summary>
public sealed record ServerInfo(
    string? Version,
    string? State,
    TimeSpan? UptimeCurrentEpoch,
    TimeSpan? UptimeAllEpochs,
    string? HotRestartVersion,
    NodeInfo? Node,
    string Source);
