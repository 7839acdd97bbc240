using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EnvoyLens.Admin;
using EnvoyLens.Admin.Bundles;
using EnvoyLens.Admin.Kubernetes;
using EnvoyLens.Admin.Live;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Decoding.Canonical;
using EnvoyLens.Diff;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Scan;
using EnvoyLens.Reporting.Html;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Cli.Services;

/// <summary>Output forms of <c>envoylens scan</c> and <c>scan merge</c>.</summary>
internal enum ScanFormat
{
    Table,
    Json,
    Sarif,
    Html,
}

/// <summary>Where the cluster is and how it is reached: a kubeconfig and context, or the in-cluster service account.</summary>
internal sealed record ClusterAccess(string? Kubeconfig, string? Context, bool InCluster);

/// <summary>
/// What <c>envoylens scan</c> was asked for. <paramref name="Namespace"/> null with <paramref name="AllNamespaces"/>
/// false means the context's namespace.
/// </summary>
internal sealed record ScanRequest(
    ClusterAccess Access,
    string? Namespace,
    bool AllNamespaces,
    string? Selector,
    int Concurrency,
    TimeSpan TimeoutPerPod,
    double Qps,
    Severity? FailOn,
    string? Bundles,
    ScanFormat Format,
    Shard? Shard);

/// <summary>
/// <c>envoylens scan</c>: lists the pods with a proxy, reads each proxy's admin port through a port-forward (at most
/// <c>--concurrency</c> at once, every API call under a client-side QPS limit), decodes and analyses it with every
/// rule and keeps only its row (the capture is dropped, or written as a redacted bundle with <c>--bundles</c>), then
/// prints the rows and the mesh-wide findings. A pod that cannot be read is a row with its reason; only a scan that
/// cannot list pods at all is an error (exit 2).
/// </summary>
internal sealed class ScanService(TimeProvider clock, Notices notices)
{
    /// <summary>What a scan reads of each proxy: what the rules read, with <c>/stats</c> limited to stats that were ever used.</summary>
    internal static CapturePlan Plan { get; } = new(
    [
        CaptureItem.For(AdminEndpoint.ServerInfo),
        CaptureItem.For(AdminEndpoint.ConfigDump, ("include_eds", null)),
        CaptureItem.For(AdminEndpoint.Clusters, ("format", "json")),
        CaptureItem.For(AdminEndpoint.Listeners, ("format", "json")),
        CaptureItem.For(AdminEndpoint.Certs),
        CaptureItem.For(AdminEndpoint.Stats, ("format", "json"), ("usedonly", null)),
        CaptureItem.For(AdminEndpoint.InitDump),
    ]);

    /// <summary>Requests per second toward the API server when <c>--qps</c> is not given.</summary>
    internal const double DefaultQps = 20;

    public int Run(ScanRequest request, TextWriter output)
    {
        if (request.Concurrency < 1)
        {
            throw new EnvoyLensException($"--concurrency {request.Concurrency.ToString(CultureInfo.InvariantCulture)} must be 1 or more.");
        }

        if (request.TimeoutPerPod <= TimeSpan.Zero)
        {
            throw new EnvoyLensException("--timeout-per-pod must be longer than zero.");
        }

        if (request.AllNamespaces && request.Namespace is not null)
        {
            throw new EnvoyLensException("give -n NAMESPACE or -A (all namespaces), not both.");
        }

        if (request.Bundles is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

#pragma warning disable RS0030 // The API rate limit runs on real time even when --at fixes the judging instant.
        var limiter = new ApiRateLimiter(request.Qps, Math.Max(1, (int)Math.Ceiling(request.Qps)), TimeProvider.System);
#pragma warning restore RS0030
        using var discovery = request.Access.InCluster
            ? PodDiscovery.InCluster(limiter)
            : PodDiscovery.FromKubeconfig(request.Access.Kubeconfig, request.Access.Context, limiter);
        var ns = request.AllNamespaces ? null : request.Namespace ?? discovery.DefaultNamespace;

        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        IReadOnlyList<DiscoveredPod> pods;
        int withoutProxy;
        try
        {
            using var listing = CancellationTokenSource.CreateLinkedTokenSource(interrupt.Token);
            listing.CancelAfter(TimeSpan.FromMinutes(2));
            (pods, withoutProxy) = discovery.ListAsync(new PodQuery(ns, request.Selector), request.Shard is { } s ? s.Contains : null, listing.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!interrupt.IsCancellationRequested)
        {
            throw new EnvoyLensException($"the Kubernetes API at {discovery.Host} did not list the pods within 2 minutes.");
        }
        catch (OperationCanceledException)
        {
            throw new SnapshotInterruptedException("scan interrupted while listing pods; nothing was scanned.");
        }

        var rows = new ScanPod?[pods.Count];
        var progress = new Progress(notices.Progress, pods.Count);
        RunAll(pods, rows, request, discovery, progress, interrupt.Token).GetAwaiter().GetResult();
        progress.Clear();

        var scope = new ScanScope(ns, request.Selector, request.Shard?.Index, request.Shard?.Count);
        var result = new ScanResult(scope, clock.GetUtcNow(), rows.OfType<ScanPod>().ToList(), pods.Count, withoutProxy)
        {
            Interrupted = interrupt.IsCancellationRequested && rows.Any(r => r is null),
        };
        output.Write(Render(result, request.Format, request.FailOn));
        if (result.Interrupted)
        {
            notices.Notice($"envoylens: scan interrupted; {result.Pods.Count.ToString(CultureInfo.InvariantCulture)} of {pods.Count.ToString(CultureInfo.InvariantCulture)} pods were scanned.");
            return SnapshotService.Interrupted;
        }

        return ExitCode(result, request.FailOn);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupt.Cancel();
        }
    }

    /// <summary>The exit code of a result: 1 when a pod failed or has a finding at or above <paramref name="failOn"/>.</summary>
    internal static int ExitCode(ScanResult result, Severity? failOn) =>
        failOn is { } threshold && result.FailsAt(threshold) ? ExitCodes.Findings : ExitCodes.Ok;

    internal static string Render(ScanResult result, ScanFormat format, Severity? failOn) => format switch
    {
        ScanFormat.Json => ScanJson.Render(result),
        ScanFormat.Sarif => ScanSarifRenderer.Render(result, RulePacks.Catalog.Descriptors, ToolInfo.Version),
        ScanFormat.Html => ScanHtmlRenderer.Render(HtmlHeader(result, failOn), result),
        _ => ScanTableRenderer.Render(result),
    };

    private static ReportHeader HtmlHeader(ScanResult result, Severity? failOn)
    {
        var exit = ExitCode(result, failOn);
        var failing = result.Pods.Count(p => p.Failed || (failOn is { } t && p.Findings.Any(f => f.Severity >= t)));
        var verdict = (failing == 0 ? "no pod fails" : failing.ToString(CultureInfo.InvariantCulture) + (failing == 1 ? " pod fails" : " pods fail")) +
            " (--fail-on " + (failOn?.ToString().ToLowerInvariant() ?? "never") + "): exit " + exit.ToString(CultureInfo.InvariantCulture);
        var scope = result.Scope.Namespace is null ? "all namespaces" : "namespace " + result.Scope.Namespace;
        return new ReportHeader("scan", scope, null, null, null, null, result.At, verdict);
    }

    private async Task RunAll(IReadOnlyList<DiscoveredPod> pods, ScanPod?[] rows, ScanRequest request, PodDiscovery discovery, Progress progress, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(request.Concurrency, request.Concurrency);
        var running = new List<Task>();
        for (var i = 0; i < pods.Count; i++)
        {
            try
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var index = i;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    var row = await ScanPodAsync(pods[index], request, discovery, cancellationToken).ConfigureAwait(false);
                    if (row is not null)
                    {
                        rows[index] = row;
                        progress.Done(row.Failed);
                    }
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <summary>One pod's row; null when the scan was interrupted before it was read.</summary>
    private async Task<ScanPod?> ScanPodAsync(DiscoveredPod pod, ScanRequest request, PodDiscovery discovery, CancellationToken cancellationToken)
    {
        var row = new ScanPod(pod.Namespace, pod.Name)
        {
            Workload = pod.Workload,
            ProxyKind = pod.Proxy?.Kind,
            Container = pod.Proxy?.Container,
            Version = pod.ImageTag,
            State = ScanStates.Unreachable,
        };
        var display = $"pod {pod.Name}.{pod.Namespace}";
        if (pod.Proxy is null)
        {
            return row with
            {
                State = ScanStates.NoSidecar,
                Reason = $"{display} asks for a proxy but has no proxy container (looked for {string.Join(", ", ProxyContainers.Known.Select(k => k.Container))}).",
            };
        }

        if (pod.Phase != "Running")
        {
            return row with { State = ScanStates.NotRunning, Reason = $"{display} is {pod.Phase}, not Running." };
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.TimeoutPerPod);
        RawSnapshot raw;
        try
        {
            using var client = new AdminClient(discovery.Target(pod), new AdminClientOptions { Timeout = request.TimeoutPerPod, Clock = clock });
            raw = await LiveCapture.ReadAsync(client, pod.Proxy.Proxy == ProxyKind.Linkerd2Proxy ? CapturePlan.Linkerd : Plan, clock, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return row with { State = ScanStates.Timeout, Reason = TimedOut(display, request.TimeoutPerPod) };
        }
        catch (EnvoyLensException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted mid-read: the pod is not a row.
            return null;
        }
        catch (EnvoyLensException e)
        {
            var state = e.Message.Contains("forbidden", StringComparison.OrdinalIgnoreCase) ? ScanStates.Forbidden
                : deadline.IsCancellationRequested || e.Message.Contains("no answer within", StringComparison.Ordinal) || e.Message.Contains("did not answer within", StringComparison.Ordinal) ? ScanStates.Timeout
                : ScanStates.Unreachable;
            return row with { State = state, Reason = state == ScanStates.Timeout ? TimedOut(display, request.TimeoutPerPod) : OneSentence(e.Message) };
        }

        try
        {
            return Analyze(row, pod, raw, request);
        }
        catch (EnvoyLensException e)
        {
            return row with { State = ScanStates.Unreadable, Reason = OneSentence(e.Message) };
        }
    }

    /// <summary>Decodes, analyses and drops one capture, keeping its row (and its redacted bundle with <c>--bundles</c>).</summary>
    private ScanPod Analyze(ScanPod row, DiscoveredPod pod, RawSnapshot raw, ScanRequest request)
    {
        var snapshot = SnapshotDecoder.Decode(raw, new DecodeOptions());
        SnapshotLoader.ThrowIfUnreadable(snapshot);
        var context = new RuleContext(snapshot, clock, RuleContext.InputsOf(raw, snapshot));
        var report = RulePacks.Catalog.Runner().Run(context, AnalysisOptions.Default);
        var inventory = CertificateInventory.From(snapshot);
        var expiries = inventory.Chains.SelectMany(g => g.Certificates).Select(c => c.NotAfter).ToList();
        if (snapshot.Linkerd?.Identity.CertificateExpiry is { } identityExpiry)
        {
            // linkerd2-proxy reports its identity certificate's expiry in its metrics.
            expiries.Add(identityExpiry);
        }

        // linkerd2-proxy has no /server_info: a capture read whole means /ready answered, so it is ready.
        var state = snapshot.ServerInfo?.State ?? (snapshot.Proxy == ProxyKind.Linkerd2Proxy ? "ready" : "read");
        if (pod.Ready == false && state is "LIVE" or "ready")
        {
            state = ScanStates.NotReady;
        }

        return row with
        {
            Version = EnvoyVersion(snapshot.ServerInfo?.Version) ?? snapshot.Linkerd?.Version ?? row.Version,
            State = state,
            Findings = report.Findings
                .Select(f => new ScanFinding(f.RuleId, f.Severity, f.Resource?.ToString(), f.Pointer.Value, f.Message))
                .ToList(),
            SoonestCertExpiry = expiries.Count == 0 ? null : expiries.Min(),
            TrustRoots = inventory.TrustedCas
                .Select(c => c.Subject + " sha256:" + c.Sha256Fingerprint.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant()[..16])
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList(),
            ConfigFingerprint = ConfigFingerprint(raw),
            Bundle = request.Bundles is { } dir ? WriteBundle(dir, pod, raw) : null,
        };
    }

    /// <summary>
    /// A hash of the listeners, route configurations and clusters as the semantic diff normalizes them (identity-keyed
    /// lists sorted, versions and update times dropped); equal for replicas whose config <c>diff</c> finds equal.
    /// Bootstrap, endpoints and secrets are left out: they differ between replicas by design.
    /// </summary>
    internal static string? ConfigFingerprint(RawSnapshot raw)
    {
        if (raw.Get(AdminEndpoint.ConfigDump) is null)
        {
            return null;
        }

        var canonical = CanonicalReader.Read(raw, new DecodeOptions());
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var r in canonical.Resources
            .Where(r => r.Kind is ResourceKind.Listener or ResourceKind.RouteConfig or ResourceKind.Cluster)
            .OrderBy(r => r.Kind).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            var tree = SnapshotDiffer.Normalized(canonical, r.Kind, r.Name);
            Strip(tree);
            sha.AppendData(Encoding.UTF8.GetBytes($"{r.Kind} {r.Name} {tree?.ToJsonString()}\n"));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];

        static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var key in o.Select(p => p.Key).Where(k => k is "version_info" or "last_updated" or "nonce" or "uptime").ToList())
                    {
                        o.Remove(key);
                    }

                    foreach (var p in o)
                    {
                        Strip(p.Value);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Strip(item);
                    }

                    break;
            }
        }
    }

    /// <summary>Writes the capture as a redacted bundle <c>DIR/NAMESPACE.POD.tar.gz</c> and returns its path.</summary>
    private string WriteBundle(string dir, DiscoveredPod pod, RawSnapshot raw)
    {
        var output = Path.Combine(dir, $"{pod.Namespace}.{pod.Name}.tar.gz");
        if (File.Exists(output))
        {
            File.Delete(output);
        }

        var staging = BundleWriter.CreateStaging(output);
        try
        {
            var redactor = new StagingRedactor(redact: true);
            var files = new List<StagedFile>();
            foreach (var (item, document) in Plan.Items.Zip(raw.Documents))
            {
                redactor.Write(staging, item.FileName, document.Content, document.Source);
                files.Add(new StagedFile(BundleManifest.EndpointName(item.Endpoint), item.FileName, item.PathAndQuery, document.CapturedAt ?? raw.CapturedAt)
                {
                    Redactions = redactor.RedactionsOf(item.FileName),
                });
            }

            var target = new BundleTarget("pod", $"{pod.Name}.{pod.Namespace}", pod.Proxy?.Container, pod.Proxy?.AdminPort, null);
            var manifest = BundleWriter.Complete(staging, files, target, raw.CapturedAt ?? clock.GetUtcNow(), ToolInfo.NameAndVersion);
            BundleWriter.Publish(staging, manifest, output);
            return output;
        }
        catch
        {
            BundleWriter.Discard(staging);
            throw;
        }
    }

    /// <summary>Envoy's version from <c>/server_info</c>'s <c>HASH/1.32.3/Clean/RELEASE/BoringSSL</c>.</summary>
    internal static string? EnvoyVersion(string? version)
    {
        if (version is null)
        {
            return null;
        }

        var parts = version.Split('/');
        return parts.Length > 1 && parts[1].Length > 0 ? parts[1] : version;
    }

    private static string TimedOut(string display, TimeSpan timeout) =>
        $"{display} did not answer within {TimeText.SecondsValue(timeout)} s (--timeout-per-pod).";

    private static string OneSentence(string message)
    {
        var text = message.Trim().TrimEnd('.');
        return text.EndsWith('?') ? text : text + ".";
    }

    /// <summary>The progress line (pods done / total, failures, elapsed), drawn only on a terminal.</summary>
    private sealed class Progress(TextWriter? writer, int total)
    {
        private readonly Lock _gate = new();
        private readonly long _start = Stopwatch.GetTimestamp();
        private int _done;
        private int _failed;

        public void Done(bool failed)
        {
            if (writer is null)
            {
                return;
            }

            lock (_gate)
            {
                _done++;
                _failed += failed ? 1 : 0;
                var elapsed = Stopwatch.GetElapsedTime(_start).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
                writer.Write($"\rscan: {_done.ToString(CultureInfo.InvariantCulture)}/{total.ToString(CultureInfo.InvariantCulture)} pods, {_failed.ToString(CultureInfo.InvariantCulture)} failed, {elapsed} s\u001b[K");
            }
        }

        public void Clear()
        {
            if (writer is not null && _done > 0)
            {
                writer.Write("\r\u001b[K");
            }
        }
    }
}

/// <summary>
/// <c>--shard I/N</c>: this process scans the pods whose stable hash of <c>NAMESPACE/NAME</c> (FNV-1a, 64 bit, over
/// UTF-8) is I modulo N, so N processes cover every pod exactly once.
/// </summary>
internal sealed record Shard(int Index, int Count)
{
    /// <summary>The Kubernetes Indexed Job variable giving this pod's index.</summary>
    public const string IndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>The variable giving the number of shards (the Job's completions; deploy/scan-job.yaml sets it).</summary>
    public const string CountVariable = "ENVOYLENS_SHARD_COUNT";

    public bool Contains(string key) => (int)(Hash(key) % (ulong)Count) == Index;

    /// <summary>FNV-1a 64 over the UTF-8 bytes: the same on every machine and every run.</summary>
    public static ulong Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }

        return hash;
    }

    /// <summary><c>I/N</c> with 0 ≤ I &lt; N.</summary>
    public static Shard Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0
            && int.TryParse(text[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n > 0 && i < n)
        {
            return new Shard(i, n);
        }

        throw new EnvoyLensException($"--shard '{text}' must be I/N with 0 <= I < N, e.g. 0/4.");
    }

    /// <summary>
    /// The shard <c>--shard</c> gives, else <see cref="IndexVariable"/> with <see cref="CountVariable"/> when both are set
    /// (as in an Indexed Job), else none.
    /// </summary>
    public static Shard? Resolve(string? option, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (option is not null)
        {
            return Parse(option);
        }

        var index = environment(IndexVariable);
        var count = environment(CountVariable);
        if (string.IsNullOrEmpty(index))
        {
            return null;
        }

        if (string.IsNullOrEmpty(count))
        {
            throw new EnvoyLensException($"{IndexVariable} is set ({index}) but {CountVariable} is not; set it to the Job's completions, or give --shard I/N.");
        }

        return Parse(index + "/" + count);
    }
}
