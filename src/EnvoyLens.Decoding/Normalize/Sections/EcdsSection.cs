using EnvoyLens.Core;
using EnvoyLens.Model;
using AdminV3 = Envoy.Admin.V3;
using CoreV3 = Envoy.Config.Core.V3;

namespace EnvoyLens.Decoding.Normalize.Sections;

/// <summary><c>EcdsConfigDump</c>: the extension configurations delivered by ECDS, all dynamic.</summary>
internal sealed class EcdsSection() : ResourceSection<AdminV3.EcdsConfigDump, CoreV3.TypedExtensionConfig>(ResourceKind.Ecds, r => r.Name, n => new() { Name = n })
{
    public static EcdsSection Instance { get; } = new();

    public override IReadOnlyList<DynamicField<AdminV3.EcdsConfigDump>> DynamicFields { get; } =
    [
        Field<AdminV3.EcdsConfigDump.Types.EcdsFilterConfig>("ecds_filters", d => d.EcdsFilters, (e, at, _) =>
            [Dynamic(e.EcdsFilter, at, "ecds_filter", ResourceState.Active, e.VersionInfo, e.LastUpdated, e.ErrorState, e.ClientStatus)]),
    ];

    protected override IEnumerable<SectionEntry> StaticEntries(AdminV3.EcdsConfigDump dump, JsonPointer at, NormalizeContext context) => [];
}
