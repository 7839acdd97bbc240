namespace EnvoyLens.Model;

/// <summary>The xDS types <c>envoylens status</c> reports, in its column order.</summary>
public enum XdsType
{
    Cds,
    Lds,
    Eds,
    Rds,
    Ecds,
}

/// <summary>Where a proxy stands on one xDS type, as the control plane sees it (istioctl's words in <see cref="SyncStates.Text"/>).</summary>
public enum SyncState
{
    /// <summary>Nothing of this type was sent (or the proxy never asked).</summary>
    NotSent,

    /// <summary>The proxy acknowledged the latest version sent.</summary>
    Synced,

    /// <summary>A version was sent and not yet acknowledged.</summary>
    Stale,

    /// <summary>The proxy rejected (NACKed) what was sent, or reported an error for a resource.</summary>
    Error,

    /// <summary>The control plane did not say.</summary>
    Unknown,
}

/// <summary>The words of <see cref="SyncState"/> as <c>istioctl proxy-status</c> prints them.</summary>
public static class SyncStates
{
    public static string Text(SyncState state) => state switch
    {
        SyncState.NotSent => "NOT SENT",
        SyncState.Synced => "SYNCED",
        SyncState.Stale => "STALE",
        SyncState.Error => "ERROR",
        _ => "UNKNOWN",
    };
}

/// <summary>A resource the proxy rejected or failed on: its name (empty when the type as a whole failed), the control plane's error text, the version rejected.</summary>
public sealed record XdsError(string Resource, string Details, string? Version);

/// <summary>One xDS type of one proxy: its state, the version the control plane last sent or the proxy acknowledged, and the NACKs.</summary>
public sealed record XdsTypeStatus(XdsType Type, SyncState State, string? Version, IReadOnlyList<XdsError> Errors);

/// <summary>
/// One proxy as the control plane reports it. <see cref="Name"/> is <c>POD.NAMESPACE</c> from an Istio node id or
/// its metadata, else the node id; <see cref="ControlPlane"/> the instance that answered (its id, else its address).
/// </summary>
public sealed record ProxySyncStatus(
    string NodeId,
    string Name,
    string? Namespace,
    string? Cluster,
    string ControlPlane,
    string? Version,
    IReadOnlyList<XdsTypeStatus> Types)
{
    public XdsTypeStatus? Of(XdsType type) => Types.FirstOrDefault(t => t.Type == type);

    /// <summary>True when any type is STALE or ERROR.</summary>
    public bool IsOutOfSync => Types.Any(t => t.State is SyncState.Stale or SyncState.Error);
}

/// <summary>What a control plane reported about its proxies, sorted by name, and how it was asked.</summary>
/// <param name="Address">The control plane's address.</param>
/// <param name="Api">The API that answered, e.g. <c>CSDS FetchClientStatus</c>.</param>
public sealed record ControlPlaneStatus(string Address, string Api, IReadOnlyList<ProxySyncStatus> Proxies);

/// <summary>
/// The control plane's view of one captured proxy, read back from a bundle's <c>control_plane.json</c>
/// (<c>snapshot --control-plane</c>).
/// </summary>
/// <param name="Source">The file it was read from.</param>
/// <param name="Address">The control plane's address.</param>
/// <param name="NodeId">The node id the control plane was asked about.</param>
/// <param name="Proxy">The proxy as the control plane reports it: per-type state, versions and NACKs, the proxy's version.</param>
/// <param name="CapturedAt">When the control plane was asked, when the manifest says.</param>
/// <param name="StaleSince">Per type, since when it has been STALE, when the file says (<c>types[].since</c>).</param>
public sealed record ControlPlaneView(
    string Source,
    string Address,
    string NodeId,
    ProxySyncStatus Proxy,
    DateTimeOffset? CapturedAt,
    IReadOnlyDictionary<XdsType, DateTimeOffset> StaleSince);
