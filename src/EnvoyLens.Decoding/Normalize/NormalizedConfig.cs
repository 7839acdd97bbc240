using EnvoyLens.Model;
using EnvoyLens.ProtoJson;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyLens.Decoding.Normalize;

/// <summary>
/// What the sections of one config dump normalize to. Lists are in document order; a dynamic resource appears
/// once per state Envoy reports for it (active, warming, draining, or rejected when only an error is known).
/// </summary>
/// <param name="Sections">
/// One summary per section added. <see cref="SectionSummary.Counts"/> is keyed <c>Kind:State</c>
/// (<c>Listener:Static</c>, <c>Listener:Active</c>, <c>Cluster:Warming</c>, <c>RouteConfig:Rejected</c>, ...; entries that
/// hold no configuration at all count under their client status, e.g. <c>Cluster:DOES_NOT_EXIST</c>);
/// <see cref="SectionSummary.Typed"/> counts resources that made it into the model, <see cref="SectionSummary.Raw"/>
/// those kept raw.
/// </param>
internal sealed record NormalizedConfig(
    BootstrapInfo? Bootstrap,
    IReadOnlyList<Listener> Listeners,
    IReadOnlyList<RouteConfig> RouteConfigs,
    IReadOnlyList<Cluster> Clusters,
    IReadOnlyList<ClusterLoadAssignment> LoadAssignments,
    IReadOnlyList<Secret> Secrets,
    IReadOnlyList<EcdsConfig> Ecds,
    IReadOnlyList<SectionSummary> Sections);

/// <summary>Optional collaborators of a <see cref="ConfigDumpNormalizer"/>.</summary>
internal sealed class NormalizerOptions
{
    /// <summary>
    /// The message a reader already decoded into an Any (for example <see cref="ReadResult.Unpacked(Any)"/>): spares
    /// re-parsing the Any's bytes and keeps the reader's instances, whose locations it recorded. Null: Anys are unpacked.
    /// </summary>
    public Func<Any, IMessage?>? Unpacked { get; init; }

    /// <summary>Decides which type URLs EnvoyLens compiled (<see cref="TypedExtension.Typed"/>). Null: the generated Envoy types, legacy names mapped.</summary>
    public TypeResolver? Resolver { get; init; }
}
