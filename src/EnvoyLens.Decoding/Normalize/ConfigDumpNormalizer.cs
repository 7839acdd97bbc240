using EnvoyLens.Core;
using EnvoyLens.Decoding.Normalize.Sections;
using EnvoyLens.Model;
using EnvoyLens.ProtoJson;
using Google.Protobuf;
using Google.Protobuf.Reflection;
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
internal sealed class ConfigDumpNormalizer
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
        var rbac = new RbacMapper(_context);
        _routeMapper = new RouteMapper(_context, rbac);
        _listenerMapper = new ListenerMapper(_context, tls, _routeMapper, rbac);
        _endpointMapper = new EndpointMapper(_context);
        _clusterMapper = new ClusterMapper(_context, tls, _endpointMapper);
        _secretMapper = new SecretMapper(_context);
        _bootstrapMapper = new BootstrapMapper(_context);
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

    /// <summary>
    /// For a resource section's type URL: the repeated fields of its dynamic entries, in the order
    /// <see cref="BeginSection"/> takes their elements; null for a section that is only added whole.
    /// </summary>
    public static IReadOnlyList<StreamedField>? StreamedFields(string typeUrl) => Streamable.GetValueOrDefault(typeUrl);

    private static readonly Dictionary<string, IReadOnlyList<StreamedField>> Streamable = new(StringComparer.Ordinal)
    {
        [TypeResolver.TypeUrlPrefix + AdminV3.ListenersConfigDump.Descriptor.FullName] = FieldsOf(AdminV3.ListenersConfigDump.Descriptor, ListenerSection.Instance.DynamicFields),
        [TypeResolver.TypeUrlPrefix + AdminV3.ClustersConfigDump.Descriptor.FullName] = FieldsOf(AdminV3.ClustersConfigDump.Descriptor, ClusterSection.Instance.DynamicFields),
        [TypeResolver.TypeUrlPrefix + AdminV3.RoutesConfigDump.Descriptor.FullName] = FieldsOf(AdminV3.RoutesConfigDump.Descriptor, RouteSection.Instance.DynamicFields),
        [TypeResolver.TypeUrlPrefix + AdminV3.SecretsConfigDump.Descriptor.FullName] = FieldsOf(AdminV3.SecretsConfigDump.Descriptor, SecretSection.Instance.DynamicFields),
        [TypeResolver.TypeUrlPrefix + AdminV3.EndpointsConfigDump.Descriptor.FullName] = FieldsOf(AdminV3.EndpointsConfigDump.Descriptor, EndpointSection.Instance.DynamicFields),
        [TypeResolver.TypeUrlPrefix + AdminV3.EcdsConfigDump.Descriptor.FullName] = FieldsOf(AdminV3.EcdsConfigDump.Descriptor, EcdsSection.Instance.DynamicFields),
    };

    private static StreamedField[] FieldsOf<TDump>(MessageDescriptor dump, IReadOnlyList<DynamicField<TDump>> fields)
        where TDump : class, IMessage =>
        fields.Select(f => new StreamedField(f.Name, dump.FindFieldByName(f.Name).JsonName, f.ElementType)).ToArray();

    /// <summary>
    /// Begins a resource section (one of the types <see cref="StreamedFields"/> knows): its static entries, and any
    /// dynamic ones it holds, are mapped now; further dynamic elements can then be added one at a time, each read on
    /// its own, so that no tree of the whole section is kept. <see cref="SectionStream.Complete"/> ends it.
    /// </summary>
    public SectionStream BeginSection(IMessage section, JsonPointer sectionPointer)
    {
        ArgumentNullException.ThrowIfNull(section);
        return section switch
        {
            AdminV3.ListenersConfigDump listeners => new ResourceStream<AdminV3.ListenersConfigDump, ListenerV3.Listener, Listener>(this, listeners, sectionPointer, ListenerSection.Instance, _listenerMapper.Map, _listeners),
            AdminV3.ClustersConfigDump clusters => new ResourceStream<AdminV3.ClustersConfigDump, ClusterV3.Cluster, Cluster>(this, clusters, sectionPointer, ClusterSection.Instance, _clusterMapper.Map, _clusters),
            AdminV3.RoutesConfigDump routes => new ResourceStream<AdminV3.RoutesConfigDump, RouteV3.RouteConfiguration, RouteConfig>(this, routes, sectionPointer, RouteSection.Instance, _routeMapper.Map, _routeConfigs),
            AdminV3.SecretsConfigDump secrets => new ResourceStream<AdminV3.SecretsConfigDump, TlsV3.Secret, Secret>(this, secrets, sectionPointer, SecretSection.Instance, _secretMapper.Map, _secrets),
            AdminV3.EndpointsConfigDump endpoints => new ResourceStream<AdminV3.EndpointsConfigDump, EndpointV3.ClusterLoadAssignment, ClusterLoadAssignment>(this, endpoints, sectionPointer, EndpointSection.Instance, _endpointMapper.Map, _loadAssignments),
            AdminV3.EcdsConfigDump ecds => new ResourceStream<AdminV3.EcdsConfigDump, CoreV3.TypedExtensionConfig, EcdsConfig>(this, ecds, sectionPointer, EcdsSection.Instance, MapEcds, _ecds),
            _ => throw new ArgumentException($"{section.Descriptor.FullName} is not a resource section.", nameof(section)),
        };
    }

    /// <summary>Adds one section of <c>configs</c>; <paramref name="sectionPointer"/> is where it sits (<c>/configs/3</c>).</summary>
    public void AddSection(IMessage section, JsonPointer sectionPointer)
    {
        ArgumentNullException.ThrowIfNull(section);
        switch (section)
        {
            case AdminV3.BootstrapConfigDump bootstrap:
                AddBootstrap(bootstrap, sectionPointer);
                break;
            case AdminV3.ListenersConfigDump or AdminV3.ClustersConfigDump or AdminV3.RoutesConfigDump or AdminV3.SecretsConfigDump or AdminV3.EndpointsConfigDump or AdminV3.EcdsConfigDump:
                BeginSection(section, sectionPointer).Complete();
                break;
            case AdminV3.ScopedRoutesConfigDump scoped:
                AddScopedRoutes(scoped, sectionPointer);
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

    private EcdsConfig MapEcds(CoreV3.TypedExtensionConfig config, ResourceMeta meta)
    {
        var configAt = config.TypedConfig is null ? meta.Pointer : meta.Pointer.Append("typed_config");
        return new EcdsConfig(meta, _context.Extension(config.Name, config.TypedConfig, configAt));
    }

    // ------------------------------------------------------------------ resources

    private Tally Begin(IMessage section, JsonPointer at) => new(TypeResolver.TypeUrlPrefix + section.Descriptor.FullName, at);

    /// <summary>
    /// The one loop over a resource section: each entry with configuration is mapped (<see cref="Present"/>); an entry
    /// without is a rejected resource or a counted client status (<see cref="Absent"/>). The section's entries come
    /// from the section as read, then from each dynamic element added on its own.
    /// </summary>
    private sealed class ResourceStream<TDump, TProto, TModel> : SectionStream
        where TDump : class, IMessage
        where TProto : class, IMessage<TProto>, new()
    {
        private readonly ConfigDumpNormalizer _owner;
        private readonly JsonPointer _at;
        private readonly ResourceSection<TDump, TProto> _section;
        private readonly Kind<TProto, TModel> _kind;
        private readonly Tally _tally;

        public ResourceStream(ConfigDumpNormalizer owner, TDump dump, JsonPointer at, ResourceSection<TDump, TProto> section, Func<TProto, ResourceMeta, TModel> map, List<TModel> sink)
        {
            _owner = owner;
            _at = at;
            _section = section;
            _kind = new Kind<TProto, TModel>(section, map, sink);
            _tally = owner.Begin(dump, at);
            Add(section.Entries(dump, at, owner._context));
        }

        public override void Add(int field, IMessage element, int index)
        {
            var dynamicField = _section.DynamicFields[field];
            Add(dynamicField.EntriesOf(element, _at.Append(dynamicField.Name).Append(index), _owner._context));
        }

        public override void AddUnreadable() => _tally.Raw++;

        public override void Complete() => _owner._sections.Add(_tally.ToSummary());

        private void Add(IEnumerable<SectionEntry> entries)
        {
            foreach (var entry in entries)
            {
                if (entry.Payload is null && entry.ClientStatus is { } clientStatus)
                {
                    _owner.Absent(_tally, _kind, entry, clientStatus);
                }
                else
                {
                    _owner.Present(_tally, _kind, entry);
                }
            }
        }
    }

    /// <summary>A resource whose configuration is present in the entry (a static entry with an empty one is only counted).</summary>
    private void Present<TProto, TModel>(Tally tally, Kind<TProto, TModel> kind, SectionEntry entry)
        where TProto : class, IMessage<TProto>, new()
    {
        var resourceKind = kind.Section.Kind;
        tally.Count(resourceKind, entry.Origin == ResourceOrigin.Static ? "Static" : entry.State.ToString());
        if (entry.Payload is not { } resource)
        {
            return;
        }

        var message = _context.Unpack<TProto>(resource, entry.Pointer);
        if (message is null)
        {
            tally.Raw++;
            _context.ReportUnusable(resourceKind, resource, entry.Pointer);
            return;
        }

        var at = _context.At(message, entry.Pointer);
        var meta = new ResourceMeta(resourceKind, NameOf(kind, message, entry.Name), entry.Origin, entry.State, ProtoValues.NullIfEmpty(entry.Version), ProtoValues.ToDateTimeOffset(entry.LastUpdated), at, Failure(entry.Error));
        Map(tally, kind, message, meta);
    }

    /// <summary>
    /// An entry without configuration: with an error state it is a rejected resource (its failed configuration when
    /// that can be read, else an empty one of that name); otherwise it only has a client status, which is counted.
    /// </summary>
    private void Absent<TProto, TModel>(Tally tally, Kind<TProto, TModel> kind, SectionEntry entry, AdminV3.ClientResourceStatus clientStatus)
        where TProto : class, IMessage<TProto>, new()
    {
        var resourceKind = kind.Section.Kind;
        var error = Failure(entry.Error);
        if (entry.Error is not { State: var errorState } || error is null)
        {
            var status = ProtoValues.EnumName(clientStatus);
            tally.Count(resourceKind, status);
            var named = string.IsNullOrEmpty(entry.Name) ? "" : $" '{entry.Name}'";
            _context.Report(DiagnosticLevel.Info, DiagnosticCodes.Interpretation, entry.Pointer, $"This {NormalizeContext.KindText(resourceKind)} entry{named} holds no configuration (client status {status}).");
            return;
        }

        tally.Count(resourceKind, nameof(ResourceState.Rejected));
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
            message = kind.Section.Stub(entry.Name ?? "");
            at = error.Pointer;
        }

        var meta = new ResourceMeta(resourceKind, NameOf(kind, message, entry.Name), ResourceOrigin.Dynamic, ResourceState.Rejected, ProtoValues.NullIfEmpty(entry.Version), null, at, error);
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
            _context.Report(DiagnosticLevel.Error, DiagnosticCodes.InvalidResource, meta.Pointer, $"The {NormalizeContext.KindText(kind.Section.Kind)} '{meta.Name}' could not be normalized ({e.Message}); it is left out of the model.");
        }
    }

    private static string NameOf<TProto, TModel>(Kind<TProto, TModel> kind, TProto message, string? entryName)
        where TProto : class, IMessage<TProto>, new()
    {
        var name = kind.Section.NameOf(message);
        return string.IsNullOrEmpty(name) ? entryName ?? "" : name;
    }

    private UpdateFailure? Failure(SectionError? error) =>
        error is null
            ? null
            : new UpdateFailure(
                ProtoValues.NullIfEmpty(error.State.Details),
                ProtoValues.ToDateTimeOffset(error.State.LastUpdateAttempt),
                ProtoValues.NullIfEmpty(error.State.VersionInfo),
                _context.At(error.State, error.Pointer));

    private sealed record Kind<TProto, TModel>(
        ResourceSection<TProto> Section,
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

/// <summary>A repeated field of a resource section whose elements can be read and added one at a time.</summary>
/// <param name="Name">The proto field name (<c>dynamic_active_clusters</c>).</param>
/// <param name="JsonName">Its JSON name (<c>dynamicActiveClusters</c>).</param>
/// <param name="ElementType">The type of its elements.</param>
internal sealed record StreamedField(string Name, string JsonName, MessageDescriptor ElementType);

/// <summary>A resource section being added element by element (<see cref="ConfigDumpNormalizer.BeginSection"/>).</summary>
internal abstract class SectionStream
{
    /// <summary>Maps the entries of one element of the section's <paramref name="field"/>-th streamed field, at <paramref name="index"/>.</summary>
    public abstract void Add(int field, IMessage element, int index);

    /// <summary>Counts an element that could not be read at all (the reader reported why) as a raw resource.</summary>
    public abstract void AddUnreadable();

    /// <summary>Ends the section: its summary is recorded.</summary>
    public abstract void Complete();
}
