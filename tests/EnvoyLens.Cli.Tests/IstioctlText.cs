using System.Text.Json.Nodes;
using EnvoyLens.Reporting.Tables;
using YamlDotNet.RepresentationModel;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// Reads istioctl's printed output back into tables, to compare with ours column by column, matched by header:
/// blocks are separated by blank lines; a block of <c>Label: value</c> lines is a key/value summary; otherwise its
/// first line is the header. Headers are found in the header line as the known headers of our tables (they hold
/// single spaces, and istioctl's listener table pads with one space), and each cell is cut at its header's column,
/// which is where Go's tabwriter starts it on every line.
/// </summary>
internal static class IstioctlText
{
    internal sealed record Block(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, bool KeyValue);

    public static List<Block> Parse(string text, IEnumerable<string> knownHeaders)
    {
        var known = knownHeaders.Distinct(StringComparer.Ordinal).OrderByDescending(h => h.Length).ToList();
        var blocks = new List<Block>();
        foreach (var chunk in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n"))
        {
            var lines = chunk.Split('\n').Where(l => l.Length > 0).ToList();
            if (lines.Count == 0 || (lines.Count == 1 && !known.Any(h => lines[0].StartsWith(h, StringComparison.Ordinal))))
            {
                continue; // a sentence such as "No active or warming secrets found."
            }

            if (lines.All(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^[A-Za-z][A-Za-z ]*:( |$)")))
            {
                var pairs = lines.Select(l => (Key: l[..l.IndexOf(':', StringComparison.Ordinal)], Value: l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToList();
                blocks.Add(new Block(pairs.Select(p => p.Key).ToList(), [pairs.Select(p => p.Value).ToList()], true));
                continue;
            }

            var header = lines[0];
            var starts = new List<(int At, string Header)>();
            for (var at = 0; at < header.Length;)
            {
                if (header[at] == ' ')
                {
                    at++;
                    continue;
                }

                var found = known.FirstOrDefault(h => string.CompareOrdinal(header, at, h, 0, h.Length) == 0 && (at + h.Length == header.Length || header[at + h.Length] == ' '));
                Assert.True(found is not null, $"Unknown header at column {at} of '{header}'.");
                starts.Add((at, found));
                at += found.Length;
            }

            var rows = lines.Skip(1).Select(line => (IReadOnlyList<string>)starts.Select((s, i) =>
            {
                var end = i + 1 < starts.Count ? starts[i + 1].At : line.Length;
                return s.At >= line.Length ? "" : line[s.At..Math.Min(end, line.Length)].Trim();
            }).ToList()).ToList();
            blocks.Add(new Block(starts.Select(s => s.Header).ToList(), rows, false));
        }

        return blocks;
    }

    /// <summary>
    /// Asserts that every block istioctl printed is one of <paramref name="ours"/> (the one table whose columns include
    /// all the block's headers) with the same rows, in the same order, compared on istioctl's columns; returns how many
    /// rows were compared.
    /// </summary>
    public static int AssertEveryRowMatches(string istioctl, IReadOnlyList<Table> ours)
    {
        var blocks = Parse(istioctl, ours.SelectMany(t => t.Columns.Select(c => c.Header)));
        Assert.NotEmpty(blocks);
        var compared = 0;
        foreach (var block in blocks)
        {
            var candidates = ours.Where(t => (t.Layout == TableLayout.KeyValue) == block.KeyValue &&
                                             block.Headers.All(h => t.Columns.Any(c => c.Header == h))).ToList();
            Assert.True(candidates.Count == 1, $"istioctl's table [{string.Join(", ", block.Headers)}] matches {candidates.Count} of our tables.");
            var table = candidates[0];
            var index = block.Headers.Select(h => table.Columns.ToList().FindIndex(c => c.Header == h)).ToList();
            var projected = table.TextRows.Select(r => (IReadOnlyList<string>)index.Select(i => r[i].Trim()).ToList()).ToList();
            Assert.Equal(block.Rows.Select(r => string.Join(" | ", r)), projected.Take(block.KeyValue ? 1 : projected.Count).Select(r => string.Join(" | ", r)));
            compared += block.Rows.Count;
        }

        return compared;
    }

    /// <summary>A JSON tree with every object key folded (lower case, no underscores): Envoy's snake_case and istioctl's camelCase compare equal.</summary>
    public static JsonNode? FoldKeys(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant(), FoldKeys(p.Value)))),
        JsonArray a => new JsonArray(a.Select(FoldKeys).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };

    /// <summary>A YAML document as a JSON tree whose scalars are all strings (so both sides of a comparison read them alike).</summary>
    public static JsonNode? FromYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);

        static JsonNode? Convert(YamlNode node) => node switch
        {
            YamlMappingNode m => new JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Convert(c.Value)))),
            YamlSequenceNode s => new JsonArray(s.Children.Select(Convert).ToArray()),
            YamlScalarNode { Value: var v } => JsonValue.Create(v ?? ""),
            _ => null,
        };
    }
}
