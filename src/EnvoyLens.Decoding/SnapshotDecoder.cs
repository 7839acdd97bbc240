using EnvoyLens.Core;
using EnvoyLens.Core.Redaction;
using EnvoyLens.Decoding.Documents;
using EnvoyLens.Decoding.Endpoints;
using EnvoyLens.Decoding.Normalize;
using EnvoyLens.Model;
using EnvoyLens.ProtoJson;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyLens.Decoding;

/// <summary>Entry point of decoding: turns the raw bytes of a capture into the normalized model.</summary>
public static class SnapshotDecoder
{
    /// <summary>Resolves type URLs against the compiled Envoy API (listed at build time), lazily; legacy v2 names map to v3.</summary>
    internal static TypeResolver Resolver { get; } = new([EnvoyMessageTypes.Table], EnvoyTypes.V3NameFor);

    private static readonly ProtoJsonReader Reader = new(Resolver, new ProtoJsonReaderOptions
    {
        TrackedTypes = ConfigDumpNormalizer.TrackedTypes,

        // The normalizer reads these through ReadResult.Unpacked only; encoding them would be wasted work.
        UnencodedTypes = ConfigDumpNormalizer.TrackedTypes,
    });

    /// <summary>
    /// Decodes every document of <paramref name="raw"/>. Problems inside a document become diagnostics;
    /// a document that cannot be read at all becomes an <see cref="DiagnosticCodes.UnreadableDocument"/>
    /// error diagnostic and the other documents are still decoded.
    /// </summary>
    public static EnvoySnapshot Decode(RawSnapshot raw, DecodeOptions? options = null) => Decode(raw, options, wholeSections: false);

    /// <param name="raw">The capture.</param>
    /// <param name="options">How to decode.</param>
    /// <param name="wholeSections">
    /// Read every config dump section as one message, the way a section that cannot be split is read, instead of
    /// element by element; the model and diagnostics are the same either way (a test holds the two paths together).
    /// </param>
    internal static EnvoySnapshot Decode(RawSnapshot raw, DecodeOptions? options, bool wholeSections)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var state = new DecodeState { WholeSections = wholeSections };

        foreach (var document in raw.Documents)
        {
            try
            {
                DecodeDocument(WithValidUtf8(document, state.Diagnostics), options, state);
                state.Sources.Add(document.Source);
            }
            catch (EnvoyLensException e)
            {
                state.Diagnostics.Add(new DecodeDiagnostic(DiagnosticLevel.Error, DiagnosticCodes.UnreadableDocument, document.Source, JsonPointer.Root, e.Message));
            }
        }

        state.Stats = StatsSamples.Combine(state.StatsDocuments, raw.CapturedAt, state.Diagnostics);
        var linkerd = StatsSamples.Combine(state.LinkerdDocuments, raw.CapturedAt, state.Diagnostics) is { } metrics ? LinkerdMetricsDocument.Map(metrics) : null;
        var c = state.Config;
        return new EnvoySnapshot(
            raw.Origin,
            state.Sources,
            c?.Bootstrap,
            state.ServerInfo,
            c?.Listeners ?? [],
            c?.RouteConfigs ?? [],
            c?.Clusters ?? [],
            c?.LoadAssignments ?? [],
            c?.Secrets ?? [],
            c?.Ecds ?? [],
            state.ClusterStatuses,
            state.ListenerStatuses,
            state.AdminCertificates,
            state.InitTargets,
            state.Stats,
            state.RawPayloads,
            state.Diagnostics,
            state.Summary)
        {
            CapturedAt = raw.CapturedAt,
            ControlPlane = raw.ControlPlane is { } cp ? ControlPlane.ControlPlaneFile.Read(cp) : null,
            Proxy = linkerd is not null || raw.Documents.Any(d => d.Endpoint is AdminEndpoint.LinkerdMetrics or AdminEndpoint.Live) ? ProxyKind.Linkerd2Proxy : ProxyKind.Envoy,
            Linkerd = linkerd,
        };
    }

    /// <summary>
    /// Only the stats of <paramref name="raw"/>, chosen as <see cref="Decode"/> chooses them (the latest sample, with the
    /// one before it as <see cref="StatsSnapshot.Earlier"/>); null when it holds no readable stats document.
    /// </summary>
    public static StatsSnapshot? DecodeStats(RawSnapshot raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var stats = raw.Documents.Where(d => d.Endpoint is AdminEndpoint.Stats or AdminEndpoint.StatsPrometheus).ToList();
        return stats.Count == 0 ? null : Decode(raw with { Documents = stats }).Stats;
    }

    /// <summary>A JSON document with bytes that are not UTF-8 is decoded with each such byte read as <c>?</c>, and each named in an error diagnostic.</summary>
    internal static RawDocument WithValidUtf8(RawDocument document, List<DecodeDiagnostic> diagnostics)
    {
        var content = document.Content;
        var first = content.AsSpan().IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0 || content[first] is not ((byte)'{' or (byte)'['))
        {
            return document;
        }

        var repaired = InvalidUtf8.Repair(content, document.Source, diagnostics);
        return ReferenceEquals(repaired, content) ? document : document with { Content = repaired };
    }

    private static void DecodeDocument(RawDocument document, DecodeOptions? options, DecodeState state)
    {
        if (document.Endpoint is not (AdminEndpoint.ConfigDump or AdminEndpoint.Stats or AdminEndpoint.StatsPrometheus or AdminEndpoint.LinkerdMetrics) && options?.ShowSecrets != true &&
            JsonRedactor.LooksLikeJson(document.Content))
        {
            // Config dumps are redacted entry by entry (after a YAML input is converted); stats hold no configuration.
            var redacted = JsonRedactor.Redact(document.Content, document.Source);
            if (redacted.Changed)
            {
                document = document with { Content = redacted.Content.ToArray() };
            }
        }

        var (bytes, source) = (document.Content, document.Source);
        switch (document.Endpoint)
        {
            case AdminEndpoint.ConfigDump:
                DecodeConfigDump(document, options, state);
                break;
            case AdminEndpoint.ServerInfo:
                state.ServerInfo = Take(ServerInfoDocument.Read(bytes, source), state);
                break;
            case AdminEndpoint.Stats:
            case AdminEndpoint.StatsPrometheus:
                // Every sample is kept until all documents are read: which one is the latest is decided afterwards.
                var stats = Take(StatsDocument.Read(bytes, source, document.Endpoint == AdminEndpoint.StatsPrometheus ? StatsDocument.PrometheusFormat : null), state);
                state.StatsDocuments.Add(new StatsSamples.Read(state.StatsDocuments.Count, document, stats));
                break;
            case AdminEndpoint.LinkerdMetrics:
                var metrics = Take(LinkerdMetricsDocument.Read(bytes, source), state);
                state.LinkerdDocuments.Add(new StatsSamples.Read(state.LinkerdDocuments.Count, document, metrics));
                break;
            case AdminEndpoint.Clusters:
                state.ClusterStatuses = Take(ClustersDocument.Read(bytes, source), state);
                break;
            case AdminEndpoint.Certs:
                state.AdminCertificates = Take(CertsDocument.Read(bytes, source), state);
                break;
            case AdminEndpoint.Listeners:
                state.ListenerStatuses = Take(ListenersDocument.Read(bytes, source), state);
                break;
            case AdminEndpoint.InitDump:
                state.InitTargets = Take(InitDumpDocument.Read(bytes, source), state);
                break;
            default:
                // /ready, /live, /runtime, /memory, /hot_restart_version: carried in bundles, not modelled yet.
                state.Diagnostics.Add(new DecodeDiagnostic(DiagnosticLevel.Info, DiagnosticCodes.UnknownSection, source, JsonPointer.Root,
                    $"{source} ({document.Endpoint}) was read but is not decoded into the model."));
                break;
        }
    }

    private static T Take<T>(AdminDocument<T> document, DecodeState state)
    {
        state.Diagnostics.AddRange(document.Diagnostics);
        return document.Value;
    }

    private static void DecodeConfigDump(RawDocument document, DecodeOptions? options, DecodeState state)
    {
        if (state.Config is not null)
        {
            throw new EnvoyLensException($"{document.Source} is a second config dump in one snapshot; only one is decoded.");
        }

        var layout = ConfigDumpDocument.Read(document.Content, document.Source, options?.Proxy);
        state.Diagnostics.AddRange(layout.Diagnostics);

        ReadResult? current = null;
        // The normalizer's diagnostics of a section follow the reader's, as when a section was read whole.
        var mapped = new List<DecodeDiagnostic>();
        var normalizer = new ConfigDumpNormalizer(
            document.Source,
            m => current?.LocationOf(m),
            mapped.Add,
            new NormalizerOptions { Unpacked = a => current?.Unpacked(a), Resolver = Resolver });

        foreach (var entry in layout.Entries)
        {
            var original = layout.EntryBytes(entry);
            var prepared = LegacyDumpShapes.Prepare(original, entry, document.Source, state.Diagnostics);
            if (state.WholeSections || SectionSplitter.Of(entry, original, prepared, ConfigDumpNormalizer.StreamedFields) is not { } split ||
                !ReadSplit(prepared, split, entry.Pointer, document.Source, options, normalizer, r => current = r, state))
            {
                var read = Reader.ReadAny(Redacted(prepared, document.Source, options, null), document.Source, entry.Pointer);
                state.Diagnostics.AddRange(read.Diagnostics);
                state.RawPayloads.AddRange(read.RawPayloads);
                if (read.Message is not null)
                {
                    current = read;
                    normalizer.AddSection(read.Message, entry.Pointer);
                    current = null;
                }
            }

            state.Diagnostics.AddRange(mapped);
            mapped.Clear();
        }

        var config = normalizer.Build();
        state.Config = config;
        state.Summary = new DocumentSummary(document.Source, layout.Form, config.Sections);
    }

    /// <summary>
    /// Reads a split resource section: its shell (static entries and the section's own fields) first, then each
    /// dynamic element on its own, redacted and read in batches across the cores and mapped in document order, so
    /// that only one batch of message trees is alive at a time and diagnostics come out in the same order on every
    /// run. Redacting the shell and each element apart is redacting the section: no rule looks above a resource.
    /// </summary>
    /// <returns>False, having changed nothing, when the shell reads as another type than the split assumed: the caller reads the section whole.</returns>
    private static bool ReadSplit(ReadOnlyMemory<byte> section, SectionSplitter.Split split, JsonPointer at, string source, DecodeOptions? options, ConfigDumpNormalizer normalizer, Action<ReadResult?> setCurrent, DecodeState state)
    {
        var shell = Reader.ReadAny(Redacted(split.Shell, source, options, null), source, at);
        if (shell.Message is not null && !ReferenceEquals(ConfigDumpNormalizer.StreamedFields(TypeResolver.TypeUrlPrefix + shell.Message.Descriptor.FullName), split.Fields))
        {
            return false;
        }

        state.Diagnostics.AddRange(shell.Diagnostics);
        state.RawPayloads.AddRange(shell.RawPayloads);
        if (shell.Message is null)
        {
            // The section's own fields cannot be read; its elements are not read either, as when it is read whole.
            return true;
        }

        setCurrent(shell);
        var stream = normalizer.BeginSection(shell.Message, at);
        setCurrent(null);
        split.ForEachElement(
            element => ReadElement(section, split, element, at, source, options),
            (element, read) =>
            {
                state.Diagnostics.AddRange(read.Diagnostics);
                state.RawPayloads.AddRange(read.RawPayloads);
                if (read.Message is null)
                {
                    stream.AddUnreadable();
                    return;
                }

                setCurrent(read);
                stream.Add(element.Field, read.Message, element.Index);
                setCurrent(null);
            });
        stream.Complete();
        return true;
    }

    private static ReadResult ReadElement(ReadOnlyMemory<byte> section, SectionSplitter.Split split, SectionSplitter.Element element, JsonPointer at, string source, DecodeOptions? options) =>
        Reader.Read(split.Fields[element.Field].ElementType, Redacted(section.Slice(element.Offset, element.Length), source, options, null), source, at.Append(element.Key).Append(element.Index));

    /// <summary>
    /// One config dump entry with <see cref="RedactionRules"/> applied unless <see cref="DecodeOptions.ShowSecrets"/>;
    /// what was replaced is added to <paramref name="pointers"/> (relative to the entry) when given.
    /// </summary>
    internal static ReadOnlyMemory<byte> Redacted(ReadOnlyMemory<byte> entry, string source, DecodeOptions? options, List<string>? pointers)
    {
        if (options?.ShowSecrets == true)
        {
            return entry;
        }

        var result = JsonRedactor.Redact(entry, source);
        pointers?.AddRange(result.Pointers);
        return result.Content;
    }

    private sealed class DecodeState
    {
        public bool WholeSections { get; init; }

        public List<string> Sources { get; } = [];

        public List<DecodeDiagnostic> Diagnostics { get; } = [];

        public List<RawPayload> RawPayloads { get; } = [];

        public NormalizedConfig? Config { get; set; }

        public DocumentSummary? Summary { get; set; }

        public ServerInfo? ServerInfo { get; set; }

        public StatsSnapshot? Stats { get; set; }

        public List<StatsSamples.Read> StatsDocuments { get; } = [];

        public List<StatsSamples.Read> LinkerdDocuments { get; } = [];

        public IReadOnlyList<ClusterStatus> ClusterStatuses { get; set; } = [];

        public IReadOnlyList<ListenerStatus> ListenerStatuses { get; set; } = [];

        public IReadOnlyList<AdminCertificateSet> AdminCertificates { get; set; } = [];

        public IReadOnlyList<InitTarget> InitTargets { get; set; } = [];
    }
}

/// <summary>Options for <see cref="SnapshotDecoder"/>.</summary>
public sealed record DecodeOptions
{
    /// <summary>For wrapped dumps holding several proxies (egctl), which one to pick (<c>namespace/pod</c> or key); null picks the first and says so.</summary>
    public string? Proxy { get; init; }

    /// <summary>
    /// Decode secrets as read. Off by default: every document is decoded with the redaction rules applied
    /// (<see cref="RedactionRules"/>, the same ones a snapshot bundle is written with), so no view, finding or diff
    /// built from the result can show a secret (<c>--show-secrets</c> turns this on).
    /// </summary>
    public bool ShowSecrets { get; init; }
}
