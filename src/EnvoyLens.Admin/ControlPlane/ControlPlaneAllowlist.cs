using EnvoyLens.Core;

namespace EnvoyLens.Admin.ControlPlane;

/// <summary>How a gRPC method is called: one request and one response, or a stream of which EnvoyLens sends one request and reads one response.</summary>
public enum ControlPlaneCallKind
{
    Unary,
    Stream,
}

/// <summary>
/// One gRPC call EnvoyLens may want to make of a control plane: the service and method, and for the aggregated
/// discovery stream the type URL and resource names asked for. Only <see cref="ControlPlaneAllowlist"/> decides
/// whether it may be sent.
/// </summary>
/// <param name="Service">The fully qualified gRPC service, e.g. <c>envoy.service.status.v3.ClientStatusDiscoveryService</c>.</param>
/// <param name="Method">The method, e.g. <c>FetchClientStatus</c>.</param>
/// <param name="TypeUrl">For <c>StreamAggregatedResources</c>, the type URL requested; null otherwise.</param>
/// <param name="NodeId">The proxy asked about: a CSDS node matcher, or the resource name of <c>istio.io/debug/config_dump</c>; null for all proxies.</param>
public sealed record ControlPlaneCall(string Service, string Method, string? TypeUrl = null, string? NodeId = null)
{
    /// <summary>The gRPC path, <c>/SERVICE/METHOD</c>.</summary>
    public string Path => "/" + Service + "/" + Method;

    /// <summary>How the call reads in a message: the path, and the type URL when there is one.</summary>
    public string Display => TypeUrl is null ? Path : $"{Path} ({TypeUrl})";
}

/// <summary>
/// The only calls EnvoyLens ever makes of a control plane: the two read-only CSDS methods, and the aggregated
/// discovery stream asking only for Istio's two debug types (<c>istio.io/debug/syncz</c>, <c>istio.io/debug/config_dump</c>),
/// which answer with status and generated config and subscribe to nothing. Every other method (delta xDS, the
/// per-type discovery services, load reporting, health discovery, any other service) and every other type URL (which
/// would subscribe EnvoyLens to real xDS resources as if it were a proxy) is refused before a connection is opened.
/// <see cref="ControlPlaneClient"/> checks every call here, in one place, before it builds a request.
/// </summary>
public static class ControlPlaneAllowlist
{
    public const string StatusService = "envoy.service.status.v3.ClientStatusDiscoveryService";
    public const string AggregatedService = "envoy.service.discovery.v3.AggregatedDiscoveryService";
    public const string FetchClientStatus = "FetchClientStatus";
    public const string StreamClientStatus = "StreamClientStatus";
    public const string StreamAggregatedResources = "StreamAggregatedResources";
    public const string IstioSyncz = "istio.io/debug/syncz";
    public const string IstioConfigDump = "istio.io/debug/config_dump";

    /// <summary>The allowed methods (by gRPC path), how each is called, and the type URLs each may carry (empty: none).</summary>
    private static readonly Dictionary<string, (ControlPlaneCallKind Kind, string[] TypeUrls)> Allowed = new(StringComparer.Ordinal)
    {
        ["/" + StatusService + "/" + FetchClientStatus] = (ControlPlaneCallKind.Unary, []),
        ["/" + StatusService + "/" + StreamClientStatus] = (ControlPlaneCallKind.Stream, []),
        ["/" + AggregatedService + "/" + StreamAggregatedResources] = (ControlPlaneCallKind.Stream, [IstioSyncz, IstioConfigDump]),
    };

    /// <summary>The allowed gRPC paths, sorted.</summary>
    public static IReadOnlyList<string> Paths { get; } = Allowed.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The allowed type URLs of <c>StreamAggregatedResources</c>, sorted.</summary>
    public static IReadOnlyList<string> TypeUrls { get; } = [IstioConfigDump, IstioSyncz];

    /// <summary>True when <paramref name="call"/> may be sent, with how it is called; <paramref name="reason"/> says why not.</summary>
    public static bool IsAllowed(ControlPlaneCall call, out ControlPlaneCallKind kind, out string reason)
    {
        ArgumentNullException.ThrowIfNull(call);
        kind = ControlPlaneCallKind.Unary;
        reason = string.Empty;
        if (!Allowed.TryGetValue(call.Path, out var entry))
        {
            reason = $"'{call.Path}' is not a read-only status method EnvoyLens calls (allowed: {string.Join(", ", Paths)})";
            return false;
        }

        if (entry.TypeUrls.Length == 0 && call.TypeUrl is not null)
        {
            reason = $"'{call.Path}' carries no type URL, and '{call.TypeUrl}' was given";
            return false;
        }

        if (entry.TypeUrls.Length > 0 && (call.TypeUrl is null || !entry.TypeUrls.Contains(call.TypeUrl, StringComparer.Ordinal)))
        {
            reason = call.TypeUrl is null
                ? $"'{call.Path}' needs a type URL ({string.Join(" or ", entry.TypeUrls)})"
                : $"'{call.TypeUrl}' is not an Istio debug type; on '{call.Path}' it would subscribe EnvoyLens to xDS resources like a proxy (allowed: {string.Join(", ", TypeUrls)})";
            return false;
        }

        if (call.TypeUrl == IstioConfigDump && string.IsNullOrEmpty(call.NodeId))
        {
            reason = $"'{IstioConfigDump}' needs the node id of the proxy whose config is asked for";
            return false;
        }

        if (call.NodeId is { } node && node.Any(c => c < ' ' || c == 0x7f))
        {
            reason = "the node id contains control characters";
            return false;
        }

        kind = entry.Kind;
        return true;
    }

    /// <summary>Throws an <see cref="EnvoyLensException"/> naming the call when it is not allowed; returns how it is called.</summary>
    public static ControlPlaneCallKind Check(ControlPlaneCall call, string target)
    {
        if (!IsAllowed(call, out var kind, out var reason))
        {
            throw new EnvoyLensException($"EnvoyLens refuses to call {call.Display} on {target}: {reason}; it only makes the allowlisted read-only status calls.");
        }

        return kind;
    }
}
