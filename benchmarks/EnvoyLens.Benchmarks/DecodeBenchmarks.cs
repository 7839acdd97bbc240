using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EnvoyLens.Core;
using EnvoyLens.Decoding;

namespace EnvoyLens.Benchmarks;

/// <summary>
/// Full typed decode of a generated config dump (document layout, tolerant proto reader, normalizer) against
/// System.Text.Json's JsonDocument.Parse of the same bytes (the baseline), in the same run.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class DecodeBenchmarks
{
    private byte[] _bytes = [];

    [Params(1, 10, 50, 200)]
    public int SizeMb { get; set; }

    [GlobalSetup]
    public void Setup() => _bytes = File.ReadAllBytes(DumpCache.PathFor(SizeMb));

    [Benchmark(Baseline = true)]
    public int JsonDocumentParse()
    {
        using var doc = JsonDocument.Parse(_bytes);
        return doc.RootElement.GetProperty("configs").GetArrayLength();
    }

    [Benchmark]
    public int TokenPass()
    {
        var reader = new Utf8JsonReader(_bytes);
        var n = 0;
        while (reader.Read())
        {
            n++;
        }

        return n;
    }

    [Benchmark]
    public int FullDecode()
    {
        var snapshot = SnapshotDecoder.Decode(new RawSnapshot("bench", [new RawDocument(AdminEndpoint.ConfigDump, "config_dump.json", _bytes)]));
        return snapshot.Clusters.Count + snapshot.Listeners.Count;
    }
}
