using EnvoyLens.Core;
using EnvoyLens.Model;
using AdminV3 = Envoy.Admin.V3;
using CoreV3 = Envoy.Config.Core.V3;

namespace EnvoyLens.Decoding.Normalize.Sections;

/// <summary><c>EcdsConfigDump</c>: the extension configurations delivered by ECDS, all dynamic.</summary>
internal sealed class EcdsSection() : ResourceSection<AdminV3.EcdsConfigDump, CoreV3.TypedExtensionConfig>(ResourceKind.Ecds, r => r.Name, n => new() { Name = n })
{
    public static EcdsSection Instance { get; } = new();

    public override IEnumerable<SectionEntry> Entries(AdminV3.EcdsConfigDump dump, JsonPointer at, NormalizeContext context) =>
        dump.EcdsFilters.Select((e, i) =>
            Dynamic(e.EcdsFilter, at.Append("ecds_filters").Append(i), "ecds_filter", ResourceState.Active, e.VersionInfo, e.LastUpdated, e.ErrorState, e.ClientStatus));
}
