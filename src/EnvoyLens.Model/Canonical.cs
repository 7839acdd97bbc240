using System.Text.Json.Nodes;
using EnvoyLens.Core;

namespace EnvoyLens.Model;

/// <summary>
/// One resource of a capture in a comparable form, produced on demand: its kind and name, a fingerprint (equal
/// fingerprints mean equal content, so no canonical tree is needed), and a loader for its canonical JSON tree
/// (proto field names, defaults omitted, <c>Any</c> unpacked under its canonical type URL, map keys sorted).
/// </summary>
public sealed class CanonicalResource
{
    private readonly Func<JsonObject> _load;

    public CanonicalResource(ResourceKind kind, string name, ReadOnlyMemory<byte>? fingerprint, Func<JsonObject> load, JsonPointer pointer)
    {
        ArgumentNullException.ThrowIfNull(load);
        if (fingerprint is { IsEmpty: true })
        {
            // An empty fingerprint would compare equal to every other empty one; "no fingerprint" is null.
            throw new ArgumentException("A fingerprint is never empty; pass null when the content has none.", nameof(fingerprint));
        }

        Kind = kind;
        Name = name;
        Fingerprint = fingerprint;
        Pointer = pointer;
        _load = load;
    }

    public ResourceKind Kind { get; }

    public string Name { get; }

    /// <summary>
    /// Bytes that are equal only for equal canonical trees (everything the tree is built from); unequal bytes do not
    /// prove a difference. Null when none was computed: the resource is then always compared by tree. Never empty.
    /// </summary>
    public ReadOnlyMemory<byte>? Fingerprint { get; }

    /// <summary>Where the resource sits in its source document.</summary>
    public JsonPointer Pointer { get; }

    /// <summary>
    /// Where secret values were replaced by <c>[redacted]</c> before the resource was read (JSON pointers relative to
    /// <see cref="Pointer"/>, in document order); empty when nothing was redacted or secrets were kept.
    /// </summary>
    public IReadOnlyList<string> Redacted { get; init; } = [];

    /// <summary>Builds a fresh canonical tree of the resource (the caller owns it; nothing is cached).</summary>
    public JsonObject Load() => _load();
}

/// <summary>Every comparable resource of one capture, with what could not be read.</summary>
public sealed record CanonicalSnapshot(string Origin, IReadOnlyList<CanonicalResource> Resources, IReadOnlyList<DecodeDiagnostic> Diagnostics);
