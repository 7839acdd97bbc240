using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyLens.TestKit.Live;

namespace EnvoyLens.ScanBench;

/// <summary>
/// <c>scan-bench --cli PATH [--runs N] [--pods N] [--concurrency N] [--qps Q]</c>: starts a fake cluster of N pods
/// (default 200) with an istio-proxy each, all port-forwarded to one admin test server serving the <c>reviews</c>
/// fixture, one of them alone in namespace <c>solo</c>; then runs <c>PATH scan -A</c> and <c>PATH scan -n solo</c>
/// (a <c>.dll</c> is run with <c>dotnet</c>) alternately, R times each after one unrecorded warm-up of each, every run
/// under <c>/usr/bin/time</c> for its wall time, CPU time and peak RSS, and prints the medians, the per-pod overhead
/// <c>(t(N) - t(1)) / (N - 1)</c> and the ratios to the one-pod run as Markdown. The test servers run in this process:
/// the wall times include their share of the machine; CPU and RSS are the tool's alone.
/// </summary>
internal static class Program
{
    private const string Time = "/usr/bin/time";

    public static async Task<int> Main(string[] args)
    {
        var options = Options.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync("usage: scan-bench --cli PATH-TO-envoylens[.dll] [--runs 5] [--pods 200] [--concurrency 8] [--qps 0]");
            return 2;
        }

        if (!File.Exists(Time))
        {
            await Console.Error.WriteLineAsync($"scan-bench needs {Time} (GNU time) to measure the child's CPU time and peak RSS.");
            return 2;
        }

        var work = Directory.CreateTempSubdirectory("envoylens-scan-bench-").FullName;
        try
        {
            await using var admin = await FakeAdminServer.StartAsync();
            await using var api = await FakeKubernetesApi.StartAsync(admin.Port);
            for (var i = 0; i < options.Pods - 1; i++)
            {
                AddPod(api, "team-" + (i % 8).ToString(CultureInfo.InvariantCulture), "svc-" + (i / 8 % 4).ToString(CultureInfo.InvariantCulture), i);
            }

            AddPod(api, "solo", "svc-solo", options.Pods);
            var kubeconfig = api.WriteKubeconfig(work);

            string[] common = ["--kubeconfig", kubeconfig, "--concurrency", options.Concurrency.ToString(CultureInfo.InvariantCulture), "--qps", options.Qps.ToString(CultureInfo.InvariantCulture), "--timeout-per-pod", "60s", "-o", "json"];
            var all = new Case($"{options.Pods} pods", options.Pods, ["scan", "-A", .. common]);
            var one = new Case("1 pod", 1, ["scan", "-n", "solo", .. common]);

            var load = new List<string> { LoadAverage() };
            await RunAsync(options, one, work);
            await RunAsync(options, all, work);
            for (var r = 0; r < options.Runs; r++)
            {
                foreach (var c in r % 2 == 0 ? new[] { one, all } : [all, one])
                {
                    c.Runs.Add(await RunAsync(options, c, work));
                }
            }

            load.Add(LoadAverage());
            Report(options, one, all, load);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void AddPod(FakeKubernetesApi api, string ns, string deployment, int i)
    {
        var name = $"{deployment}-5f6d7c8b9-{i.ToString("x5", CultureInfo.InvariantCulture)}";
        var pod = FakeKubernetesApi.Pod(name, ns, "Running", "app", "istio-proxy");
        var metadata = pod["metadata"]!.AsObject();
        metadata["labels"] = new JsonObject { ["app"] = deployment, ["pod-template-hash"] = "5f6d7c8b9" };
        metadata["annotations"] = new JsonObject { ["sidecar.istio.io/inject"] = "true" };
        metadata["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["name"] = deployment + "-5f6d7c8b9",
            ["uid"] = "00000000-0000-0000-0000-000000000001",
            ["controller"] = true,
        });
        pod["status"]!["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" });
        api.Pods[ns + "/" + name] = pod;
    }

    /// <summary>One run of <paramref name="c"/> under /usr/bin/time; fails unless the scan read exactly its pods.</summary>
    private static async Task<Measurement> RunAsync(Options options, Case c, string work)
    {
        var timing = Path.Combine(work, "time.txt");
        var start = new ProcessStartInfo(Time) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-f", "%e %U %S %M", "-o", timing])
        {
            start.ArgumentList.Add(a);
        }

        if (options.Cli.EndsWith(".dll", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
        }

        start.ArgumentList.Add(options.Cli);
        foreach (var a in c.Args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        if (process.ExitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"scan of {c.Name} exited {process.ExitCode}: {await stderr}");
        }

        using (var json = JsonDocument.Parse(output))
        {
            var summary = json.RootElement.GetProperty("summary");
            var read = json.RootElement.GetProperty("pods").EnumerateArray().Count(p => p.GetProperty("read").GetBoolean());
            if (read != c.Pods || summary.GetProperty("interrupted").GetBoolean())
            {
                throw new InvalidOperationException($"scan of {c.Name} read {read} pods, not {c.Pods}.");
            }
        }

        var f = (await File.ReadAllTextAsync(timing)).Trim().Split('\n')[^1].Split(' ');
        return new Measurement(
            double.Parse(f[0], CultureInfo.InvariantCulture),
            double.Parse(f[1], CultureInfo.InvariantCulture) + double.Parse(f[2], CultureInfo.InvariantCulture),
            long.Parse(f[3], CultureInfo.InvariantCulture) / 1024.0);
    }

    private static void Report(Options options, Case one, Case all, List<string> load)
    {
        var (w1, c1, m1) = Medians(one);
        var (wn, cn, mn) = Medians(all);
        var n = options.Pods;
        var o = Console.Out;
        o.WriteLine($"scan-bench: {options.Cli}, --concurrency {options.Concurrency.ToString(CultureInfo.InvariantCulture)} --qps {options.Qps.ToString(CultureInfo.InvariantCulture)}, {options.Runs.ToString(CultureInfo.InvariantCulture)} runs each (alternating, after one warm-up of each); load average before: {load[0]}, after: {load[1]}");
        o.WriteLine();
        o.WriteLine("| run | wall (median) | CPU user+sys (median) | peak RSS (median) | wall, each run | CPU, each run | peak RSS, each run |");
        o.WriteLine("|---|---:|---:|---:|---|---|---|");
        foreach (var c in new[] { one, all })
        {
            var (w, cpu, m) = Medians(c);
            o.WriteLine($"| {c.Name} | {F(w, "0.00")} s | {F(cpu, "0.00")} s | {F(m, "0")} MiB | {string.Join(", ", c.Runs.Select(r => F(r.Wall, "0.00")))} | {string.Join(", ", c.Runs.Select(r => F(r.Cpu, "0.00")))} | {string.Join(", ", c.Runs.Select(r => F(r.PeakMiB, "0")))} |");
        }

        o.WriteLine();
        o.WriteLine($"- per-pod overhead, (t({n.ToString(CultureInfo.InvariantCulture)}) - t(1)) / {(n - 1).ToString(CultureInfo.InvariantCulture)}: wall {F((wn - w1) / (n - 1) * 1000, "0.0")} ms, CPU {F((cn - c1) / (n - 1) * 1000, "0.0")} ms");
        o.WriteLine($"- against the 1-pod run: wall {F(wn / w1, "0.0")}x, CPU {F(cn / c1, "0.0")}x, peak RSS {F(mn / m1, "0.00")}x ({F(mn - m1, "0")} MiB more)");
    }

    private static (double Wall, double Cpu, double PeakMiB) Medians(Case c) =>
        (Median(c.Runs.Select(r => r.Wall)), Median(c.Runs.Select(r => r.Cpu)), Median(c.Runs.Select(r => r.PeakMiB)));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private sealed record Measurement(double Wall, double Cpu, double PeakMiB);

    private sealed record Case(string Name, int Pods, string[] Args)
    {
        public List<Measurement> Runs { get; } = [];
    }

    private sealed record Options(string Cli, int Runs, int Pods, int Concurrency, double Qps)
    {
        public static Options? Parse(string[] args)
        {
            string? cli = null;
            var (runs, pods, concurrency, qps) = (5, 200, 8, 0.0);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                var value = args[i + 1];
                switch (args[i])
                {
                    case "--cli": cli = value; break;
                    case "--runs": runs = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "--pods": pods = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "--concurrency": concurrency = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "--qps": qps = double.Parse(value, CultureInfo.InvariantCulture); break;
                    default: return null;
                }
            }

            return cli is null || args.Length % 2 != 0 || runs < 1 || pods < 2 ? null : new Options(Path.GetFullPath(cli), runs, pods, concurrency, qps);
        }
    }
}
