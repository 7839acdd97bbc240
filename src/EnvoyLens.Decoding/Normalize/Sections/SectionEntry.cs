using EnvoyLens.Core;
using EnvoyLens.Model;
using Google.Protobuf.WellKnownTypes;
using AdminV3 = Envoy.Admin.V3;

namespace EnvoyLens.Decoding.Normalize.Sections;

/// <summary>
/// One resource entry of a config dump section, the same for every section: what the normalizer maps. A dynamic
/// listener reported in several states is one entry per state.
/// </summary>
/// <param name="Payload">The resource's configuration as dumped; null when the entry holds none.</param>
/// <param name="Pointer">Where <paramref name="Payload"/> sits; for an entry that holds none, the entry itself.</param>
/// <param name="Origin">Static (bootstrap) or dynamic (xDS).</param>
/// <param name="State">The state Envoy reports the configuration in.</param>
/// <param name="Version">The entry's version_info, if it has one.</param>
/// <param name="LastUpdated">The entry's last_updated.</param>
/// <param name="Error">The entry's error_state and where it sits.</param>
/// <param name="ClientStatus">
/// For an entry that holds no configuration, the client status the section reports for it; null for a static entry
/// whose resource field is merely empty (counted, nothing else).
/// </param>
/// <param name="Name">The name the entry carries beside its configuration (listeners, secrets), used when the configuration has none.</param>
internal sealed record SectionEntry(
    Any? Payload,
    JsonPointer Pointer,
    ResourceOrigin Origin,
    ResourceState State,
    string? Version,
    Timestamp? LastUpdated,
    SectionError? Error,
    AdminV3.ClientResourceStatus? ClientStatus,
    string? Name);

/// <summary>An entry's <c>error_state</c> and its structural pointer.</summary>
internal sealed record SectionError(AdminV3.UpdateFailureState State, JsonPointer Pointer);
