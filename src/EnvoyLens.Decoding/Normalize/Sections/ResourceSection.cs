using EnvoyLens.Core;
using EnvoyLens.Model;
using Google.Protobuf;
using Google.Protobuf.Reflection;
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

/// <summary>
/// Turns one <c>*ConfigDump</c> section into its entries, in document order: the static entries first, then the
/// elements of each <see cref="DynamicFields"/> field in turn. A dynamic element can also be turned into its entries on
/// its own (<see cref="DynamicField{TDump}.EntriesOf"/>), so that a large section is read, mapped and dropped one
/// element at a time with the same entries, in the same order, as when the whole section is read.
/// </summary>
internal abstract class ResourceSection<TDump, TResource>(ResourceKind kind, Func<TResource, string> nameOf, Func<string, TResource> stub)
    : ResourceSection<TResource>(kind, nameOf, stub)
    where TDump : class, IMessage
    where TResource : class, IMessage<TResource>, new()
{
    /// <summary>The repeated fields of dynamic entries, in the order their entries follow the static ones.</summary>
    public abstract IReadOnlyList<DynamicField<TDump>> DynamicFields { get; }

    /// <param name="dump">The section.</param>
    /// <param name="at">Where the section sits (<c>/configs/3</c>).</param>
    /// <param name="context">Where the reader located the messages it tracks.</param>
    public IEnumerable<SectionEntry> Entries(TDump dump, JsonPointer at, NormalizeContext context) =>
        StaticEntries(dump, at, context).Concat(DynamicFields.SelectMany(f => f.Entries(dump, at, context)));

    /// <summary>The entries of the section's static (bootstrap) fields.</summary>
    protected abstract IEnumerable<SectionEntry> StaticEntries(TDump dump, JsonPointer at, NormalizeContext context);

    /// <summary>A repeated field of <typeparamref name="TElement"/> entries, named as in the proto (snake_case).</summary>
    protected static DynamicField<TDump> Field<TElement>(
        string name,
        Func<TDump, IReadOnlyList<TElement>> elements,
        Func<TElement, JsonPointer, NormalizeContext, IEnumerable<SectionEntry>> entries)
        where TElement : class, IMessage<TElement>, new() =>
        new DynamicField<TDump, TElement>(name, elements, entries);

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

/// <summary>One repeated field of a section whose elements are dynamic entries.</summary>
internal abstract class DynamicField<TDump>(string name, MessageDescriptor elementType)
    where TDump : class, IMessage
{
    /// <summary>The field's proto name (<c>dynamic_active_clusters</c>), which pointers use.</summary>
    public string Name => name;

    /// <summary>The type of its elements.</summary>
    public MessageDescriptor ElementType => elementType;

    /// <summary>The entries of every element of the field in <paramref name="dump"/>, in order.</summary>
    public abstract IEnumerable<SectionEntry> Entries(TDump dump, JsonPointer at, NormalizeContext context);

    /// <summary>The entries of one element read on its own; <paramref name="elementAt"/> is <c>at/name/index</c>.</summary>
    public abstract IEnumerable<SectionEntry> EntriesOf(IMessage element, JsonPointer elementAt, NormalizeContext context);
}

internal sealed class DynamicField<TDump, TElement>(
    string name,
    Func<TDump, IReadOnlyList<TElement>> elements,
    Func<TElement, JsonPointer, NormalizeContext, IEnumerable<SectionEntry>> entries)
    : DynamicField<TDump>(name, new TElement().Descriptor)
    where TDump : class, IMessage
    where TElement : class, IMessage<TElement>, new()
{
    public override IEnumerable<SectionEntry> Entries(TDump dump, JsonPointer at, NormalizeContext context)
    {
        var list = elements(dump);
        var fieldAt = at.Append(Name);
        for (var i = 0; i < list.Count; i++)
        {
            foreach (var entry in entries(list[i], fieldAt.Append(i), context))
            {
                yield return entry;
            }
        }
    }

    public override IEnumerable<SectionEntry> EntriesOf(IMessage element, JsonPointer elementAt, NormalizeContext context) =>
        entries((TElement)element, elementAt, context);
}
