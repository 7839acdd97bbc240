using System.CommandLine;
using System.Globalization;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Services;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Scan;

namespace EnvoyLens.Cli.Commands;

/// <summary>
/// <c>envoylens scan</c>: every proxy of a namespace or the cluster, analysed concurrently, one verdict; and
/// <c>scan merge RESULT.json...</c>, the shards' results as one.
/// </summary>
internal static class ScanCommand
{
    public static Command Create(TimeProvider clock, Notices notices, TextWriter output)
    {
        var command = new Command("scan",
            "Find every running pod with a proxy container (istio-proxy, envoy, consul-dataplane, ...) in a namespace or " +
            "all namespaces, read each proxy's admin port through a Kubernetes port-forward (read-only, concurrently), run " +
            "every rule, and print one row per pod and the mesh-wide findings. Exit 0 when nothing is at or above " +
            "--fail-on, 1 when a pod has such a finding or could not be read, 2 when the scan cannot run, 130 when interrupted.");
        var ns = new Option<string?>("--namespace", "-n") { Description = "The namespace to scan; default the kubeconfig context's, else default.", HelpName = "NAMESPACE" };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "Scan every namespace." };
        var selector = new Option<string?>("--selector", "-l") { Description = "Only pods matching this label selector, e.g. app=reviews,version!=v1.", HelpName = "SELECTOR" };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context; default the current one.", HelpName = "NAME" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "The kubeconfig file; default $KUBECONFIG, else ~/.kube/config.", HelpName = "PATH" };
        var inCluster = new Option<bool>("--in-cluster") { Description = "Use the pod's service account (when running inside the cluster, e.g. as deploy/scan-job.yaml's Job) instead of a kubeconfig." };
        var concurrency = new Option<int>("--concurrency") { Description = "How many proxies to read at once (port-forwards open at a time).", HelpName = "N", DefaultValueFactory = _ => 8 };
        var timeout = new Option<string?>("--timeout-per-pod") { Description = "How long one pod may take, from port-forward to last byte, e.g. 30s, 2m (default 30s).", HelpName = "DURATION" };
        var qps = new Option<double?>("--qps") { Description = "Requests per second toward the Kubernetes API (pod lists and port-forwards); default 20, 0 for no limit.", HelpName = "N" };
        var bundles = new Option<string?>("--bundles") { Description = "Keep each proxy's capture as a redacted bundle DIR/NAMESPACE.POD.tar.gz.", HelpName = "DIR" };
        var shard = new Option<string?>("--shard")
        {
            Description = $"Scan only shard I of N (pods by a stable hash of namespace/name); default ${Shard.IndexVariable}/${Shard.CountVariable} when both are set (an Indexed Job).",
            HelpName = "I/N",
        };
        var format = Format().AddTo(command);
        var failOn = Severities.FailOn().AddTo(command);
        var at = new AtOption("Judge certificates and findings at this instant (ISO 8601, UTC when no offset is given) instead of now.").AddTo(command);
        foreach (var o in new Option[] { ns, all, selector, context, kubeconfig, inCluster, concurrency, timeout, qps, bundles, shard })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var judged = at.Get(parse, clock);
            var access = new ClusterAccess(parse.GetValue(kubeconfig), parse.GetValue(context), parse.GetValue(inCluster));
            if (access.InCluster && (access.Kubeconfig is not null || access.Context is not null))
            {
                throw new EnvoyLensException("--in-cluster uses the pod's service account; do not give --kubeconfig or --context with it.");
            }

            var request = new ScanRequest(
                access,
                parse.GetValue(ns),
                parse.GetValue(all),
                parse.GetValue(selector),
                parse.GetValue(concurrency),
                parse.GetValue(timeout) is { } t ? SourceOptions.ParseDuration(t, "--timeout-per-pod") : TimeSpan.FromSeconds(30),
                parse.GetValue(qps) ?? ScanService.DefaultQps,
                failOn.Get(parse),
                parse.GetValue(bundles),
                format.Get(parse),
                Shard.Resolve(parse.GetValue(shard), Environment.GetEnvironmentVariable));
            return new ScanService(judged, notices).Run(request, output);
        });
        command.Subcommands.Add(Merge(output));
        return command;
    }

    private static Command Merge(TextWriter output)
    {
        var command = new Command("merge",
            "Combine the -o json results of scan shards (--shard I/N) into one summary, JSON or SARIF, as one scan of every " +
            "shard's pods would print it. Exit codes as scan's.");
        var files = new Argument<string[]>("RESULT") { Description = "Scan results written with 'envoylens scan -o json'.", Arity = ArgumentArity.OneOrMore };
        command.Arguments.Add(files);
        var format = Format().AddTo(command);
        var failOn = Severities.FailOn().AddTo(command);
        command.SetAction(parse =>
        {
            var results = (parse.GetValue(files) ?? []).Select(Read).ToList();
            var merged = ScanMerge.Merge(results);
            output.Write(ScanService.Render(merged, format.Get(parse), failOn.Get(parse)));
            return ScanService.ExitCode(merged, failOn.Get(parse));
        });
        return command;

        static ScanResult Read(string path)
        {
            if (!File.Exists(path))
            {
                throw new EnvoyLensException($"cannot read scan result '{path}': no such file.");
            }

            return ScanJson.Read(File.ReadAllBytes(path), $"scan result '{path}'");
        }
    }

    private static ChoiceOption<ScanFormat> Format() =>
        new ChoiceOption<ScanFormat>("--output", "-o",
                "Output format: table (one row per pod, then the mesh-wide findings), json (schema envoylens-scan/v1), sarif (SARIF 2.1.0) or html (one self-contained page).",
                "table|json|sarif|html", ScanFormat.Table, "table")
            .With("table", ScanFormat.Table)
            .With("json", ScanFormat.Json)
            .With("sarif", ScanFormat.Sarif)
            .With("html", ScanFormat.Html);
}

/// <summary>Shard results as one: the pods of all (each once), counts summed, scope and instant from the shards.</summary>
internal static class ScanMerge
{
    public static ScanResult Merge(IReadOnlyList<ScanResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var first = results[0];
        var pods = new SortedDictionary<string, ScanPod>(StringComparer.Ordinal);
        foreach (var pod in results.SelectMany(r => r.Pods))
        {
            if (!pods.TryAdd(pod.Key, pod))
            {
                throw new EnvoyLensException($"pod {pod.Key} is in more than one scan result; give each shard's result once.");
            }
        }

        var shards = results.Where(r => r.Scope.ShardCount is not null).Select(r => (r.Scope.ShardIndex, r.Scope.ShardCount)).ToList();
        if (shards.Count == results.Count && shards.Count > 0)
        {
            var n = shards[0].ShardCount!.Value;
            var missing = Enumerable.Range(0, n).Where(i => !shards.Contains((i, n))).ToList();
            if (shards.Any(s => s.ShardCount != n))
            {
                throw new EnvoyLensException("the scan results come from different shard counts; merge the shards of one scan.");
            }

            if (missing.Count > 0)
            {
                throw new EnvoyLensException($"shard {string.Join(", ", missing.Select(i => i.ToString(CultureInfo.InvariantCulture) + "/" + n.ToString(CultureInfo.InvariantCulture)))} is missing; merge every shard's result.");
            }
        }

        return new ScanResult(
            first.Scope with { ShardIndex = null, ShardCount = null },
            results.Max(r => r.At),
            pods.Values.ToList(),
            results.Sum(r => r.Planned),
            results.Sum(r => r.WithoutProxy))
        {
            Interrupted = results.Any(r => r.Interrupted),
        };
    }
}
