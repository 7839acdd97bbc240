using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EnvoyLens.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EnvoyLens.Decoding.Documents;

/// <summary>
/// Converts a YAML document (what <c>istioctl proxy-config all -o yaml</c> writes) to JSON bytes.
/// Quoted, literal and folded scalars stay strings; plain scalars that are numbers, booleans or null under
/// the YAML 1.2 core schema become those; explicit <c>!!str</c>/<c>!!int</c>/... tags win.
/// </summary>
internal static partial class YamlJson
{
    /// <summary>The largest YAML document read (256 MiB): it is parsed as one string and a node tree several times its size.</summary>
    internal const int MaxYamlBytes = 256 << 20;

    private const string StrTag = "tag:yaml.org,2002:str";
    private const string IntTag = "tag:yaml.org,2002:int";
    private const string FloatTag = "tag:yaml.org,2002:float";
    private const string BoolTag = "tag:yaml.org,2002:bool";
    private const string NullTag = "tag:yaml.org,2002:null";

    /// <summary>Converts <paramref name="text"/>; the first document is used and later ones are reported.</summary>
    public static byte[] Convert(string text, string source, List<DecodeDiagnostic> diagnostics)
    {
        var stream = new YamlStream();
        try
        {
            CheckAliases(text, source);
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new EnvoyLensException(
                $"{source} is neither JSON nor valid YAML (line {ex.Start.Line.ToString(CultureInfo.InvariantCulture)}: {FirstLine(ex.Message)}).", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            // The YAML scanner reports some malformed inputs (an unterminated flow sequence, say) this way.
            throw new EnvoyLensException($"{source} is neither JSON nor valid YAML (line unknown: {FirstLine(ex.Message)}).", ex);
        }

        var documents = stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).ToList();
        if (documents.Count == 0)
        {
            throw new EnvoyLensException($"{source} is empty.");
        }

        if (documents[0].RootNode is not YamlMappingNode)
        {
            var kind = documents[0].RootNode is YamlSequenceNode ? "a YAML list" : "plain text";
            throw new EnvoyLensException($"{source} is not a config dump: it is neither a JSON object nor a YAML mapping but {kind}.");
        }

        if (documents.Count > 1)
        {
            diagnostics.Add(new DecodeDiagnostic(
                DiagnosticLevel.Warning,
                DiagnosticCodes.Interpretation,
                source,
                JsonPointer.Root,
                $"the YAML stream holds {documents.Count.ToString(CultureInfo.InvariantCulture)} documents; only the first was read"));
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(Math.Max(256, text.Length));
        var budget = ExpansionBudget(text.Length);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false, Indented = false }))
        {
            Write(writer, documents[0].RootNode, source, 0, ref budget);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Refuses an alias that refers to no anchor defined before it, or to the node it sits in. YAML forbids both; the
    /// node model resolves them late and, for an alias used as a mapping key, recurses without end (found by fuzzing:
    /// <c>*a : &amp;a</c> overflowed the stack).
    /// </summary>
    private static void CheckAliases(string text, string source)
    {
        var parser = new Parser(new StringReader(text));
        var defined = new HashSet<string>(StringComparer.Ordinal);
        var open = new List<string?>();
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.AnchorAlias alias:
                    var name = alias.Value.Value;
                    if (open.Contains(name))
                    {
                        throw new EnvoyLensException(
                            $"{source} is neither JSON nor valid YAML (line {alias.Start.Line.ToString(CultureInfo.InvariantCulture)}: alias *{name} refers to the node it is inside of).");
                    }

                    if (!defined.Contains(name))
                    {
                        throw new EnvoyLensException(
                            $"{source} is neither JSON nor valid YAML (line {alias.Start.Line.ToString(CultureInfo.InvariantCulture)}: alias *{name} refers to no anchor defined before it).");
                    }

                    break;
                case YamlDotNet.Core.Events.Scalar scalar when !scalar.Anchor.IsEmpty:
                    defined.Add(scalar.Anchor.Value);
                    break;
                case YamlDotNet.Core.Events.DocumentStart:
                    defined.Clear();
                    break;
                case YamlDotNet.Core.Events.MappingStart m:
                    open.Add(m.Anchor.IsEmpty ? null : m.Anchor.Value);
                    break;
                case YamlDotNet.Core.Events.SequenceStart q:
                    open.Add(q.Anchor.IsEmpty ? null : q.Anchor.Value);
                    break;
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd when open.Count > 0:
                    if (open[^1] is { } closed)
                    {
                        defined.Add(closed);
                    }

                    open.RemoveAt(open.Count - 1);
                    break;
            }
        }
    }

    /// <summary>
    /// How much a document of <paramref name="length"/> characters may expand to: every node written costs one, every
    /// scalar (keys too) one more per character. Without aliases a document costs at most about twice its length;
    /// aliases may repeat what they name up to ten times the input (plus a fixed allowance for small files), and
    /// beyond that the document is refused, as hardened YAML parsers refuse alias bombs ("billion laughs").
    /// </summary>
    internal static long ExpansionBudget(int length) => (10L * length) + 1_000_000;

    private static void Write(Utf8JsonWriter writer, YamlNode node, string source, int depth, ref long budget)
    {
        if (depth > 512)
        {
            throw new EnvoyLensException($"{source} nests YAML deeper than 512 levels (a recursive alias?).");
        }

        budget -= 1 + (node is YamlScalarNode { Value: { } text } ? text.Length : 0);
        if (budget < 0)
        {
            throw new EnvoyLensException(
                $"{source} expands through YAML aliases to more than ten times its own size (an alias bomb?), which EnvoyLens refuses to read.");
        }

        switch (node)
        {
            case YamlMappingNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode keyScalar)
                    {
                        throw new EnvoyLensException(
                            $"{source} has a YAML mapping key that is not a plain value (line {key.Start.Line.ToString(CultureInfo.InvariantCulture)}).");
                    }

                    budget -= keyScalar.Value?.Length ?? 0;
                    writer.WritePropertyName(keyScalar.Value ?? string.Empty);
                    Write(writer, value, source, depth + 1, ref budget);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode seq:
                writer.WriteStartArray();
                foreach (var item in seq.Children)
                {
                    Write(writer, item, source, depth + 1, ref budget);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                throw new EnvoyLensException($"{source} has a YAML node EnvoyLens cannot read (line {node.Start.Line.ToString(CultureInfo.InvariantCulture)}).");
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;

        if (tag == StrTag || (tag is null && !plain) || (tag is not null && tag is not (IntTag or FloatTag or BoolTag or NullTag)))
        {
            writer.WriteStringValue(value);
            return;
        }

        // Plain scalar, or explicitly tagged as a non-string core type.
        if ((tag is null or NullTag) && value is "" or "~" or "null" or "Null" or "NULL")
        {
            writer.WriteNullValue();
            return;
        }

        if ((tag is null or BoolTag) && value is "true" or "True" or "TRUE")
        {
            writer.WriteBooleanValue(true);
            return;
        }

        if ((tag is null or BoolTag) && value is "false" or "False" or "FALSE")
        {
            writer.WriteBooleanValue(false);
            return;
        }

        if (tag is null or IntTag or FloatTag)
        {
            if (JsonNumber().IsMatch(value))
            {
                writer.WriteRawValue(value, skipInputValidation: true);
                return;
            }

            if (YamlInt().IsMatch(value))
            {
                var text = value.TrimStart('+');
                if (decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d))
                {
                    writer.WriteNumberValue(d);
                    return;
                }
            }

            if (YamlHex().IsMatch(value) && ulong.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            {
                writer.WriteNumberValue(hex);
                return;
            }

            if (YamlOctal().IsMatch(value) && TryParseOctal(value.AsSpan(2), out var octal))
            {
                writer.WriteNumberValue(octal);
                return;
            }

            if (YamlFloat().IsMatch(value) &&
                double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && double.IsFinite(f))
            {
                writer.WriteNumberValue(f);
                return;
            }

            switch (value)
            {
                // JSON has no infinities; protobuf's JSON mapping spells them as strings.
                case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                    writer.WriteStringValue("Infinity");
                    return;
                case "-.inf" or "-.Inf" or "-.INF":
                    writer.WriteStringValue("-Infinity");
                    return;
                case ".nan" or ".NaN" or ".NAN":
                    writer.WriteStringValue("NaN");
                    return;
            }
        }

        writer.WriteStringValue(value);
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.TrimEnd('.');
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlInt();

    /// <summary>Octal digits as a ulong; false when they do not fit (the scalar then stays a string, as a hex one does).</summary>
    private static bool TryParseOctal(ReadOnlySpan<char> digits, out ulong value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (value > ulong.MaxValue >> 3)
            {
                return false;
            }

            value = (value << 3) | (uint)(c - '0');
        }

        return true;
    }

    [GeneratedRegex(@"^0x[0-9a-fA-F]+$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlHex();

    [GeneratedRegex(@"^0o[0-7]+$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlOctal();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();

    /// <summary>Strict UTF-8 without BOM handling (the caller strips it).</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
