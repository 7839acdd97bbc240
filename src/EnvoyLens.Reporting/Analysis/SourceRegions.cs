using System.Text.Json;
using EnvoyLens.Core;

namespace EnvoyLens.Reporting.Analysis;

/// <summary>Where a value starts in its source file: 1-based line and column (the column counted in Unicode code points).</summary>
public readonly record struct SourceRegion(int Line, int Column);

/// <summary>
/// Finds where the values of JSON pointers start in the original bytes of a JSON document, in one pass: the reader
/// follows only the branches some pointer goes down (others are skipped), and the byte offsets found are turned into
/// lines and columns in a second, forward-only pass. Pointers that lead nowhere, and documents that are not JSON (a YAML
/// config dump), have no region.
/// </summary>
public static class SourceRegions
{
    public static IReadOnlyDictionary<string, SourceRegion> Locate(ReadOnlySpan<byte> document, IEnumerable<JsonPointer> pointers)
    {
        ArgumentNullException.ThrowIfNull(pointers);
        var start = document.StartsWith("\uFEFF"u8) ? 3 : 0;
        var json = document[start..];
        var root = new Node();
        foreach (var pointer in pointers.Distinct())
        {
            var node = root;
            foreach (var token in pointer.Tokens)
            {
                node = node.Child(token);
            }

            node.Pointer = pointer.Value;
        }

        var offsets = new List<(long Offset, string Pointer)>();
        var first = json.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0 || json[first] is not ((byte)'{' or (byte)'['))
        {
            return new Dictionary<string, SourceRegion>(StringComparer.Ordinal);
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 1024 });
            if (reader.Read())
            {
                Walk(ref reader, root, offsets);
            }
        }
        catch (JsonException)
        {
            // A document cut short or not JSON after all: the offsets found so far still hold.
        }

        return ToRegions(document, start, offsets);
    }

    /// <summary>The reader is on the first token of a value whose node is <paramref name="node"/>.</summary>
    private static void Walk(ref Utf8JsonReader reader, Node node, List<(long, string)> offsets)
    {
        if (node.Pointer is not null)
        {
            offsets.Add((reader.TokenStartIndex, node.Pointer));
        }

        if (node.Children is null)
        {
            reader.Skip();
            return;
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    if (node.Children.TryGetValue(name, out var child))
                    {
                        Walk(ref reader, child, offsets);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                break;
            case JsonTokenType.StartArray:
                var index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (node.Children.TryGetValue(index.ToString(System.Globalization.CultureInfo.InvariantCulture), out var child))
                    {
                        Walk(ref reader, child, offsets);
                    }
                    else
                    {
                        reader.Skip();
                    }

                    index++;
                }

                break;
        }
    }

    private static Dictionary<string, SourceRegion> ToRegions(ReadOnlySpan<byte> document, int start, List<(long Offset, string Pointer)> offsets)
    {
        var regions = new Dictionary<string, SourceRegion>(StringComparer.Ordinal);
        offsets.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        var (line, column, position) = (1, 1, 0L);
        foreach (var (offset, pointer) in offsets)
        {
            var target = offset + start;
            for (; position < target; position++)
            {
                var b = document[(int)position];
                if (b == (byte)'\n')
                {
                    (line, column) = (line + 1, 1);
                }
                else if ((b & 0xC0) != 0x80 && position >= start)
                {
                    // Each code point starts with a byte that is not a UTF-8 continuation byte.
                    column++;
                }
            }

            regions[pointer] = new SourceRegion(line, column);
        }

        return regions;
    }

    private sealed class Node
    {
        public string? Pointer { get; set; }

        public Dictionary<string, Node>? Children { get; private set; }

        public Node Child(string token)
        {
            Children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
            if (!Children.TryGetValue(token, out var child))
            {
                child = new Node();
                Children[token] = child;
            }

            return child;
        }
    }
}
