using System.Text;
using EnvoyLens.Core;
using EnvoyLens.Decoding.Documents;

namespace EnvoyLens.Decoding.Tests.Hostile;

/// <summary>YAML aliases may repeat what they name, but never without bound ("billion laughs").</summary>
public sealed class YamlAliasBombTests
{
    /// <summary>Nine levels of nine aliases each: 9^9 (387 million) strings from a few hundred bytes.</summary>
    internal static string Bomb()
    {
        var yaml = new StringBuilder("configs:\n- &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            yaml.Append("- &").Append(level).Append(" [").Append(string.Join(",", Enumerable.Repeat("*" + previous, 9))).Append("]\n");
        }

        return yaml.ToString();
    }

    [Fact]
    public void Given_a_few_hundred_bytes_of_nested_aliases_When_read_Then_it_is_refused_in_one_sentence()
    {
        var bomb = Bomb();
        Assert.True(bomb.Length < 400, bomb.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var ex = Assert.Throws<EnvoyLensException>(() => ConfigDumpDocument.Read(Encoding.UTF8.GetBytes(bomb), "bomb.yaml"));

        Assert.Equal("bomb.yaml expands through YAML aliases to more than ten times its own size (an alias bomb?), which EnvoyLens refuses to read.", ex.Message);
    }

    [Fact]
    public void Given_aliases_that_repeat_a_block_a_few_times_When_read_Then_they_are_expanded()
    {
        const string yaml = """
            configs:
            - "@type": type.googleapis.com/envoy.admin.v3.ClustersConfigDump
              static_clusters:
              - cluster: &c
                  name: a
                  connect_timeout: 1s
              - cluster: *c
              - cluster: *c
            """;

        var layout = ConfigDumpDocument.Read(Encoding.UTF8.GetBytes(yaml), "anchors.yaml");

        var json = Encoding.UTF8.GetString(layout.EntryBytes(Assert.Single(layout.Entries)).Span);
        Assert.Equal(3, json.Split("\"name\":\"a\"").Length - 1);
    }

    [Fact]
    public void Given_a_bomb_as_the_only_document_When_decoded_Then_it_is_an_unreadable_document_naming_it()
    {
        var raw = new RawSnapshot("bomb", [new RawDocument(AdminEndpoint.ConfigDump, "bomb.yaml", Encoding.UTF8.GetBytes(Bomb()))]);

        var snapshot = SnapshotDecoder.Decode(raw);

        var error = Assert.Single(snapshot.Diagnostics, d => d.Code == DiagnosticCodes.UnreadableDocument);
        Assert.Equal("bomb.yaml", error.Source);
        Assert.Contains("alias bomb", error.Message, StringComparison.Ordinal);
    }

    // Found by the protojson fuzz target: an alias used as a mapping key before (or inside) its anchor sent the YAML
    // node model into endless recursion, a stack overflow that no handler can catch.
    [Theory]
    [InlineData("**= : &*= ", "alias **= refers to no anchor defined before it")]
    [InlineData("*a : &a x\n", "alias *a refers to no anchor defined before it")]
    [InlineData("&a {k: *a}\n", "alias *a refers to the node it is inside of")]
    [InlineData("k: &a [1, *a]\n", "alias *a refers to the node it is inside of")]
    public void Given_an_alias_to_an_anchor_not_yet_complete_When_read_Then_one_sentence_names_the_file(string yaml, string reason)
    {
        var ex = Assert.Throws<EnvoyLensException>(() => ConfigDumpDocument.Read(Encoding.UTF8.GetBytes(yaml), "loop.yaml"));

        Assert.StartsWith("loop.yaml is neither JSON nor valid YAML (line 1: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
