using EnvoyLens.Core;
using EnvoyLens.Model;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using AdminV3 = Envoy.Admin.V3;

namespace EnvoyLens.Decoding.Normalize.Sections;

/// <summary>What the normalizer needs to know of one resource type: its kind, its name, and an empty one of a name.</summary>
/// <param name="kind">The model's kind of the resource.</param>
/// <param name="nameOf">The name the configuration itself carries (may be empty).</param>
/// <param name="stub">An empty configuration of a name, for a rejected entry whose failed configuration cannot be read.</param>
internal abstract class ResourceSection<TResource>(ResourceKind kind, Func<TResource, string> nameOf, Func<string, TResource> stub)
    where TResource : class, IMessage<TResource>, new()
{
    public ResourceKind Kind => kind;

    public string NameOf(TResource resource) => nameOf(resource);

    public TResource Stub(string name) => stub(name);
}

/// <summary>Turns one <c>*ConfigDump</c> section into its entries, in document order.</summary>
internal abstract class ResourceSection<TDump, TResource>(ResourceKind kind, Func<TResource, string> nameOf, Func<string, TResource> stub)
    : ResourceSection<TResource>(kind, nameOf, stub)
    where TDump : class, IMessage
    where TResource : class, IMessage<TResource>, new()
{
    /// <param name="dump">The section.</param>
    /// <param name="at">Where the section sits (<c>/configs/3</c>).</param>
    /// <param name="context">Where the reader located the messages it tracks.</param>
    public abstract IEnumerable<SectionEntry> Entries(TDump dump, JsonPointer at, NormalizeContext context);

    /// <summary>A static entry at <paramref name="entryAt"/> whose configuration is in <paramref name="field"/>.</summary>
    protected static SectionEntry Static(Any? payload, JsonPointer entryAt, string field, Timestamp? lastUpdated, string? name = null) =>
        new(payload, entryAt.Append(field), ResourceOrigin.Static, ResourceState.Active, null, lastUpdated, null, null, name);

    /// <summary>A dynamic entry at <paramref name="entryAt"/> whose configuration, if any, is in <paramref name="field"/>.</summary>
    protected static SectionEntry Dynamic(
        Any? payload,
        JsonPointer entryAt,
        string field,
        ResourceState state,
        string? version,
        Timestamp? lastUpdated,
        AdminV3.UpdateFailureState? errorState,
        AdminV3.ClientResourceStatus clientStatus,
        string? name = null) =>
        new(payload, payload is null ? entryAt : entryAt.Append(field), ResourceOrigin.Dynamic, state, version, lastUpdated, ErrorAt(errorState, entryAt), clientStatus, name);

    /// <summary>The entry's error state, at <c>error_state</c> below the entry.</summary>
    protected static SectionError? ErrorAt(AdminV3.UpdateFailureState? errorState, JsonPointer entryAt) =>
        errorState is null ? null : new SectionError(errorState, entryAt.Append("error_state"));
}
