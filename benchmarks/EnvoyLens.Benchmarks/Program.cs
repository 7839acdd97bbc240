using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using EnvoyLens.Benchmarks;
using EnvoyLens.Core;
using EnvoyLens.Decoding;

// `peak SIZE_MB`: decode one generated dump in this fresh process and print the peak working set, which
// BenchmarkDotNet does not report. Everything else goes to BenchmarkDotNet's switcher.
if (args.Length == 2 && args[0] == "peak")
{
    var mb = int.Parse(args[1], CultureInfo.InvariantCulture);
    var path = DumpCache.PathFor(mb);
    var sw = Stopwatch.StartNew();
    var bytes = File.ReadAllBytes(path);
    var snapshot = SnapshotDecoder.Decode(new RawSnapshot("bench", [new RawDocument(AdminEndpoint.ConfigDump, "config_dump.json", bytes)]));
    sw.Stop();
    using var self = Process.GetCurrentProcess();
    self.Refresh();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"file {bytes.Length / 1048576.0:F1} MB; decode {sw.Elapsed.TotalSeconds:F2} s; clusters {snapshot.Clusters.Count}; listeners {snapshot.Listeners.Count}; " +
        $"routes {snapshot.RouteConfigs.Count}; peak working set {self.PeakWorkingSet64 / 1048576.0:F0} MB ({self.PeakWorkingSet64 / (double)bytes.Length:F2}x the file)"));
    GC.KeepAlive(snapshot);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(DecodeBenchmarks).Assembly).Run(args);
return 0;
