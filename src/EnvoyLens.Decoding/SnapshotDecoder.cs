using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Decoding;

/// <summary>Entry point of decoding: turns the raw bytes of a capture into the normalized model.</summary>
public static class SnapshotDecoder
{
    /// <summary>
    /// Decodes every document of <paramref name="raw"/>. Problems inside a document become diagnostics;
    /// a document that cannot be read at all becomes an <see cref="DiagnosticCodes.UnreadableDocument"/>
    /// error diagnostic and the other documents are still decoded.
    /// </summary>
    public static EnvoySnapshot Decode(RawSnapshot raw, DecodeOptions? options = null) =>
        throw new NotImplementedException("wired up once the document reader, transcoder and normalizer land");
}

/// <summary>Options for <see cref="SnapshotDecoder"/>.</summary>
public sealed record DecodeOptions
{
    /// <summary>For wrapped dumps holding several proxies (egctl), which one to pick (<c>namespace/pod</c> or key); null picks the first and says so.</summary>
    public string? Proxy { get; init; }
}
