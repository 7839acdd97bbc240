using EnvoyLens.Core;

namespace EnvoyLens.Decoding.Documents;

/// <summary>
/// One entry of a config dump's <c>configs</c>: where its bytes are in <see cref="ConfigDumpLayout.Json"/>,
/// its JSON pointer in the source document, and its <c>@type</c> when it has one.
/// </summary>
/// <param name="Pointer">Where the entry sits in the document as the user gave it (wrapper keys included).</param>
/// <param name="Offset">Byte offset of the entry's opening brace in <see cref="ConfigDumpLayout.Json"/>.</param>
/// <param name="Length">Byte length of the entry, closing brace included.</param>
/// <param name="TypeUrl">The entry's <c>@type</c>, or null when absent.</param>
/// <param name="MapKey">For the 2018 map form (<c>{"configs":{"clusters":{...}}}</c>), the entry's key; null otherwise.</param>
public sealed record ConfigEntry(JsonPointer Pointer, int Offset, int Length, string? TypeUrl, string? MapKey)
{
    /// <summary>
    /// The entry's top-level keys and arrays as the layout pass walked past them (offsets relative to the entry), so
    /// that splitting it needs no pass of its own; null when not recorded.
    /// </summary>
    internal SectionSplitter.Outline? Outline { get; init; }
}

/// <summary>
/// Where the config entries of a config-dump-like input are, without a DOM of the whole document.
/// </summary>
/// <param name="Source">The file or endpoint name, for messages.</param>
/// <param name="Form">The shape that was read, as <c>+</c>-joined parts of <see cref="ConfigDumpForms"/> (e.g. <c>yaml+configs-array</c>).</param>
/// <param name="Json">The JSON bytes the entries point into (the input itself for JSON, a conversion for YAML).</param>
/// <param name="Entries">The entries in document order (non-object entries are skipped with a diagnostic).</param>
/// <param name="Diagnostics">What was skipped or interpreted.</param>
/// <param name="SelectedProxy">For wrapped dumps holding several proxies, the one read; null for a plain dump.</param>
/// <param name="AvailableProxies">For wrapped dumps, every proxy in document order; empty for a plain dump.</param>
public sealed record ConfigDumpLayout(
    string Source,
    string Form,
    byte[] Json,
    IReadOnlyList<ConfigEntry> Entries,
    IReadOnlyList<DecodeDiagnostic> Diagnostics,
    string? SelectedProxy,
    IReadOnlyList<string> AvailableProxies)
{
    /// <summary>The bytes of one entry (no copy).</summary>
    public ReadOnlyMemory<byte> EntryBytes(ConfigEntry entry) => Json.AsMemory(entry.Offset, entry.Length);
}

/// <summary>The parts a <see cref="ConfigDumpLayout.Form"/> is made of.</summary>
public static class ConfigDumpForms
{
    /// <summary>The input was YAML and was converted to JSON.</summary>
    public const string Yaml = "yaml";

    /// <summary><c>egctl x translate</c>: <c>{"xds": {"&lt;name&gt;": ConfigDump}}</c>.</summary>
    public const string EgctlXds = "egctl-xds";

    /// <summary><c>egctl config envoy-proxy all</c>: <c>{"&lt;namespace&gt;": {"&lt;pod&gt;": ConfigDump}}</c>.</summary>
    public const string EgctlNamespaced = "egctl-namespaced";

    /// <summary>A single-key wrapper <c>{"&lt;name&gt;": ConfigDump}</c>.</summary>
    public const string Named = "named";

    /// <summary><c>{"configs": [...]}</c> (current and v2alpha dumps).</summary>
    public const string ConfigsArray = "configs-array";

    /// <summary><c>{"configs": {"clusters": {...}, ...}}</c> (2018 dumps).</summary>
    public const string ConfigsMap = "configs-map";

    /// <summary>
    /// One config dump section instead of a dump, as <c>egctl config envoy-proxy listener|cluster|route|endpoint|bootstrap</c>
    /// prints it per pod: <c>{"&lt;namespace&gt;": {"&lt;pod&gt;": {"@type": "...ListenersConfigDump", ...}}}</c>.
    /// </summary>
    public const string Section = "section";
}
