namespace EnvoyLens.Core;

/// <summary>How serious a decode diagnostic is. Diagnostics never stop a decode; they say what was not typed.</summary>
public enum DiagnosticLevel
{
    Info,
    Warning,
    Error,
}

/// <summary>Stable codes for decode diagnostics (used in JSON output and tests).</summary>
public static class DiagnosticCodes
{
    /// <summary>An <c>Any</c> whose type URL is not part of the compiled Envoy API; kept raw.</summary>
    public const string UnknownType = "unknown-type";

    /// <summary>A legacy (v2 / v2alpha) type URL that was decoded as its v3 equivalent.</summary>
    public const string LegacyType = "legacy-type";

    /// <summary>A field the compiled message does not declare; kept raw.</summary>
    public const string UnknownField = "unknown-field";

    /// <summary>A value that does not fit its declared field type; the enclosing resource is kept raw.</summary>
    public const string InvalidValue = "invalid-value";

    /// <summary>A resource that could not be decoded at all; kept raw, the rest of the document goes on.</summary>
    public const string InvalidResource = "invalid-resource";

    /// <summary>A section of a document that EnvoyLens does not know (an unknown config dump section, say).</summary>
    public const string UnknownSection = "unknown-section";

    /// <summary>A document that could not be read at all (not JSON/YAML, truncated, empty, wrong shape).</summary>
    public const string UnreadableDocument = "unreadable-document";

    /// <summary>A note on how the input was interpreted (which proxy of a wrapped dump was picked, say).</summary>
    public const string Interpretation = "interpretation";
}

/// <summary>
/// Something a decoder could not type or had to interpret. <paramref name="Source"/> names the file or
/// admin endpoint; <paramref name="Pointer"/> is where in that document it happened.
/// </summary>
public sealed record DecodeDiagnostic(
    DiagnosticLevel Level,
    string Code,
    string Source,
    JsonPointer Pointer,
    string Message,
    string? TypeUrl = null)
{
    public override string ToString() =>
        $"{Level.ToString().ToLowerInvariant()} {Code}: {Source}#{Pointer}: {Message}";
}
