using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Decoding.Canonical;
using EnvoyLens.Diff;

namespace EnvoyLens.Benchmarks;

/// <summary>
/// Semantic diff of two generated dumps that differ in 1% of their resources, against the baseline of decoding both
/// (the target is about twice that cost at most). The "after" dump changes one field in every hundredth cluster,
/// listener, route configuration and load assignment.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class DiffBenchmarks
{
    private byte[] _before = [];
    private byte[] _after = [];

    [Params(10, 50, 200)]
    public int SizeMb { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _before = File.ReadAllBytes(DumpCache.PathFor(SizeMb));
        _after = MutateOnePercent(_before);
    }

    [Benchmark(Baseline = true)]
    public int DecodeBoth() =>
        SnapshotDecoder.Decode(Raw(_before)).Clusters.Count + SnapshotDecoder.Decode(Raw(_after)).Clusters.Count;

    [Benchmark]
    public int Diff() =>
        SnapshotDiffer.Diff(CanonicalReader.Read(Raw(_before)), CanonicalReader.Read(Raw(_after))).Changes.Count;

    private static RawSnapshot Raw(byte[] bytes) => new("bench", [new RawDocument(AdminEndpoint.ConfigDump, "config_dump.json", bytes)]);

    /// <summary>Changes one field in every hundredth resource of each dynamic section.</summary>
    internal static byte[] MutateOnePercent(byte[] dump)
    {
        var root = JsonNode.Parse(dump)!.AsObject();
        foreach (var section in root["configs"]!.AsArray().OfType<JsonObject>())
        {
            Every(section["dynamic_active_clusters"], e => e["cluster"]!["connect_timeout"] = "17s");
            Every(section["dynamic_listeners"], e => e["active_state"]!["listener"]!["stat_prefix"] = "changed");
            Every(section["dynamic_route_configs"], e => e["route_config"]!["max_direct_response_body_size_bytes"] = 4097);
            Every(section["dynamic_endpoint_configs"], e => e["endpoint_config"]!["policy"] = new JsonObject { ["overprovisioning_factor"] = 137 });
        }

        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static void Every(JsonNode? list, Action<JsonNode> change)
    {
        if (list is not JsonArray items)
        {
            return;
        }

        for (var i = 0; i < items.Count; i += 100)
        {
            change(items[i]!);
        }
    }
}
