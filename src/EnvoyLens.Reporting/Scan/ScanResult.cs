using EnvoyLens.Core;

namespace EnvoyLens.Reporting.Scan;

/// <summary>One finding of one pod, as much of it as a scan keeps (the capture itself is dropped after analysis).</summary>
/// <param name="Resource">How the finding names its resource (<c>Secret default</c>), null when it names none.</param>
public sealed record ScanFinding(string RuleId, Severity Severity, string? Resource, string Pointer, string Message);

/// <summary>What a pod's STATE column can say besides the proxy's own <c>/server_info</c> state (<c>LIVE</c>, <c>INITIALIZING</c>, ...).</summary>
public static class ScanStates
{
    /// <summary>The pod is not Running.</summary>
    public const string NotRunning = "not running";

    /// <summary>The pod asked for a proxy but has no proxy container.</summary>
    public const string NoSidecar = "no sidecar";

    /// <summary>The proxy answered but the pod's Ready condition is false.</summary>
    public const string NotReady = "not ready";

    /// <summary>The port-forward was refused by the API server (RBAC).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The admin port could not be reached or did not answer.</summary>
    public const string Unreachable = "unreachable";

    /// <summary>Reading the pod took longer than <c>--timeout-per-pod</c>.</summary>
    public const string Timeout = "timeout";

    /// <summary>The proxy answered with something that could not be read.</summary>
    public const string Unreadable = "unreadable";
}

/// <summary>
/// One row of a scan: a pod with a proxy (or one that asked for one), and either what its analysis found or the one
/// sentence saying why it could not be read.
/// </summary>
public sealed record ScanPod(string Namespace, string Name)
{
    /// <summary><c>NAMESPACE/NAME</c>.</summary>
    public string Key => Namespace + "/" + Name;

    /// <summary>The owning workload (<c>Deployment/reviews-v1</c>), null for a bare pod.</summary>
    public string? Workload { get; init; }

    /// <summary>The proxy's kind (<c>istio</c>, <c>envoy</c>, <c>consul</c>, ...), null without a proxy container.</summary>
    public string? ProxyKind { get; init; }

    /// <summary>The proxy container's name.</summary>
    public string? Container { get; init; }

    /// <summary>The proxy's version: Envoy's from <c>/server_info</c> when it was read, else the image tag.</summary>
    public string? Version { get; init; }

    /// <summary>The proxy's state (<c>/server_info</c>) or one of <see cref="ScanStates"/>.</summary>
    public required string State { get; init; }

    /// <summary>Why the pod could not be read (one sentence); null when it was.</summary>
    public string? Reason { get; init; }

    /// <summary>Findings in report order (most severe first).</summary>
    public IReadOnlyList<ScanFinding> Findings { get; init; } = [];

    /// <summary>The earliest <c>notAfter</c> of the certificates the proxy presents.</summary>
    public DateTimeOffset? SoonestCertExpiry { get; init; }

    /// <summary>The trusted CA certificates, as <c>SUBJECT sha256:FINGERPRINT</c>, sorted.</summary>
    public IReadOnlyList<string> TrustRoots { get; init; } = [];

    /// <summary>A hash of the semantically normalized listeners, routes and clusters: equal for replicas with equal config.</summary>
    public string? ConfigFingerprint { get; init; }

    /// <summary>The redacted bundle the capture was kept in (<c>--bundles</c>), null when none was written.</summary>
    public string? Bundle { get; init; }

    /// <summary>True when the proxy was read and analysed.</summary>
    public bool WasRead => Reason is null;

    /// <summary>True when the pod counts as failing whatever the findings: it has or wants a proxy that could not be read.</summary>
    public bool Failed => Reason is not null && State != ScanStates.NotRunning;

    public int Count(Severity severity) => Findings.Count(f => f.Severity == severity);
}

/// <summary>What was scanned: a namespace or all, a label selector, and the shard.</summary>
/// <param name="Namespace">Null for all namespaces.</param>
public sealed record ScanScope(string? Namespace, string? Selector, int? ShardIndex = null, int? ShardCount = null);

/// <summary>
/// The result of <c>envoylens scan</c> or <c>scan merge</c>: one row per pod sorted by namespace and name, the count of
/// pods skipped for having no proxy, and whether the scan was interrupted before reading <see cref="Planned"/> pods.
/// The mesh-wide findings are a function of the rows (<see cref="MeshAnalysis"/>), so merged shards give the same.
/// </summary>
/// <param name="At">The instant certificates and findings were judged at.</param>
/// <param name="Planned">How many rows the scan set out to produce.</param>
/// <param name="WithoutProxy">Pods listed that have no proxy container and asked for none.</param>
public sealed record ScanResult(ScanScope Scope, DateTimeOffset At, IReadOnlyList<ScanPod> Pods, int Planned, int WithoutProxy)
{
    /// <summary>True when Ctrl-C stopped the scan before every planned pod was read.</summary>
    public bool Interrupted { get; init; }

    /// <summary>Pods whose proxy could not be read (see <see cref="ScanPod.Failed"/>).</summary>
    public int FailedCount => Pods.Count(p => p.Failed);

    public int Count(Severity severity) => Pods.Sum(p => p.Count(severity));

    /// <summary>True when a pod failed or has a finding at or above <paramref name="threshold"/>.</summary>
    public bool FailsAt(Severity threshold) => Pods.Any(p => p.Failed || p.Findings.Any(f => f.Severity >= threshold));
}

/// <summary>One mesh-wide observation across pods.</summary>
/// <param name="Kind"><c>rule</c>, <c>version-skew</c>, <c>trust-roots</c> or <c>replica-config</c>.</param>
/// <param name="Subject">The rule id, proxy kind, or workload it is about.</param>
/// <param name="Pods">The pods it names (<c>NAMESPACE/NAME</c>): every failing pod for a rule, the odd ones out otherwise.</param>
public sealed record MeshFinding(string Kind, string Subject, string Message, IReadOnlyList<string> Pods);
