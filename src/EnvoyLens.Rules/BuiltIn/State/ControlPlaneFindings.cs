using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Rules.BuiltIn.State;

/// <summary>What the control-plane rules share: how an xDS type and its resources are named.</summary>
internal static class ControlPlaneFindings
{
    /// <summary>The type as <c>istioctl proxy-status</c> names it (<c>LDS</c>).</summary>
    public static string Name(XdsType type) => type switch
    {
        XdsType.Cds => "CDS",
        XdsType.Lds => "LDS",
        XdsType.Eds => "EDS",
        XdsType.Rds => "RDS",
        _ => "ECDS",
    };

    /// <summary>The kind of resource an xDS type carries.</summary>
    public static ResourceKind KindOf(XdsType type) => type switch
    {
        XdsType.Cds => ResourceKind.Cluster,
        XdsType.Lds => ResourceKind.Listener,
        XdsType.Eds => ResourceKind.Endpoint,
        XdsType.Rds => ResourceKind.RouteConfig,
        _ => ResourceKind.Ecds,
    };

    /// <summary>The pointer into <c>control_plane.json</c> of the <paramref name="index"/>th type.</summary>
    public static JsonPointer TypePointer(int index) => JsonPointer.Root.Append("proxy").Append("types").Append(index);

    /// <summary>The proxy as a resource: its node id.</summary>
    public static ResourceRef Proxy(ControlPlaneView view) => new(ResourceKind.Bootstrap, view.NodeId);
}
