using System.Globalization;
using BenchmarkDotNet.Attributes;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Model;
using EnvoyLens.Trace;

namespace EnvoyLens.Benchmarks;

/// <summary>
/// One <c>envoylens trace</c> request on a generated dump against decoding the same dump, in the same run: the trace
/// of an HTTP request to the last outbound service of the mesh, with the snapshot's trace index already built (warm),
/// and with a fresh snapshot object so that the index is built again (cold: what the CLI pays once per run).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class TraceBenchmarks
{
    private byte[] _bytes = [];
    private EnvoySnapshot _snapshot = null!;
    private TraceRequest _request = null!;

    [Params(10, 50)]
    public int SizeMb { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bytes = File.ReadAllBytes(DumpCache.PathFor(SizeMb));
        _snapshot = Decode();
        var http = new HashSet<int> { 80, 3000, 5000, 8080, 9080 };
        var target = _snapshot.Clusters
            .Select(c => c.Name.Split('|'))
            .Where(p => p.Length == 4 && p[0] == "outbound" && p[2].Length == 0 && int.TryParse(p[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && http.Contains(port))
            .Select(p => $"http://{p[3]}:{p[1]}/")
            .Last();
        _request = TraceRequest.For(target);
        var verdict = new RequestTracer(_snapshot).Trace(_request).Verdict;
        Console.WriteLine($"// trace {target}: {verdict.Outcome} {verdict.Cluster} {verdict.Summary}");
    }

    [Benchmark(Baseline = true)]
    public int FullDecode() => Decode().Clusters.Count;

    [Benchmark]
    public TraceOutcome TraceWarm() => new RequestTracer(_snapshot).Trace(_request).Verdict.Outcome;

    [Benchmark]
    public TraceOutcome TraceCold() => new RequestTracer(_snapshot.WithStats(_snapshot.Stats)).Trace(_request).Verdict.Outcome;

    private EnvoySnapshot Decode() =>
        SnapshotDecoder.Decode(new RawSnapshot("bench", [new RawDocument(AdminEndpoint.ConfigDump, "config_dump.json", _bytes)]));
}
