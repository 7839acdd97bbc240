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

    public override IEnumerable<SectionEntry> Entries(AdminV3.SecretsConfigDump dump, JsonPointer at, NormalizeContext context) =>
        dump.StaticSecrets.Select((e, i) => StaticEntry(e, at.Append("static_secrets").Append(i)))
            .Concat(DynamicEntries(dump.DynamicActiveSecrets, at.Append("dynamic_active_secrets"), ResourceState.Active))
            .Concat(DynamicEntries(dump.DynamicWarmingSecrets, at.Append("dynamic_warming_secrets"), ResourceState.Warming));

    private static SectionEntry StaticEntry(AdminV3.SecretsConfigDump.Types.StaticSecret entry, JsonPointer entryAt) =>
        entry.Secret is null
            ? new SectionEntry(null, entryAt, ResourceOrigin.Static, ResourceState.Active, null, null, null, AdminV3.ClientResourceStatus.Unknown, entry.Name)
            : Static(entry.Secret, entryAt, "secret", entry.LastUpdated, entry.Name);

    private static IEnumerable<SectionEntry> DynamicEntries(IEnumerable<AdminV3.SecretsConfigDump.Types.DynamicSecret> entries, JsonPointer at, ResourceState state) =>
        entries.Select((e, i) => Dynamic(e.Secret, at.Append(i), "secret", state, e.VersionInfo, e.LastUpdated, e.ErrorState, e.ClientStatus, e.Name));
}
