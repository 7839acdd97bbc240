using EnvoyLens.Core;

namespace EnvoyLens.Model;

/// <summary>
/// One proxy's decoded, normalized state: immutable, indexed by name. Built by decoding; read by rules,
/// views, certificate checks and diff. A dynamic resource may appear more than once (active and warming):
/// the name indexes return the active one when there is one.
/// </summary>
public sealed class EnvoySnapshot
{
    private readonly Dictionary<string, Listener> _listeners;
    private readonly Dictionary<string, Cluster> _clusters;
    private readonly Dictionary<string, RouteConfig> _routeConfigs;
    private readonly Dictionary<string, Secret> _secrets;
    private readonly Dictionary<string, EcdsConfig> _ecds;
    private readonly Dictionary<string, ClusterLoadAssignment> _loadAssignments;
    private readonly Dictionary<string, ClusterStatus> _clusterStatuses;

    public EnvoySnapshot(
        string origin,
        IReadOnlyList<string> sources,
        BootstrapInfo? bootstrap,
        ServerInfo? serverInfo,
        IReadOnlyList<Listener> listeners,
        IReadOnlyList<RouteConfig> routeConfigs,
        IReadOnlyList<Cluster> clusters,
        IReadOnlyList<ClusterLoadAssignment> loadAssignments,
        IReadOnlyList<Secret> secrets,
        IReadOnlyList<EcdsConfig> ecds,
        IReadOnlyList<ClusterStatus> clusterStatuses,
        IReadOnlyList<ListenerStatus> listenerStatuses,
        IReadOnlyList<AdminCertificateSet> adminCertificates,
        IReadOnlyList<InitTarget> initTargets,
        StatsSnapshot? stats,
        IReadOnlyList<RawPayload> rawPayloads,
        IReadOnlyList<DecodeDiagnostic> diagnostics,
        DocumentSummary? configDump = null)
    {
        Origin = origin;
        Sources = sources;
        Bootstrap = bootstrap;
        ServerInfo = serverInfo;
        Listeners = listeners;
        RouteConfigs = routeConfigs;
        Clusters = clusters;
        LoadAssignments = loadAssignments;
        Secrets = secrets;
        Ecds = ecds;
        ClusterStatuses = clusterStatuses;
        ListenerStatuses = listenerStatuses;
        AdminCertificates = adminCertificates;
        InitTargets = initTargets;
        Stats = stats;
        RawPayloads = rawPayloads;
        Diagnostics = diagnostics;
        ConfigDump = configDump;

        _listeners = Index(listeners, l => l.Name, l => l.Meta.State);
        _clusters = Index(clusters, c => c.Name, c => c.Meta.State);
        _routeConfigs = Index(routeConfigs, r => r.Name, r => r.Meta.State);
        _secrets = Index(secrets, s => s.Name, s => s.Meta.State);
        _ecds = Index(ecds, e => e.Name, e => e.Meta.State);
        _loadAssignments = Index(loadAssignments, a => a.ClusterName, a => a.Meta.State);
        _clusterStatuses = clusterStatuses.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>What was read: a file path, bundle path or target.</summary>
    public string Origin { get; }

    /// <summary>The documents that contributed (file names or endpoints), in reading order.</summary>
    public IReadOnlyList<string> Sources { get; }

    public BootstrapInfo? Bootstrap { get; }

    public ServerInfo? ServerInfo { get; }

    public NodeInfo? Node => Bootstrap?.Node ?? ServerInfo?.Node;

    public IReadOnlyList<Listener> Listeners { get; }

    public IReadOnlyList<RouteConfig> RouteConfigs { get; }

    public IReadOnlyList<Cluster> Clusters { get; }

    public IReadOnlyList<ClusterLoadAssignment> LoadAssignments { get; }

    public IReadOnlyList<Secret> Secrets { get; }

    public IReadOnlyList<EcdsConfig> Ecds { get; }

    /// <summary>From <c>/clusters?format=json</c>, when read.</summary>
    public IReadOnlyList<ClusterStatus> ClusterStatuses { get; }

    public IReadOnlyList<ListenerStatus> ListenerStatuses { get; }

    public IReadOnlyList<AdminCertificateSet> AdminCertificates { get; }

    public IReadOnlyList<InitTarget> InitTargets { get; }

    public StatsSnapshot? Stats { get; }

    /// <summary>Everything that could not be typed, as raw JSON with its place.</summary>
    public IReadOnlyList<RawPayload> RawPayloads { get; }

    public IReadOnlyList<DecodeDiagnostic> Diagnostics { get; }

    /// <summary>Counts of what the config dump held, per section; null when no config dump was read.</summary>
    public DocumentSummary? ConfigDump { get; }

    /// <summary>When the capture was taken (a bundle manifest's or a live read's time); null for a plain file, which does not say.</summary>
    public DateTimeOffset? CapturedAt { get; init; }

    /// <summary>The control plane's view of this proxy (a bundle's <c>control_plane.json</c>); null when the capture has none.</summary>
    public ControlPlaneView? ControlPlane { get; init; }

    /// <summary>The kind of proxy the capture was read from: Envoy unless linkerd2-proxy's <c>/metrics</c> was read.</summary>
    public ProxyKind Proxy { get; init; }

    /// <summary>What a linkerd2-proxy's <c>/metrics</c> said (with an earlier sample when two were taken); null for an Envoy.</summary>
    public LinkerdProxy? Linkerd { get; init; }

    /// <summary>Every xDS resource of the config dump: listeners, clusters, route configurations, secrets, ECDS configs and load assignments, in that order.</summary>
    public IEnumerable<ResourceMeta> AllResources =>
        Listeners.Select(l => l.Meta).Concat(Clusters.Select(c => c.Meta)).Concat(RouteConfigs.Select(r => r.Meta))
            .Concat(Secrets.Select(x => x.Meta)).Concat(Ecds.Select(e => e.Meta)).Concat(LoadAssignments.Select(a => a.Meta));

    /// <summary>
    /// True when the config dump has <paramref name="section"/> (even an empty one): a reference into a section the
    /// dump does not hold cannot be judged missing.
    /// </summary>
    public bool HasSection(ConfigSection section) =>
        ConfigDump?.Sections.Any(s => s.TypeUrl.EndsWith(ConfigSections.TypeNameOf(section), StringComparison.Ordinal)) == true;

    /// <summary>The same snapshot with another stats sample (e.g. one that carries an earlier sample); nothing else is copied.</summary>
    public EnvoySnapshot WithStats(StatsSnapshot? stats) =>
        new(Origin, Sources, Bootstrap, ServerInfo, Listeners, RouteConfigs, Clusters, LoadAssignments, Secrets, Ecds, ClusterStatuses,
            ListenerStatuses, AdminCertificates, InitTargets, stats, RawPayloads, Diagnostics, ConfigDump) { CapturedAt = CapturedAt, ControlPlane = ControlPlane, Proxy = Proxy, Linkerd = Linkerd };

    public Listener? FindListener(string name) => _listeners.GetValueOrDefault(name);

    public Cluster? FindCluster(string name) => _clusters.GetValueOrDefault(name);

    public RouteConfig? FindRouteConfig(string name) => _routeConfigs.GetValueOrDefault(name);

    public Secret? FindSecret(string name) => _secrets.GetValueOrDefault(name);

    public EcdsConfig? FindEcds(string name) => _ecds.GetValueOrDefault(name);

    public ClusterLoadAssignment? FindLoadAssignment(string clusterOrServiceName) => _loadAssignments.GetValueOrDefault(clusterOrServiceName);

    public ClusterStatus? FindClusterStatus(string name) => _clusterStatuses.GetValueOrDefault(name);

    /// <summary>Every known endpoint of a cluster: EDS (by EDS service name), inline, and from <c>/clusters</c>.</summary>
    public IEnumerable<Endpoint> EndpointsOf(Cluster cluster)
    {
        var eds = FindLoadAssignment(cluster.EndpointKey)?.Endpoints ?? (IEnumerable<Endpoint>)[];
        var admin = FindClusterStatus(cluster.Name)?.Hosts ?? (IEnumerable<Endpoint>)[];
        return eds.Concat(cluster.InlineEndpoints).Concat(admin);
    }

    private static Dictionary<string, T> Index<T>(IEnumerable<T> items, Func<T, string> key, Func<T, ResourceState> state)
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var k = key(item);
            if (!map.TryGetValue(k, out var existing) || (state(existing) != ResourceState.Active && state(item) == ResourceState.Active))
            {
                map[k] = item;
            }
        }

        return map;
    }
}

/// <summary>What a config dump held: per section, how many resources were typed and how many kept raw.</summary>
public sealed record DocumentSummary(string Source, string Form, IReadOnlyList<SectionSummary> Sections);

/// <summary>One section of a config dump (e.g. <c>envoy.admin.v3.ClustersConfigDump</c>) and its resource counts by kind and state.</summary>
public sealed record SectionSummary(string TypeUrl, JsonPointer Pointer, IReadOnlyDictionary<string, int> Counts, int Typed, int Raw);
