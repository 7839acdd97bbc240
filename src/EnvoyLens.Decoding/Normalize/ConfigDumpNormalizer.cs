using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.ProtoJson;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using AdminV3 = Envoy.Admin.V3;
using BootstrapV3 = Envoy.Config.Bootstrap.V3;
using ClusterV3 = Envoy.Config.Cluster.V3;
using CoreV3 = Envoy.Config.Core.V3;
using EndpointV3 = Envoy.Config.Endpoint.V3;
using HcmV3 = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using ListenerV3 = Envoy.Config.Listener.V3;
using RouteV3 = Envoy.Config.Route.V3;
using TcpV3 = Envoy.Extensions.Filters.Network.TcpProxy.V3;
using TlsV3 = Envoy.Extensions.TransportSockets.Tls.V3;

namespace EnvoyLens.Decoding.Normalize;

/// <summary>
/// Turns the typed sections of an Envoy <c>/config_dump</c> (the messages of <c>configs</c>: bootstrap, listeners,
/// clusters, routes, scoped routes, secrets, endpoints, ECDS) into the normalized model. One instance per dump:
/// add the sections in document order, then <see cref="Build"/>. Nothing is dropped silently: a resource that cannot
/// be typed is counted raw in its section summary and reported; a mapping failure on one resource is reported and
/// the others go on.
/// </summary>
public sealed class ConfigDumpNormalizer
{
    private readonly NormalizeContext _context;
    private readonly ListenerMapper _listenerMapper;
    private readonly RouteMapper _routeMapper;
    private readonly ClusterMapper _clusterMapper;
    private readonly EndpointMapper _endpointMapper;
    private readonly SecretMapper _secretMapper;
    private readonly BootstrapMapper _bootstrapMapper;

    private readonly List<Listener> _listeners = [];
    private readonly List<RouteConfig> _routeConfigs = [];
    private readonly List<Cluster> _clusters = [];
    private readonly List<ClusterLoadAssignment> _loadAssignments = [];
    private readonly List<Secret> _secrets = [];
    private readonly List<EcdsConfig> _ecds = [];
    private readonly List<SectionSummary> _sections = [];
    private BootstrapInfo? _bootstrap;

    private readonly Kind<ListenerV3.Listener, Listener> _listenerKind;
    private readonly Kind<ClusterV3.Cluster, Cluster> _clusterKind;
    private readonly Kind<RouteV3.RouteConfiguration, RouteConfig> _routeKind;
    private readonly Kind<TlsV3.Secret, Secret> _secretKind;
    private readonly Kind<EndpointV3.ClusterLoadAssignment, ClusterLoadAssignment> _endpointKind;
    private readonly Kind<CoreV3.TypedExtensionConfig, EcdsConfig> _ecdsKind;

    /// <param name="source">The file or endpoint the dump was read from, for diagnostics.</param>
    /// <param name="locate">Where a message was read (see <see cref="TrackedTypes"/>); null answers fall back to pointers computed from the section pointer with snake_case field names.</param>
    /// <param name="report">Receives decode diagnostics.</param>
    /// <param name="options">Optional collaborators.</param>
    public ConfigDumpNormalizer(string source, Func<IMessage, JsonPointer?> locate, Action<DecodeDiagnostic> report, NormalizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(locate);
        ArgumentNullException.ThrowIfNull(report);
        _context = new NormalizeContext(source, locate, report, options?.Unpacked, options?.Resolver);
        var tls = new TlsMapper(_context);
        _routeMapper = new RouteMapper(_context);
        _listenerMapper = new ListenerMapper(_context, tls, _routeMapper);
        _endpointMapper = new EndpointMapper(_context);
        _clusterMapper = new ClusterMapper(_context, tls, _endpointMapper);
        _secretMapper = new SecretMapper(_context);
        _bootstrapMapper = new BootstrapMapper(_context);

        _listenerKind = new(ResourceKind.Listener, l => l.Name, n => new ListenerV3.Listener { Name = n }, _listenerMapper.Map, _listeners);
        _clusterKind = new(ResourceKind.Cluster, c => c.Name, n => new ClusterV3.Cluster { Name = n }, _clusterMapper.Map, _clusters);
        _routeKind = new(ResourceKind.RouteConfig, r => r.Name, n => new RouteV3.RouteConfiguration { Name = n }, _routeMapper.Map, _routeConfigs);
        _secretKind = new(ResourceKind.Secret, s => s.Name, n => new TlsV3.Secret { Name = n }, _secretMapper.Map, _secrets);
        _endpointKind = new(ResourceKind.Endpoint, e => e.ClusterName, n => new EndpointV3.ClusterLoadAssignment { ClusterName = n }, _endpointMapper.Map, _loadAssignments);
        _ecdsKind = new(ResourceKind.Ecds, e => e.Name, n => new CoreV3.TypedExtensionConfig { Name = n }, MapEcds, _ecds);
    }

    /// <summary>Full names of the messages whose JSON pointer <c>locate</c> should know (resources and the parts the model points at).</summary>
    public static IReadOnlySet<string> TrackedTypes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        BootstrapV3.Bootstrap.Descriptor.FullName,
        ListenerV3.Listener.Descriptor.FullName,
        ListenerV3.FilterChain.Descriptor.FullName,
        ListenerV3.Filter.Descriptor.FullName,
        ListenerV3.ListenerFilter.Descriptor.FullName,
        HcmV3.HttpConnectionManager.Descriptor.FullName,
        HcmV3.HttpFilter.Descriptor.FullName,
        TcpV3.TcpProxy.Descriptor.FullName,
        RouteV3.RouteConfiguration.Descriptor.FullName,
        RouteV3.VirtualHost.Descriptor.FullName,
        RouteV3.Route.Descriptor.FullName,
        ClusterV3.Cluster.Descriptor.FullName,
        ClusterV3.OutlierDetection.Descriptor.FullName,
        CoreV3.TransportSocket.Descriptor.FullName,
        TlsV3.UpstreamTlsContext.Descriptor.FullName,
        TlsV3.DownstreamTlsContext.Descriptor.FullName,
        TlsV3.Secret.Descriptor.FullName,
        EndpointV3.ClusterLoadAssignment.Descriptor.FullName,
        EndpointV3.LbEndpoint.Descriptor.FullName,
        CoreV3.TypedExtensionConfig.Descriptor.FullName,
        Envoy.Config.Metrics.V3.StatsSink.Descriptor.FullName,
        AdminV3.UpdateFailureState.Descriptor.FullName,
        AdminV3.ListenersConfigDump.Types.DynamicListener.Descriptor.FullName,
    };

    /// <summary>Adds one section of <c>configs</c>; <paramref name="sectionPointer"/> is where it sits (<c>/configs/3</c>).</summary>
    public void AddSection(IMessage section, JsonPointer sectionPointer)
    {
        ArgumentNullException.ThrowIfNull(section);
        switch (section)
        {
            case AdminV3.BootstrapConfigDump bootstrap:
                AddBootstrap(bootstrap, sectionPointer);
                break;
            case AdminV3.ListenersConfigDump listeners:
                AddListeners(listeners, sectionPointer);
                break;
            case AdminV3.ClustersConfigDump clusters:
                AddClusters(clusters, sectionPointer);
                break;
            case AdminV3.RoutesConfigDump routes:
                AddRoutes(routes, sectionPointer);
                break;
            case AdminV3.ScopedRoutesConfigDump scoped:
                AddScopedRoutes(scoped, sectionPointer);
                break;
            case AdminV3.SecretsConfigDump secrets:
                AddSecrets(secrets, sectionPointer);
                break;
            case AdminV3.EndpointsConfigDump endpoints:
                AddEndpoints(endpoints, sectionPointer);
                break;
            case AdminV3.EcdsConfigDump ecds:
                AddEcds(ecds, sectionPointer);
                break;
            case Any any:
                AddUnknown(string.IsNullOrEmpty(any.TypeUrl) ? "(no type)" : any.TypeUrl, sectionPointer);
                break;
            default:
                AddUnknown(TypeResolver.TypeUrlPrefix + section.Descriptor.FullName, sectionPointer);
                break;
        }
    }

    /// <summary>Everything added so far, in document order.</summary>
    public NormalizedConfig Build() => new(
        _bootstrap,
        _listeners.ToArray(),
        _routeConfigs.ToArray(),
        _clusters.ToArray(),
        _loadAssignments.ToArray(),
        _secrets.ToArray(),
        _ecds.ToArray(),
        _sections.ToArray());

    // ------------------------------------------------------------------ sections

    private void AddUnknown(string typeUrl, JsonPointer at)
    {
        var tally = new Tally(typeUrl, at);
        tally.Raw++;
        _context.Report(DiagnosticLevel.Warning, DiagnosticCodes.UnknownSection, at, $"The config dump section of type {TypeResolver.FullNameOf(typeUrl)} is not one EnvoyLens reads; it is kept raw.", typeUrl);
        _sections.Add(tally.ToSummary());
    }

    private void AddBootstrap(AdminV3.BootstrapConfigDump dump, JsonPointer at)
    {
        var tally = Begin(dump, at);
        if (dump.Bootstrap is null)
        {
            _sections.Add(tally.ToSummary());
            return;
        }

        var bootstrapAt = _context.At(dump.Bootstrap, at.Append("bootstrap"));
        tally.Count(ResourceKind.Bootstrap, "Static");
        if (_bootstrap is not null)
        {
            tally.Raw++;
            _context.Report(DiagnosticLevel.Warning, DiagnosticCodes.Interpretation, bootstrapAt, "The config dump holds more than one bootstrap; the first one is used.");
        }
        else
        {
            try
            {
                _bootstrap = _bootstrapMapper.Map(dump.Bootstrap, ProtoValues.ToDateTimeOffset(dump.LastUpdated), bootstrapAt);
                tally.Typed++;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                tally.Raw++;
                _context.Report(DiagnosticLevel.Error, DiagnosticCodes.InvalidResource, bootstrapAt, $"The bootstrap could not be normalized ({e.Message}); it is left out of the model.");
            }
        }

        _sections.Add(tally.ToSummary());
    }

    private void AddListeners(AdminV3.ListenersConfigDump dump, JsonPointer at)
    {
        var tally = Begin(dump, at);
        for (var i = 0; i < dump.StaticListeners.Count; i++)
        {
            var entry = dump.StaticListeners[i];
            var entryAt = at.Append("static_listeners").Append(i);
            Present(tally, _listenerKind, entry.Listener, entryAt.Append("listener"), ResourceOrigin.Static, ResourceState.Active, null, entry.LastUpdated, null, null);
        }

        for (var i = 0; i < dump.DynamicListeners.Count; i++)
        {
            var entry = dump.DynamicListeners[i];
            var entryAt = _context.At(entry, at.Append("dynamic_listeners").Append(i));
            var error = Failure(entry.ErrorState, entryAt.Append("error_state"));
            var any = false;
            foreach (var (state, field, value) in new[]
                     {
                         (ResourceState.Active, "active_state", entry.ActiveState),
                         (ResourceState.Warming, "warming_state", entry.WarmingState),
                         (ResourceState.Draining, "draining_state", entry.DrainingState),
                     })
            {
                if (value?.Listener is null)
                {
                    continue;
                }

                any = true;
                Present(tally, _listenerKind, value.Listener, entryAt.Append(field).Append("listener"), ResourceOrigin.Dynamic, state, value.VersionInfo, value.LastUpdated, error, entry.Name);
            }

            if (!any)
            {
                Absent(tally, _listenerKind, entry.ErrorState, error, entryAt, entry.Name, null, entry.ClientStatus);
            }
        }

        _sections.Add(tally.ToSummary());
    }

    private void AddClusters(AdminV3.ClustersConfigDump dump, JsonPointer at)
    {
        var tally = Begin(dump, at);
        for (var i = 0; i < dump.StaticClusters.Count; i++)
        {
            var entry = dump.StaticClusters[i];
            Present(tally, _clusterKind, entry.Cluster, at.Append("static_clusters").Append(i).Append("cluster"), ResourceOrigin.Static, ResourceState.Active, null, entry.LastUpdated, null, null);
        }

        AddDynamicClusters(tally, dump.DynamicActiveClusters, at.Append("dynamic_active_clusters"), ResourceState.Active);
        AddDynamicClusters(tally, dump.DynamicWarmingClusters, at.Append("dynamic_warming_clusters"), ResourceState.Warming);
        _sections.Add(tally.ToSummary());
    }

    private void AddDynamicClusters(Tally tally, IReadOnlyList<AdminV3.ClustersConfigDump.Types.DynamicCluster> entries, JsonPointer at, ResourceState state)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var entryAt = at.Append(i);
            var error = Failure(entry.ErrorState, entryAt.Append("error_state"));
            if (entry.Cluster is not null)
            {
                Present(tally, _clusterKind, entry.Cluster, entryAt.Append("cluster"), ResourceOrigin.Dynamic, state, entry.VersionInfo, entry.LastUpdated, error, null);
            }
            else
            {
                Absent(tally, _clusterKind, entry.ErrorState, error, entryAt, null, entry.VersionInfo, entry.ClientStatus);
            }
        }
    }

    private void AddRoutes(AdminV3.RoutesConfigDump dump, JsonPointer at)
    {
        var tally = Begin(dump, at);
        for (var i = 0; i < dump.StaticRouteConfigs.Count; i++)
        {
            var entry = dump.StaticRouteConfigs[i];
            Present(tally, _routeKind, entry.RouteConfig, at.Append("static_route_configs").Append(i).Append("route_config"), ResourceOrigin.Static, ResourceState.Active, null, entry.LastUpdated, null, null);
        }

        for (var i = 0; i < dump.DynamicRouteConfigs.Count; i++)
        {
            var entry = dump.DynamicRouteConfigs[i];
            var entryAt = at.Append("dynamic_route_configs").Append(i);
            var error = Failure(entry.ErrorState, entryAt.Append("error_state"));
            if (entry.RouteConfig is not null)
            {
                Present(tally, _routeKind, entry.RouteConfig, entryAt.Append("route_config"), ResourceOrigin.Dynamic, ResourceState.Active, entry.VersionInfo, entry.LastUpdated, error, null);
            }
            else
            {
                Absent(tally, _routeKind, entry.ErrorState, error, entryAt, null, entry.VersionInfo, entry.ClientStatus);
            }
        }

        _sections.Add(tally.ToSummary());
    }

    /// <summary>Scoped route configurations are counted (the model has no scoped-route records); unusable ones are reported.</summary>
    private void AddScopedRoutes(AdminV3.ScopedRoutesConfigDump dump, JsonPointer at)
    {
        var tally = Begin(dump, at);
        for (var i = 0; i < dump.InlineScopedRouteConfigs.Count; i++)
        {
            CountScoped(tally, dump.InlineScopedRouteConfigs[i].ScopedRouteConfigs, at.Append("inline_scoped_route_configs").Append(i), "Static");
        }

        for (var i = 0; i < dump.DynamicScopedRouteConfigs.Count; i++)
        {
            var entry = dump.DynamicScopedRouteConfigs[i];
            var entryAt = at.Append("dynamic_scoped_route_configs").Append(i);
            if (entry.ScopedRouteConfigs.Count == 0 && entry.ErrorState is not null)
            {
                tally.Count(ResourceKind.ScopedRoute, nameof(ResourceState.Rejected));
                continue;
            }

            CountScoped(tally, entry.ScopedRouteConfigs, entryAt, nameof(ResourceState.Active));
        }

        _sections.Add(tally.ToSummary());
    }

    private void CountScoped(Tally tally, IReadOnlyList<Any> configs, JsonPointer at, string state)
    {
        for (var j = 0; j < configs.Count; j++)
        {
            var configAt = at.Append("scoped_route_configs").Append(j);
            tally.Count(ResourceKind.ScopedRoute, state);
            if (_context.Unpack<RouteV3.ScopedRouteConfiguration>(configs[j], configAt) is not null)
            {
                tally.Typed++;
            }
            else
            {
                tally.Raw++;
                _context.ReportUnusable(ResourceKind.ScopedRoute, configs[j], configAt);
            }
        }
    }

    private void AddSecrets(AdminV3.SecretsConfigDump dump, JsonPointer at)
    {
        var tally = Begin(dump, at);
        for (var i = 0; i < dump.StaticSecrets.Count; i++)
        {
            var entry = dump.StaticSecrets[i];
            var entryAt = at.Append("static_secrets").Append(i);
            if (entry.Secret is null)
            {
                Absent(tally, _secretKind, null, null, entryAt, entry.Name, null, AdminV3.ClientResourceStatus.Unknown);
                continue;
            }

            Present(tally, _secretKind, entry.Secret, entryAt.Append("secret"), ResourceOrigin.Static, ResourceState.Active, null, entry.LastUpdated, null, entry.Name);
        }

        AddDynamicSecrets(tally, dump.DynamicActiveSecrets, at.Append("dynamic_active_secrets"), ResourceState.Active);
        AddDynamicSecrets(tally, dump.DynamicWarmingSecrets, at.Append("dynamic_warming_secrets"), ResourceState.Warming);
        _sections.Add(tally.ToSummary());
    }

    private void AddDynamicSecrets(Tally tally, IReadOnlyList<AdminV3.SecretsConfigDump.Types.DynamicSecret> entries, JsonPointer at, ResourceState state)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var entryAt = at.Append(i);
            var error = Failure(entry.ErrorState, entryAt.Append("error_state"));
            if (entry.Secret is not null)
            {
                Present(tally, _secretKind, entry.Secret, entryAt.Append("secret"), ResourceOrigin.Dynamic, state, entry.VersionInfo, entry.LastUpdated, error, entry.Name);
            }
            else
            {
                Absent(tally, _secretKind, entry.ErrorState, error, entryAt, entry.Name, entry.VersionInfo, entry.ClientStatus);
            }
        }
    }

    private void AddEndpoints(AdminV3.EndpointsConfigDump dump, JsonPointer at)
    {
        var tally = Begin(dump, at);
        for (var i = 0; i < dump.StaticEndpointConfigs.Count; i++)
        {
            var entry = dump.StaticEndpointConfigs[i];
            Present(tally, _endpointKind, entry.EndpointConfig, at.Append("static_endpoint_configs").Append(i).Append("endpoint_config"), ResourceOrigin.Static, ResourceState.Active, null, entry.LastUpdated, null, null);
        }

        for (var i = 0; i < dump.DynamicEndpointConfigs.Count; i++)
        {
            var entry = dump.DynamicEndpointConfigs[i];
            var entryAt = at.Append("dynamic_endpoint_configs").Append(i);
            var error = Failure(entry.ErrorState, entryAt.Append("error_state"));
            if (entry.EndpointConfig is not null)
            {
                Present(tally, _endpointKind, entry.EndpointConfig, entryAt.Append("endpoint_config"), ResourceOrigin.Dynamic, ResourceState.Active, entry.VersionInfo, entry.LastUpdated, error, null);
            }
            else
            {
                Absent(tally, _endpointKind, entry.ErrorState, error, entryAt, null, entry.VersionInfo, entry.ClientStatus);
            }
        }

        _sections.Add(tally.ToSummary());
    }

    private void AddEcds(AdminV3.EcdsConfigDump dump, JsonPointer at)
    {
        var tally = Begin(dump, at);
        for (var i = 0; i < dump.EcdsFilters.Count; i++)
        {
            var entry = dump.EcdsFilters[i];
            var entryAt = at.Append("ecds_filters").Append(i);
            var error = Failure(entry.ErrorState, entryAt.Append("error_state"));
            if (entry.EcdsFilter is not null)
            {
                Present(tally, _ecdsKind, entry.EcdsFilter, entryAt.Append("ecds_filter"), ResourceOrigin.Dynamic, ResourceState.Active, entry.VersionInfo, entry.LastUpdated, error, null);
            }
            else
            {
                Absent(tally, _ecdsKind, entry.ErrorState, error, entryAt, null, entry.VersionInfo, entry.ClientStatus);
            }
        }

        _sections.Add(tally.ToSummary());
    }

    private EcdsConfig MapEcds(CoreV3.TypedExtensionConfig config, ResourceMeta meta)
    {
        var configAt = config.TypedConfig is null ? meta.Pointer : meta.Pointer.Append("typed_config");
        return new EcdsConfig(meta, _context.Extension(config.Name, config.TypedConfig, configAt));
    }

    // ------------------------------------------------------------------ resources

    private Tally Begin(IMessage section, JsonPointer at) => new(TypeResolver.TypeUrlPrefix + section.Descriptor.FullName, at);

    /// <summary>A resource whose configuration is present in the entry.</summary>
    private void Present<TProto, TModel>(
        Tally tally,
        Kind<TProto, TModel> kind,
        Any? resource,
        JsonPointer structural,
        ResourceOrigin origin,
        ResourceState state,
        string? version,
        Timestamp? lastUpdated,
        UpdateFailure? error,
        string? entryName)
        where TProto : class, IMessage<TProto>, new()
    {
        tally.Count(kind.ResourceKind, origin == ResourceOrigin.Static ? "Static" : state.ToString());
        if (resource is null)
        {
            return;
        }

        var message = _context.Unpack<TProto>(resource, structural);
        if (message is null)
        {
            tally.Raw++;
            _context.ReportUnusable(kind.ResourceKind, resource, structural);
            return;
        }

        var at = _context.At(message, structural);
        var meta = new ResourceMeta(kind.ResourceKind, NameOf(kind, message, entryName), origin, state, ProtoValues.NullIfEmpty(version), ProtoValues.ToDateTimeOffset(lastUpdated), at, error);
        Map(tally, kind, message, meta);
    }

    /// <summary>
    /// An entry without configuration: with an error state it is a rejected resource (its failed configuration when
    /// that can be read, else an empty one of that name); otherwise it only has a client status, which is counted.
    /// </summary>
    private void Absent<TProto, TModel>(
        Tally tally,
        Kind<TProto, TModel> kind,
        AdminV3.UpdateFailureState? errorState,
        UpdateFailure? error,
        JsonPointer entryAt,
        string? entryName,
        string? version,
        AdminV3.ClientResourceStatus clientStatus)
        where TProto : class, IMessage<TProto>, new()
    {
        if (errorState is null || error is null)
        {
            var status = ProtoValues.EnumName(clientStatus);
            tally.Count(kind.ResourceKind, status);
            var named = string.IsNullOrEmpty(entryName) ? "" : $" '{entryName}'";
            _context.Report(DiagnosticLevel.Info, DiagnosticCodes.Interpretation, entryAt, $"This {NormalizeContext.KindText(kind.ResourceKind)} entry{named} holds no configuration (client status {status}).");
            return;
        }

        tally.Count(kind.ResourceKind, nameof(ResourceState.Rejected));
        var failedAt = error.Pointer.Append("failed_configuration");
        TProto? message = null;
        if (errorState.FailedConfiguration is { } failed && !string.IsNullOrEmpty(failed.TypeUrl))
        {
            message = _context.Unpack<TProto>(failed, failedAt);
        }

        JsonPointer at;
        if (message is not null)
        {
            at = _context.At(message, failedAt);
        }
        else
        {
            message = kind.Stub(entryName ?? "");
            at = error.Pointer;
        }

        var meta = new ResourceMeta(kind.ResourceKind, NameOf(kind, message, entryName), ResourceOrigin.Dynamic, ResourceState.Rejected, ProtoValues.NullIfEmpty(version), null, at, error);
        Map(tally, kind, message, meta);
    }

    private void Map<TProto, TModel>(Tally tally, Kind<TProto, TModel> kind, TProto message, ResourceMeta meta)
        where TProto : class, IMessage<TProto>, new()
    {
        try
        {
            kind.Sink.Add(kind.Map(message, meta));
            tally.Typed++;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            tally.Raw++;
            _context.Report(DiagnosticLevel.Error, DiagnosticCodes.InvalidResource, meta.Pointer, $"The {NormalizeContext.KindText(kind.ResourceKind)} '{meta.Name}' could not be normalized ({e.Message}); it is left out of the model.");
        }
    }

    private static string NameOf<TProto, TModel>(Kind<TProto, TModel> kind, TProto message, string? entryName)
        where TProto : class, IMessage<TProto>, new()
    {
        var name = kind.NameOf(message);
        return string.IsNullOrEmpty(name) ? entryName ?? "" : name;
    }

    private UpdateFailure? Failure(AdminV3.UpdateFailureState? state, JsonPointer structural) =>
        state is null
            ? null
            : new UpdateFailure(
                ProtoValues.NullIfEmpty(state.Details),
                ProtoValues.ToDateTimeOffset(state.LastUpdateAttempt),
                ProtoValues.NullIfEmpty(state.VersionInfo),
                _context.At(state, structural));

    private sealed record Kind<TProto, TModel>(
        ResourceKind ResourceKind,
        Func<TProto, string> NameOf,
        Func<string, TProto> Stub,
        Func<TProto, ResourceMeta, TModel> Map,
        List<TModel> Sink)
        where TProto : class, IMessage<TProto>, new();

    private sealed class Tally(string typeUrl, JsonPointer pointer)
    {
        private readonly SortedDictionary<string, int> _counts = new(StringComparer.Ordinal);

        public int Typed { get; set; }

        public int Raw { get; set; }

        public void Count(ResourceKind kind, string state)
        {
            var key = kind + ":" + state;
            _counts[key] = _counts.TryGetValue(key, out var n) ? n + 1 : 1;
        }

        public SectionSummary ToSummary() =>
            new(typeUrl, pointer, new SortedDictionary<string, int>(_counts, StringComparer.Ordinal), Typed, Raw);
    }
}
