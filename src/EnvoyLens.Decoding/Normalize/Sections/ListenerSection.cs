using EnvoyLens.Core;
using EnvoyLens.Model;
using AdminV3 = Envoy.Admin.V3;
using ListenerV3 = Envoy.Config.Listener.V3;

namespace EnvoyLens.Decoding.Normalize.Sections;

/// <summary>
/// <c>ListenersConfigDump</c>: static listeners, and dynamic listeners with up to three states (active, warming,
/// draining) that share one error state; a dynamic listener in none of them is one entry without configuration.
/// </summary>
internal sealed class ListenerSection() : ResourceSection<AdminV3.ListenersConfigDump, ListenerV3.Listener>(ResourceKind.Listener, r => r.Name, n => new() { Name = n })
{
    public static ListenerSection Instance { get; } = new();

    public override IReadOnlyList<DynamicField<AdminV3.ListenersConfigDump>> DynamicFields { get; } =
    [
        Field<AdminV3.ListenersConfigDump.Types.DynamicListener>("dynamic_listeners", d => d.DynamicListeners, DynamicEntries),
    ];

    protected override IEnumerable<SectionEntry> StaticEntries(AdminV3.ListenersConfigDump dump, JsonPointer at, NormalizeContext context) =>
        dump.StaticListeners.Select((e, i) => Static(e.Listener, at.Append("static_listeners").Append(i), "listener", e.LastUpdated));

    private static IEnumerable<SectionEntry> DynamicEntries(AdminV3.ListenersConfigDump.Types.DynamicListener entry, JsonPointer at, NormalizeContext context)
    {
        var entryAt = context.At(entry, at);
        var error = ErrorAt(entry.ErrorState, entryAt);
        var any = false;
        foreach (var (state, field, value) in new[]
                 {
                     (ResourceState.Active, "active_state", entry.ActiveState),
                     (ResourceState.Warming, "warming_state", entry.WarmingState),
                     (ResourceState.Draining, "draining_state", entry.DrainingState),
                 })
        {
            if (value?.Listener is null)
            {
                continue;
            }

            any = true;
            yield return new SectionEntry(value.Listener, entryAt.Append(field).Append("listener"), ResourceOrigin.Dynamic, state, value.VersionInfo, value.LastUpdated, error, null, entry.Name);
        }

        if (!any)
        {
            yield return new SectionEntry(null, entryAt, ResourceOrigin.Dynamic, ResourceState.Active, null, null, error, entry.ClientStatus, entry.Name);
        }
    }
}
