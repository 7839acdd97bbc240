namespace EnvoyLens.Core;

/// <summary>
/// An RFC 6901 JSON pointer into a source document (for example <c>/configs/2/dynamic_listeners/0/active_state/listener</c>).
/// Immutable; <see cref="Append(string)"/> returns a new pointer.
/// </summary>
public readonly record struct JsonPointer
{
    private readonly string? _value;

    private JsonPointer(string value) => _value = value;

    /// <summary>The whole document.</summary>
    public static JsonPointer Root => default;

    public string Value => _value ?? string.Empty;

    public bool IsRoot => string.IsNullOrEmpty(_value);

    public JsonPointer Append(string token) => new(Value + "/" + Escape(token));

    public JsonPointer Append(int index) => new(Value + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Parses an already escaped pointer such as <c>/a/b~1c</c>.</summary>
    public static JsonPointer Parse(string pointer)
    {
        if (pointer.Length > 0 && pointer[0] != '/')
        {
            throw new FormatException($"JSON pointer '{pointer}' must be empty or start with '/'.");
        }

        return new JsonPointer(pointer);
    }

    /// <summary>The unescaped reference tokens, in order.</summary>
    public IReadOnlyList<string> Tokens =>
        IsRoot ? [] : Value[1..].Split('/').Select(Unescape).ToArray();

    public static string Escape(string token) =>
        token.AsSpan().IndexOfAny('~', '/') < 0 ? token : token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Unescape(string token) => token.Replace("~1", "/").Replace("~0", "~");

    public override string ToString() => Value;
}
