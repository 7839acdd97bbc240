using EnvoyLens.Rules.BuiltIn;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Benchmarks;

/// <summary>
/// Every built-in rule over a decoded generated dump (decoding happens once, in setup), without stats and with a
/// synthetic <c>/stats</c> sample of a dozen counters per cluster and listener (which exercises the stats-name resolver).
/// Compare with <see cref="DecodeBenchmarks.FullDecode"/> of the same size: analysis should be a small fraction of it.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class RulesBenchmarks
{
    private static readonly string[] ClusterStats =
    [
        "upstream_cx_total", "upstream_cx_active", "upstream_cx_connect_fail", "upstream_cx_connect_timeout", "upstream_cx_overflow",
        "upstream_cx_none_healthy", "upstream_rq_total", "upstream_rq_active", "upstream_rq_pending_overflow", "upstream_rq_retry_overflow",
        "ssl.connection_error", "ssl.fail_verify_san", "outlier_detection.ejections_active",
    ];

    private EnvoySnapshot _snapshot = null!;
    private EnvoySnapshot _withStats = null!;
    private readonly RuleRunner _runner = new RuleRunner(RulePacks.BuiltIn.Rules);

    [Params(10, 200)]
    public int SizeMb { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var bytes = File.ReadAllBytes(DumpCache.PathFor(SizeMb));
        _snapshot = SnapshotDecoder.Decode(new RawSnapshot("bench", [new RawDocument(AdminEndpoint.ConfigDump, "config_dump.json", bytes)]));
        var none = new Dictionary<string, string>();
        var stats = new List<Stat>();
        var n = 0;
        foreach (var cluster in _snapshot.Clusters)
        {
            foreach (var s in ClusterStats)
            {
                stats.Add(new Stat($"cluster.{cluster.Name}.{s}", StatKind.Counter, n++ % 97 == 0 ? 1 : 0, null, none));
            }
        }

        foreach (var listener in _snapshot.Listeners.Where(l => l.Address is not null))
        {
            var address = listener.Address!.Port is { } port ? listener.Address.Address + "_" + port.ToString(CultureInfo.InvariantCulture) : listener.Address.Address;
            stats.Add(new Stat($"listener.{address}.ssl.connection_error", StatKind.Counter, 0, null, none));
            stats.Add(new Stat($"listener.{address}.downstream_cx_total", StatKind.Counter, 10, null, none));
        }

        _withStats = _snapshot.WithStats(new StatsSnapshot(stats, "stats.txt", "text"));
    }

    [Benchmark(Baseline = true)]
    public int ConfigRules() => _runner.Run(new RuleContext(_snapshot, TimeProvider.System)).Findings.Count;

    [Benchmark]
    public int AllRulesWithStats() => _runner.Run(new RuleContext(_withStats, TimeProvider.System)).Findings.Count;
}
