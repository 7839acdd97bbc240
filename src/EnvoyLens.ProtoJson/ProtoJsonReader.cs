using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.ProtoJson.Internal;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyLens.ProtoJson;

/// <summary>Options of a <see cref="ProtoJsonReader"/>.</summary>
public sealed class ProtoJsonReaderOptions
{
    /// <summary>Full names of message types whose JSON pointer is recorded for <see cref="ReadResult.LocationOf"/>.</summary>
    public IReadOnlySet<string>? TrackedTypes { get; init; }

    /// <summary>
    /// Keep every message decoded into an Any so <see cref="ReadResult.Unpacked"/> returns it (messages of tracked
    /// types are always kept). Off by default: it keeps two copies of each payload (bytes and objects) alive, which
    /// costs memory and garbage-collection time on large documents.
    /// </summary>
    public bool KeepUnpackedMessages { get; init; }

    /// <summary>
    /// Full names of message types whose Any payloads are not encoded: the Any gets its type URL and an empty value,
    /// and <see cref="ReadResult.Unpacked"/> returns the message. A payload inside one that is encoded is encoded all
    /// the same, since the outer bytes must hold it. For types a caller only ever reads through
    /// <see cref="ReadResult.Unpacked"/>, it spares encoding each payload into bytes nobody reads.
    /// </summary>
    public IReadOnlySet<string>? UnencodedTypes { get; init; }
}

/// <summary>The outcome of one read: the message (when the value could be read at all) and what could not be typed.</summary>
public sealed class ReadResult
{
    private readonly Dictionary<IMessage, JsonPointer>? _locations;
    private readonly Dictionary<Any, IMessage>? _unpacked;

    internal ReadResult(
        IMessage? message,
        IReadOnlyList<DecodeDiagnostic> diagnostics,
        IReadOnlyList<RawPayload> rawPayloads,
        Dictionary<IMessage, JsonPointer>? locations,
        Dictionary<Any, IMessage>? unpacked)
    {
        Message = message;
        Diagnostics = diagnostics;
        RawPayloads = rawPayloads;
        _locations = locations;
        _unpacked = unpacked;
    }

    /// <summary>
    /// The message read; null only when the value could not be read at all (not an object, unknown top-level
    /// <c>@type</c>, malformed JSON). Fields that did not fit are left unset and reported.
    /// </summary>
    public IMessage? Message { get; }

    /// <summary>What was not typed or had to be interpreted, in document order.</summary>
    public IReadOnlyList<DecodeDiagnostic> Diagnostics { get; }

    /// <summary>The raw JSON of everything that was not typed (unknown Any types, unknown fields, invalid values).</summary>
    public IReadOnlyList<RawPayload> RawPayloads { get; }

    /// <summary>
    /// Where a message of one of the tracked types was read (reference identity), or null. Messages inside an Any
    /// are tracked as the instances <see cref="Unpacked"/> returns, not as copies made by <c>Any.Unpack</c>.
    /// </summary>
    public JsonPointer? LocationOf(IMessage message) =>
        _locations is not null && _locations.TryGetValue(message, out var pointer) ? pointer : null;

    /// <summary>
    /// The message this reader decoded and packed into <paramref name="any"/> (reference identity), sparing a
    /// re-parse of its bytes. Kept for payloads of tracked types, or for all with
    /// <see cref="ProtoJsonReaderOptions.KeepUnpackedMessages"/>; otherwise null, as for Anys this read did not
    /// pack (unknown types, other messages). Treat it as read-only: it is not re-packed if changed. For a type in
    /// <see cref="ProtoJsonReaderOptions.UnencodedTypes"/> this is the only place the payload is.
    /// </summary>
    public IMessage? Unpacked(Any any) =>
        _unpacked is not null && _unpacked.TryGetValue(any, out var message) ? message : null;
}

/// <summary>
/// A tolerant, streaming proto3 JSON reader driven by message descriptors. One pass over UTF-8 bytes, no DOM.
/// Unlike Google.Protobuf's JsonParser it never stops at the first problem: unknown Any types, unknown fields and
/// values of the wrong shape are kept raw (<see cref="ReadResult.RawPayloads"/>) and reported
/// (<see cref="ReadResult.Diagnostics"/>), and the rest of the document decodes. Thread-safe; reuse one instance.
/// </summary>
public sealed class ProtoJsonReader
{
    private readonly ProtoJsonReaderOptions _options;

    public ProtoJsonReader(TypeResolver resolver, ProtoJsonReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        Resolver = resolver;
        _options = options ?? new ProtoJsonReaderOptions();
    }

    public TypeResolver Resolver { get; }

    internal IReadOnlySet<string>? TrackedTypes => _options.TrackedTypes is { Count: > 0 } t ? t : null;

    internal bool KeepUnpackedMessages => _options.KeepUnpackedMessages;

    internal IReadOnlySet<string>? UnencodedTypes => _options.UnencodedTypes is { Count: > 0 } t ? t : null;

    /// <summary>Reads one JSON value (an object, or the JSON form of a well-known type) as a <paramref name="type"/> message.</summary>
    /// <param name="type">The message type; must have a generated CLR type.</param>
    /// <param name="utf8Json">The UTF-8 JSON text of the value.</param>
    /// <param name="source">Names the document in diagnostics (a file or endpoint).</param>
    /// <param name="at">Where the value sits in that document; every pointer reported is below it.</param>
    public ReadResult Read(MessageDescriptor type, ReadOnlyMemory<byte> utf8Json, string source, JsonPointer at)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(source);
        var info = MessageInfo.For(type);
        if (info.Factory is null)
        {
            throw new ArgumentException($"Message type {type.FullName} has no generated CLR type to read into.", nameof(type));
        }

        return new ReadSession(this, utf8Json, source, at).ReadTop(info);
    }

    /// <summary>
    /// Reads one JSON object holding an Any (an object with <c>@type</c>); <see cref="ReadResult.Message"/> is the
    /// unpacked message, or null when the type is unknown (the object is then kept raw and reported).
    /// </summary>
    public ReadResult ReadAny(ReadOnlyMemory<byte> utf8Json, string source, JsonPointer at)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ReadSession(this, utf8Json, source, at).ReadTop(null);
    }

    internal static JsonReaderOptions JsonOptions => new()
    {
        // Proto3 JSON has no comments; not looking for them is the reader's fast path.
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = true,
        MaxDepth = 256,
    };
}
