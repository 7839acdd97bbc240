using EnvoyLens.Core;

namespace EnvoyLens.Diff;

/// <summary>What happened to a resource or to one field of it.</summary>
public enum ChangeType
{
    Added,
    Removed,
    Changed,

    /// <summary>A secret's certificate was replaced; old and new name the serial and expiry, not the bytes.</summary>
    Rotated,
}

/// <summary>
/// One difference. <see cref="Path"/> is a JSON pointer into the resource's canonical form where list elements are
/// named by identity (<c>/filter_chains/virtualInbound/filters/envoy.filters.network.rbac</c>); empty for a whole
/// resource added or removed. <see cref="Old"/> and <see cref="New"/> are compact JSON (null when absent).
/// </summary>
public sealed record Change(ResourceKind Kind, string Name, ChangeType Type, string Path, string? Old, string? New);

/// <summary>Per kind, how many resources were added, removed and changed.</summary>
public sealed record KindSummary(ResourceKind Kind, int Added, int Removed, int Changed);

/// <summary>The differences between two captures, in a stable order (kind, name, path), with sentences for common cases.</summary>
public sealed record ChangeSet(
    string Before,
    string After,
    IReadOnlyList<Change> Changes,
    IReadOnlyList<KindSummary> Kinds,
    IReadOnlyList<string> Summaries)
{
    public bool IsEmpty => Changes.Count == 0;

    /// <summary>
    /// The secret values that were redacted (on either side) in resources present on both sides, and so were not
    /// compared: two redacted values are equal whatever they hid. Zero when secrets were kept (<c>--show-secrets</c>).
    /// </summary>
    public NotCompared Redacted { get; init; } = new(0, 0);
}

/// <summary>How many redacted values, in how many matched resources, were not compared.</summary>
public sealed record NotCompared(int Values, int Resources);

/// <summary>What to compare.</summary>
public sealed record DiffOptions
{
    /// <summary>Globs over field paths to leave out (<c>*</c> one token or part of one, <c>**</c> any number of tokens).</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>The kinds to compare; null compares all. VirtualHost and Route follow RouteConfig.</summary>
    public IReadOnlySet<ResourceKind>? Kinds { get; init; }

    /// <summary>Compare endpoints (ClusterLoadAssignment); <c>--no-eds</c> turns it off.</summary>
    public bool IncludeEndpoints { get; init; } = true;

    /// <summary>Fields that change on every push and are never reported.</summary>
    public static IReadOnlyList<string> Volatile { get; } = ["**/version_info", "**/last_updated", "**/nonce", "**/uptime"];
}
