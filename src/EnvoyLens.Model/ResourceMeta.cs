using EnvoyLens.Core;

namespace EnvoyLens.Model;

/// <summary>Where a resource came from.</summary>
public enum ResourceOrigin
{
    /// <summary>Bootstrap (static_listeners, static_clusters, static_route_configs, static_secrets).</summary>
    Static,

    /// <summary>Delivered by xDS.</summary>
    Dynamic,
}

/// <summary>The lifecycle state Envoy reports for a resource.</summary>
public enum ResourceState
{
    Active,
    Warming,
    Draining,

    /// <summary>Only an <c>error_state</c> is known: the control plane sent a version Envoy rejected and no good one exists.</summary>
    Rejected,
}

/// <summary>Envoy's <c>error_state</c> (UpdateFailureState): the last update it rejected.</summary>
public sealed record UpdateFailure(string? Details, DateTimeOffset? LastUpdateAttempt, string? VersionInfo, JsonPointer Pointer);

/// <summary>What every resource of the model carries: identity, state, versions and its place in the source document.</summary>
public sealed record ResourceMeta(
    ResourceKind Kind,
    string Name,
    ResourceOrigin Origin,
    ResourceState State,
    string? VersionInfo,
    DateTimeOffset? LastUpdated,
    JsonPointer Pointer,
    UpdateFailure? Error = null)
{
    public ResourceRef Ref => new(Kind, Name);
}
