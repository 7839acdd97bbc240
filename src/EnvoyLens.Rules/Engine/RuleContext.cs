using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Rules.Engine;

/// <summary>What a rule sees: the decoded snapshot, which admin inputs were captured, and the clock.</summary>
public sealed class RuleContext
{
    private readonly EnvoySnapshot _snapshot;

    // Rules run in parallel over one context, so the inputs read are recorded atomically.
    private int _inputsRead;

    public RuleContext(EnvoySnapshot snapshot, TimeProvider clock, RuleInputs? available = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(clock);
        _snapshot = snapshot;
        Clock = clock;
        Available = available ?? Infer(snapshot);
    }

    /// <summary>
    /// The decoded snapshot, read as the config dump's model (listeners, routes, clusters, secrets, bootstrap, ...).
    /// The other admin inputs are read through <see cref="Stats"/>, <see cref="ServerInfo"/>, <see cref="Node"/>,
    /// <see cref="ClusterStatuses"/>, <see cref="EndpointsOf"/>, <see cref="InitTargets"/> and
    /// <see cref="AdminCertificates"/>, so <see cref="InputsRead"/> can tell which inputs a rule used.
    /// </summary>
    public EnvoySnapshot Snapshot => Reading(RuleInputs.ConfigDump, _snapshot);

    /// <summary>
    /// Every input read through this context so far. A test runs each rule on a fresh context and checks that what
    /// it read is among the inputs its descriptor declares (required or optional).
    /// </summary>
    public RuleInputs InputsRead => (RuleInputs)Volatile.Read(ref _inputsRead);

    /// <summary>The <c>/stats</c> sample (with an earlier one when two were taken), or null.</summary>
    public StatsSnapshot? Stats => Reading(RuleInputs.Stats, _snapshot.Stats);

    /// <summary><c>/server_info</c>, or null.</summary>
    public ServerInfo? ServerInfo => Reading(RuleInputs.ServerInfo, _snapshot.ServerInfo);

    /// <summary>The node: the bootstrap's (config dump), else <c>/server_info</c>'s.</summary>
    public NodeInfo? Node => Reading(RuleInputs.ConfigDump, _snapshot.Bootstrap)?.Node ?? Reading(RuleInputs.ServerInfo, _snapshot.ServerInfo)?.Node;

    /// <summary>The clusters of <c>/clusters</c> with their hosts.</summary>
    public IReadOnlyList<ClusterStatus> ClusterStatuses => Reading(RuleInputs.Clusters, _snapshot.ClusterStatuses);

    /// <summary>Every known endpoint of a cluster: EDS and inline (config dump) and <c>/clusters</c>.</summary>
    public IEnumerable<Endpoint> EndpointsOf(Cluster cluster) => Reading(RuleInputs.ConfigDump | RuleInputs.Clusters, _snapshot).EndpointsOf(cluster);

    /// <summary>The init managers of <c>/init_dump</c> and the targets they wait for.</summary>
    public IReadOnlyList<InitTarget> InitTargets => Reading(RuleInputs.InitDump, _snapshot.InitTargets);

    /// <summary>The certificates of <c>/certs</c>.</summary>
    public IReadOnlyList<AdminCertificateSet> AdminCertificates => Reading(RuleInputs.Certs, _snapshot.AdminCertificates);

    /// <summary>The control plane's view of the proxy (<c>control_plane.json</c>), or null.</summary>
    public ControlPlaneView? ControlPlane => Reading(RuleInputs.ControlPlane, _snapshot.ControlPlane);

    /// <summary>linkerd2-proxy's <c>/metrics</c> (with an earlier sample when two were taken), or null.</summary>
    public LinkerdProxy? Linkerd => Reading(RuleInputs.LinkerdMetrics, _snapshot.Linkerd);

    /// <summary>The kind of proxy the capture is of (not an input of its own): rules of the other kind do not apply.</summary>
    public ProxyKind Proxy => _snapshot.Proxy;

    /// <summary>When the capture was taken, if known (not an input of its own).</summary>
    public DateTimeOffset? CapturedAt => _snapshot.CapturedAt;

    /// <summary>The names of the documents the snapshot was decoded from (not an input of its own).</summary>
    public IReadOnlyList<string> Sources => _snapshot.Sources;

    private T Reading<T>(RuleInputs inputs, T value)
    {
        Interlocked.Or(ref _inputsRead, (int)inputs);
        return value;
    }

    /// <summary>The instant rules judge time by (warming for how long, certificate expiry, ...).</summary>
    public TimeProvider Clock { get; }

    /// <summary>The admin inputs that were captured and decoded.</summary>
    public RuleInputs Available { get; }

    /// <summary>The name of the config dump document, which finding pointers point into.</summary>
    public string? ConfigSource => _snapshot.ConfigDump?.Source;

    public bool Has(RuleInputs inputs) => (Available & inputs) == inputs;

    /// <summary>
    /// The inputs a snapshot holds, judged from the documents of <paramref name="raw"/> that decoded. Prefer this to
    /// <see cref="Infer"/>: an empty <c>/init_dump</c> is still a captured one.
    /// </summary>
    public static RuleInputs InputsOf(RawSnapshot raw, EnvoySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(snapshot);
        var decoded = snapshot.Sources.ToHashSet(StringComparer.Ordinal);
        var inputs = RuleInputs.None;
        foreach (var document in raw.Documents.Where(d => decoded.Contains(d.Source)))
        {
            inputs |= AdminEndpoints.Of(document.Endpoint).Input;
        }

        return inputs | Infer(snapshot);
    }

    /// <summary>The inputs visible in the decoded snapshot alone (an empty <c>/init_dump</c> cannot be told from a missing one).</summary>
    public static RuleInputs Infer(EnvoySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var inputs = RuleInputs.None;
        if (snapshot.ConfigDump is not null)
        {
            inputs |= RuleInputs.ConfigDump;
        }

        if (snapshot.Stats is not null)
        {
            inputs |= RuleInputs.Stats;
        }

        if (snapshot.ServerInfo is not null)
        {
            inputs |= RuleInputs.ServerInfo;
        }

        if (snapshot.ClusterStatuses.Count > 0)
        {
            inputs |= RuleInputs.Clusters;
        }

        if (snapshot.InitTargets.Count > 0)
        {
            inputs |= RuleInputs.InitDump;
        }

        if (snapshot.AdminCertificates.Count > 0)
        {
            inputs |= RuleInputs.Certs;
        }

        if (snapshot.ListenerStatuses.Count > 0)
        {
            inputs |= RuleInputs.Listeners;
        }

        if (snapshot.ControlPlane is not null)
        {
            inputs |= RuleInputs.ControlPlane;
        }

        if (snapshot.Linkerd is not null)
        {
            inputs |= RuleInputs.LinkerdMetrics;
        }

        return inputs;
    }

    /// <summary>
    /// A finding of <paramref name="descriptor"/> at <paramref name="resource"/> / <paramref name="pointer"/>, its message
    /// rendered from <paramref name="arguments"/>. <paramref name="source"/> defaults to the config dump.
    /// </summary>
    public Finding Report(
        RuleDescriptor descriptor,
        ResourceRef? resource,
        JsonPointer pointer,
        IReadOnlyDictionary<string, string> arguments,
        IReadOnlyDictionary<string, string>? evidence = null,
        string? source = null)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return new Finding(descriptor.Id, descriptor.DefaultSeverity, resource, pointer, descriptor.Render(arguments), descriptor.Remediation, arguments, evidence ?? Args.None)
        {
            Source = source ?? ConfigSource,
        };
    }
}

/// <summary>Builds argument and evidence dictionaries: <c>Args.Of(("cluster", name), ("route", route))</c>.</summary>
public static class Args
{
    public static IReadOnlyDictionary<string, string> None { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> Of(params (string Name, string Value)[] values)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            map[name] = value;
        }

        return map;
    }
}
