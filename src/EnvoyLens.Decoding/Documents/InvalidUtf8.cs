using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using EnvoyLens.Core;

namespace EnvoyLens.Decoding.Documents;

/// <summary>
/// Finds bytes that are not UTF-8, and escapes of half a surrogate pair, in a document before it is decoded. Each place becomes an error diagnostic naming
/// the byte offset and the JSON pointer of the value holding it; the document is then decoded from a copy in which
/// every such byte is <c>?</c> (same length, so every offset and pointer stays true), never with the bytes silently
/// replaced or a whole section dropped for one byte.
/// </summary>
internal static class InvalidUtf8
{
    /// <summary>How many places are named one by one; the rest are counted.</summary>
    private const int MaxNamed = 10;

    /// <summary>
    /// <paramref name="content"/> itself when it is valid UTF-8 with no lone surrogate escapes, else a repaired copy,
    /// with one diagnostic per place added to <paramref name="diagnostics"/>. A <c>\u</c> escape of half a UTF-16
    /// surrogate pair (<c>\uD800</c> not followed by a low half, or a low half alone) is text no reader can turn into a
    /// string; it becomes <c>\uFFFD</c> (the replacement character, the same six bytes long).
    /// </summary>
    public static byte[] Repair(byte[] content, string source, List<DecodeDiagnostic> diagnostics)
    {
        var surrogates = LoneSurrogateEscapes(content);
        var valid = Utf8.IsValid(content);
        if (surrogates.Count == 0 && valid)
        {
            return content;
        }

        var repaired = (byte[])content.Clone();
        foreach (var offset in surrogates)
        {
            "\\uFFFD"u8.CopyTo(repaired.AsSpan(offset));
        }

        var offsets = valid ? [] : RepairUtf8(repaired);
        Report(repaired, surrogates, source, diagnostics, "a \\u escape that is half of a UTF-16 surrogate pair", "it was read as U+FFFD", "more such escapes; each was read as U+FFFD");
        Report(repaired, offsets, source, diagnostics, "a byte that is not UTF-8", "it was read as '?'", "more bytes that are not UTF-8; each was read as '?'");
        return repaired;
    }

    private static void Report(byte[] repaired, List<int> offsets, string source, List<DecodeDiagnostic> diagnostics, string what, string read, string more)
    {
        if (offsets.Count == 0)
        {
            return;
        }

        var pointers = PointersAt(repaired, offsets);
        for (var i = 0; i < offsets.Count && i < MaxNamed; i++)
        {
            var where = pointers[i].IsRoot ? string.Empty : $" in the value at '{pointers[i]}'";
            diagnostics.Add(new DecodeDiagnostic(DiagnosticLevel.Error, DiagnosticCodes.InvalidValue, source, pointers[i],
                $"{source} has {what} at byte {offsets[i].ToString(CultureInfo.InvariantCulture)}{where}; {read}."));
        }

        if (offsets.Count > MaxNamed)
        {
            diagnostics.Add(new DecodeDiagnostic(DiagnosticLevel.Error, DiagnosticCodes.InvalidValue, source, JsonPointer.Root,
                $"{source} has {(offsets.Count - MaxNamed).ToString(CultureInfo.InvariantCulture)} {more}."));
        }
    }

    /// <summary>Replaces each byte that is not UTF-8 by <c>?</c>; the offsets replaced, ascending.</summary>
    private static List<int> RepairUtf8(byte[] repaired)
    {
        var offsets = new List<int>();
        var position = 0;
        Span<char> scratch = stackalloc char[4096];
        while (position < repaired.Length)
        {
            var status = Utf8.ToUtf16(repaired.AsSpan(position), scratch, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            position += read;
            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                offsets.Add(position);
                repaired[position] = (byte)'?';
                position++;
            }
            else if (status == System.Buffers.OperationStatus.Done)
            {
                break;
            }
        }

        return offsets;
    }

    /// <summary>
    /// Offsets of the <c>\uXXXX</c> escapes inside JSON strings that are half of a surrogate pair without the other
    /// half, ascending. Strings are found by their quotes; a document without any <c>\u</c> is not scanned.
    /// </summary>
    private static List<int> LoneSurrogateEscapes(byte[] json)
    {
        var found = new List<int>();
        if (json.AsSpan().IndexOf("\\u"u8) < 0)
        {
            return found;
        }

        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (!inString)
            {
                inString = b == (byte)'"';
                continue;
            }

            if (b == (byte)'"')
            {
                inString = false;
            }
            else if (b == (byte)'\\')
            {
                if (CodeUnit(json, i) is not { } unit)
                {
                    i++;
                    continue;
                }

                if (unit is >= 0xD800 and <= 0xDBFF && CodeUnit(json, i + 6) is >= 0xDC00 and <= 0xDFFF)
                {
                    i += 11;
                    continue;
                }

                if (unit is >= 0xD800 and <= 0xDFFF)
                {
                    found.Add(i);
                }

                i += 5;
            }
        }

        return found;
    }

    /// <summary>The code unit of a <c>\uXXXX</c> escape at <paramref name="at"/>, or null when there is none.</summary>
    private static int? CodeUnit(byte[] json, int at)
    {
        if (at + 6 > json.Length || json[at] != (byte)'\\' || json[at + 1] != (byte)'u')
        {
            return null;
        }

        return int.TryParse(json.AsSpan(at + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit) ? unit : null;
    }

    /// <summary>The JSON pointer of the value holding each of <paramref name="offsets"/> (ascending); the root where the document is not JSON.</summary>
    private static List<JsonPointer> PointersAt(byte[] json, List<int> offsets)
    {
        var result = new List<JsonPointer>(offsets.Count);
        var path = new List<(bool Array, int Index, string? Name)>();
        var next = 0;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            while (next < offsets.Count && next < MaxNamed && reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        path[^1] = (false, 0, reader.GetString());
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(path);
                        path.Add((reader.TokenType == JsonTokenType.StartArray, -1, null));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    default:
                        Advance(path);
                        break;
                }

                while (next < offsets.Count && next < MaxNamed && offsets[next] < reader.BytesConsumed)
                {
                    result.Add(Pointer(path, reader.TokenType));
                    next++;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (YAML, text): the rest are named by byte offset only.
        }

        while (result.Count < offsets.Count)
        {
            result.Add(JsonPointer.Root);
        }

        return result;
    }

    private static void Advance(List<(bool Array, int Index, string? Name)> path)
    {
        if (path.Count > 0 && path[^1].Array)
        {
            path[^1] = (true, path[^1].Index + 1, null);
        }
    }

    private static JsonPointer Pointer(List<(bool Array, int Index, string? Name)> path, JsonTokenType token)
    {
        var pointer = JsonPointer.Root;
        var count = token is JsonTokenType.StartObject or JsonTokenType.StartArray ? path.Count - 1 : path.Count;
        for (var i = 0; i < count; i++)
        {
            var (isArray, index, name) = path[i];
            pointer = isArray ? pointer.Append(index) : name is null ? pointer : pointer.Append(name);
        }

        return pointer;
    }
}
