namespace EnvoyLens.Core;

/// <summary>Kinds of resource in a proxy's configuration, as used in findings, diffs and diagnostics.</summary>
public enum ResourceKind
{
    Bootstrap,
    Listener,
    RouteConfig,
    VirtualHost,
    Route,
    Cluster,
    Endpoint,
    Secret,
    Ecds,
    ScopedRoute,
    ServerInfo,
    Stats,
}

/// <summary>Names one resource: kind plus name (for example <c>Cluster outbound|9080||reviews.default.svc.cluster.local</c>).</summary>
public readonly record struct ResourceRef(ResourceKind Kind, string Name)
{
    public override string ToString() => $"{Kind} {Name}";
}
