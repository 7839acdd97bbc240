using System.Text.Json;
using EnvoyLens.Decoding.Documents;
using EnvoyLens.TestKit;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace EnvoyLens.Decoding.Tests.Documents;

/// <summary>A corpus dump re-emitted as YAML (strings quoted, as kubectl/istioctl do for ambiguous ones) reads back to the same entries.</summary>
public sealed class YamlRoundTripTests
{
    [SkippableTheory]
    [InlineData("kuma-dataplane-no-hds.json", ScalarStyle.DoubleQuoted)]
    [InlineData("istio-compare-sidecar-configdump.json", ScalarStyle.DoubleQuoted)]
    [InlineData("istio-2018-v2-mapform-configdump.json", ScalarStyle.SingleQuoted)]
    public void Given_a_corpus_dump_as_yaml_When_read_Then_entries_equal_the_json_ones(string file, ScalarStyle stringStyle)
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var json = File.ReadAllBytes(TestPaths.CorpusFile("config_dump", file));
        var yaml = ToYaml(json, stringStyle);

        var fromJson = ConfigDumpDocument.Read(json, file);
        var fromYaml = ConfigDumpDocument.Read(System.Text.Encoding.UTF8.GetBytes(yaml), file + ".yaml");

        Assert.Equal("yaml+" + fromJson.Form, fromYaml.Form);
        Assert.Equal(fromJson.Entries.Select(e => (e.Pointer, e.TypeUrl, e.MapKey)), fromYaml.Entries.Select(e => (e.Pointer, e.TypeUrl, e.MapKey)));
        for (var i = 0; i < fromJson.Entries.Count; i++)
        {
            Assert.Equal(Canonical(fromJson.EntryBytes(fromJson.Entries[i])), Canonical(fromYaml.EntryBytes(fromYaml.Entries[i])));
        }
    }

    private static string Canonical(ReadOnlyMemory<byte> json) =>
        JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);

    private static string ToYaml(byte[] json, ScalarStyle stringStyle)
    {
        using var doc = JsonDocument.Parse(json);
        var writer = new StringWriter();
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Emit(emitter, doc.RootElement, stringStyle);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Emit(IEmitter emitter, JsonElement e, ScalarStyle stringStyle)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                emitter.Emit(new MappingStart());
                foreach (var p in e.EnumerateObject())
                {
                    emitter.Emit(new Scalar(null, null, p.Name, p.Name.StartsWith('@') ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain, true, true));
                    Emit(emitter, p.Value, stringStyle);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonValueKind.Array:
                emitter.Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
                foreach (var item in e.EnumerateArray())
                {
                    Emit(emitter, item, stringStyle);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValueKind.String:
                emitter.Emit(new Scalar(null, null, e.GetString()!, stringStyle, true, true));
                break;
            default:
                emitter.Emit(new Scalar(null, null, e.GetRawText(), ScalarStyle.Plain, true, false));
                break;
        }
    }
}
