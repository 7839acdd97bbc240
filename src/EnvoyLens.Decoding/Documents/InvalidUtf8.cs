using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using EnvoyLens.Core;

namespace EnvoyLens.Decoding.Documents;

/// <summary>
/// Finds bytes that are not UTF-8 in a document before it is decoded. Each place becomes an error diagnostic naming
/// the byte offset and the JSON pointer of the value holding it; the document is then decoded from a copy in which
/// every such byte is <c>?</c> (same length, so every offset and pointer stays true), never with the bytes silently
/// replaced or a whole section dropped for one byte.
/// </summary>
internal static class InvalidUtf8
{
    /// <summary>How many places are named one by one; the rest are counted.</summary>
    private const int MaxNamed = 10;

    /// <summary>
    /// <paramref name="content"/> itself when it is valid UTF-8, else a repaired copy, with one diagnostic per place
    /// added to <paramref name="diagnostics"/>.
    /// </summary>
    public static byte[] Repair(byte[] content, string source, List<DecodeDiagnostic> diagnostics)
    {
        if (Utf8.IsValid(content))
        {
            return content;
        }

        var repaired = (byte[])content.Clone();
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

        var pointers = PointersAt(repaired, offsets);
        for (var i = 0; i < offsets.Count && i < MaxNamed; i++)
        {
            var where = pointers[i].IsRoot ? string.Empty : $" in the value at '{pointers[i]}'";
            diagnostics.Add(new DecodeDiagnostic(DiagnosticLevel.Error, DiagnosticCodes.InvalidValue, source, pointers[i],
                $"{source} has a byte that is not UTF-8 at byte {offsets[i].ToString(CultureInfo.InvariantCulture)}{where}; it was read as '?'."));
        }

        if (offsets.Count > MaxNamed)
        {
            diagnostics.Add(new DecodeDiagnostic(DiagnosticLevel.Error, DiagnosticCodes.InvalidValue, source, JsonPointer.Root,
                $"{source} has {(offsets.Count - MaxNamed).ToString(CultureInfo.InvariantCulture)} more bytes that are not UTF-8; each was read as '?'."));
        }

        return repaired;
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
