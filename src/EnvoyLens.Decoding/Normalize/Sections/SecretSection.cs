using EnvoyLens.Core;
using EnvoyLens.Model;
using AdminV3 = Envoy.Admin.V3;
using TlsV3 = Envoy.Extensions.TransportSockets.Tls.V3;

namespace EnvoyLens.Decoding.Normalize.Sections;

/// <summary>
/// <c>SecretsConfigDump</c>: static secrets (one without its secret is an entry without configuration, client status
/// unknown), then the dynamic active and the dynamic warming ones. Entries carry the secret's name.
/// </summary>
internal sealed class SecretSection() : ResourceSection<AdminV3.SecretsConfigDump, TlsV3.Secret>(ResourceKind.Secret, r => r.Name, n => new() { Name = n })
{
    public static SecretSection Instance { get; } = new();

    public override IReadOnlyList<DynamicField<AdminV3.SecretsConfigDump>> DynamicFields { get; } =
    [
        Field<AdminV3.SecretsConfigDump.Types.DynamicSecret>("dynamic_active_secrets", d => d.DynamicActiveSecrets, (e, at, _) => [DynamicEntry(e, at, ResourceState.Active)]),
        Field<AdminV3.SecretsConfigDump.Types.DynamicSecret>("dynamic_warming_secrets", d => d.DynamicWarmingSecrets, (e, at, _) => [DynamicEntry(e, at, ResourceState.Warming)]),
    ];

    protected override IEnumerable<SectionEntry> StaticEntries(AdminV3.SecretsConfigDump dump, JsonPointer at, NormalizeContext context) =>
        dump.StaticSecrets.Select((e, i) => StaticEntry(e, at.Append("static_secrets").Append(i)));

    private static SectionEntry StaticEntry(AdminV3.SecretsConfigDump.Types.StaticSecret entry, JsonPointer entryAt) =>
        entry.Secret is null
            ? new SectionEntry(null, entryAt, ResourceOrigin.Static, ResourceState.Active, null, null, null, AdminV3.ClientResourceStatus.Unknown, entry.Name)
            : Static(entry.Secret, entryAt, "secret", entry.LastUpdated, entry.Name);

    private static SectionEntry DynamicEntry(AdminV3.SecretsConfigDump.Types.DynamicSecret e, JsonPointer at, ResourceState state) =>
        Dynamic(e.Secret, at, "secret", state, e.VersionInfo, e.LastUpdated, e.ErrorState, e.ClientStatus, e.Name);
}
