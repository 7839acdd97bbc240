using System.Buffers.Binary;
using System.Text.Json.Nodes;
using EnvoyLens.Core;
using EnvoyLens.Decoding.Documents;
using EnvoyLens.Decoding.Normalize;
using EnvoyLens.Model;
using EnvoyLens.ProtoJson;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using AdminV3 = Envoy.Admin.V3;

namespace EnvoyLens.Decoding.Canonical;

/// <summary>
/// Reads the config dump of a capture into comparable resources (<see cref="CanonicalSnapshot"/>): one pass, one
/// section at a time. Each resource keeps only its binary encoding (its fingerprint, compact) and builds its canonical
/// JSON tree on demand, so a large dump is not held twice as trees.
/// </summary>
public static class CanonicalReader
{
    private static readonly ProtoJsonReader Reader = new(SnapshotDecoder.Resolver, new ProtoJsonReaderOptions { KeepUnpackedMessages = true });

    /// <summary>
    /// The comparable resources of <paramref name="raw"/>'s config dump (empty when it has none), read with the
    /// redaction rules applied unless <see cref="DecodeOptions.ShowSecrets"/> (so fingerprints, trees and everything
    /// printed from them hold <c>[redacted]</c>, equal on both sides of a diff). A config dump that cannot be read at
    /// all throws an <see cref="EnvoyLensException"/> naming it.
    /// </summary>
    public static CanonicalSnapshot Read(RawSnapshot raw, DecodeOptions? options = null) => Read(raw, options, wholeSections: false);

    /// <param name="raw">The capture.</param>
    /// <param name="options">How to read.</param>
    /// <param name="wholeSections">
    /// Read every section as one message instead of element by element (see <see cref="SnapshotDecoder"/>); the
    /// resources and diagnostics are the same either way (a test holds the two paths together).
    /// </param>
    internal static CanonicalSnapshot Read(RawSnapshot raw, DecodeOptions? options, bool wholeSections)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var document = raw.Get(AdminEndpoint.ConfigDump);
        var resources = new List<CanonicalResource>();
        var diagnostics = new List<DecodeDiagnostic>();
        if (document is null)
        {
            return new CanonicalSnapshot(raw.Origin, resources, diagnostics);
        }

        document = SnapshotDecoder.WithValidUtf8(document, diagnostics);
        var layout = ConfigDumpDocument.Read(document.Content, document.Source, options?.Proxy);
        diagnostics.AddRange(layout.Diagnostics);
        var redacted = new List<string>();
        foreach (var entry in layout.Entries)
        {
            redacted.Clear();
            var original = layout.EntryBytes(entry);
            var prepared = LegacyDumpShapes.Prepare(original, entry, document.Source, diagnostics);
            if (!wholeSections && SectionSplitter.Of(entry, original, prepared, ConfigDumpNormalizer.StreamedFields) is { } split &&
                ReadSplit(prepared, split, entry.Pointer, document.Source, options, resources, diagnostics))
            {
                continue;
            }

            var bytes = SnapshotDecoder.Redacted(prepared, document.Source, options, redacted);
            var read = Reader.ReadAny(bytes, document.Source, entry.Pointer);
            diagnostics.AddRange(read.Diagnostics);
            if (read.Message is not null)
            {
                new Section(read, entry.Pointer, resources, redacted).Add(read.Message);
            }
        }

        return new CanonicalSnapshot(raw.Origin, resources, diagnostics);
    }

    /// <summary>
    /// A split section: the shell's resources, then each dynamic element redacted and read on its own, a batch at a
    /// time across the cores, its resources added in document order and its message trees dropped.
    /// </summary>
    /// <returns>False, having changed nothing, when the shell reads as another type than the split assumed: the caller reads the section whole.</returns>
    private static bool ReadSplit(ReadOnlyMemory<byte> section, SectionSplitter.Split split, JsonPointer at, string source, DecodeOptions? options, List<CanonicalResource> resources, List<DecodeDiagnostic> diagnostics)
    {
        var shellRedacted = new List<string>();
        var shell = Reader.ReadAny(SnapshotDecoder.Redacted(split.Shell, source, options, shellRedacted), source, at);
        if (shell.Message is not null && !ReferenceEquals(ConfigDumpNormalizer.StreamedFields(TypeResolver.TypeUrlPrefix + shell.Message.Descriptor.FullName), split.Fields))
        {
            return false;
        }

        diagnostics.AddRange(shell.Diagnostics);
        if (shell.Message is null)
        {
            return true;
        }

        new Section(shell, at, resources, shellRedacted).Add(shell.Message);
        split.ForEachElement(
            element =>
            {
                var redacted = new List<string>();
                var bytes = SnapshotDecoder.Redacted(section.Slice(element.Offset, element.Length), source, options, redacted);
                var read = Reader.Read(split.Fields[element.Field].ElementType, bytes, source, at.Append(element.Key).Append(element.Index));

                // The redacted places are relative to the section, as when it is read whole.
                var prefix = "/" + JsonPointer.Escape(element.Key) + "/" + element.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return (Read: read, Redacted: redacted.Select(p => prefix + p).ToList());
            },
            (element, result) =>
            {
                diagnostics.AddRange(result.Read.Diagnostics);
                if (result.Read.Message is not null)
                {
                    new Section(result.Read, at, resources, result.Redacted).AddElement(split.Fields[element.Field].Name, element.Index, result.Read.Message);
                }
            });
        return true;
    }

    /// <summary>The resources of one config dump section.</summary>
    private sealed class Section
    {
        private readonly ReadResult _read;
        private readonly JsonPointer _at;
        private readonly List<CanonicalResource> _out;
        private readonly Dictionary<string, string>? _raw;
        private readonly HashSet<string>? _rawAncestors;
        private readonly string[] _rawKeys = [];
        private readonly List<string> _redacted;

        /// <param name="redacted">Pointers of the redacted values, relative to the section's entry, in document order.</param>
        public Section(ReadResult read, JsonPointer at, List<CanonicalResource> output, List<string> redacted)
        {
            _read = read;
            _at = at;
            _out = output;
            _redacted = redacted;
            foreach (var payload in read.RawPayloads)
            {
                if (payload.TypeUrl is null || payload.Reason != "unknown type")
                {
                    continue;
                }

                var key = CanonicalJson.NormalizePointer(payload.Pointer.Value);
                (_raw ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = payload.Json;
                _rawAncestors ??= new HashSet<string>(StringComparer.Ordinal);
                for (var cut = key.Length; cut > 0; cut = key.LastIndexOf('/', cut - 1))
                {
                    if (!_rawAncestors.Add(key[..cut]))
                    {
                        break;
                    }
                }
            }

            if (_raw is not null)
            {
                _rawKeys = [.. _raw.Keys];
                Array.Sort(_rawKeys, StringComparer.Ordinal);
            }
        }

        public void Add(IMessage section)
        {
            switch (section)
            {
                case AdminV3.BootstrapConfigDump b when b.Bootstrap is not null:
                    AddMessage(ResourceKind.Bootstrap, "bootstrap", b.Bootstrap, _at.Append("bootstrap"));
                    break;
                case AdminV3.ListenersConfigDump l:
                    for (var i = 0; i < l.StaticListeners.Count; i++)
                    {
                        AddAny(ResourceKind.Listener, l.StaticListeners[i].Listener, _at.Append("static_listeners").Append(i).Append("listener"), null);
                    }

                    AddElements("dynamic_listeners", l.DynamicListeners);

                    break;
                case AdminV3.ClustersConfigDump c:
                    AddAll(ResourceKind.Cluster, c.StaticClusters.Select(s => s.Cluster), "static_clusters", "cluster");
                    AddElements("dynamic_active_clusters", c.DynamicActiveClusters);
                    AddElements("dynamic_warming_clusters", c.DynamicWarmingClusters);
                    break;
                case AdminV3.RoutesConfigDump r:
                    AddAll(ResourceKind.RouteConfig, r.StaticRouteConfigs.Select(s => s.RouteConfig), "static_route_configs", "route_config");
                    AddElements("dynamic_route_configs", r.DynamicRouteConfigs);
                    break;
                case AdminV3.ScopedRoutesConfigDump s:
                    for (var i = 0; i < s.InlineScopedRouteConfigs.Count; i++)
                    {
                        AddAll(ResourceKind.ScopedRoute, s.InlineScopedRouteConfigs[i].ScopedRouteConfigs, "inline_scoped_route_configs/" + i, "scoped_route_configs", indexLast: true);
                    }

                    for (var i = 0; i < s.DynamicScopedRouteConfigs.Count; i++)
                    {
                        AddAll(ResourceKind.ScopedRoute, s.DynamicScopedRouteConfigs[i].ScopedRouteConfigs, "dynamic_scoped_route_configs/" + i, "scoped_route_configs", indexLast: true);
                    }

                    break;
                case AdminV3.SecretsConfigDump s:
                    for (var i = 0; i < s.StaticSecrets.Count; i++)
                    {
                        AddAny(ResourceKind.Secret, s.StaticSecrets[i].Secret, _at.Append("static_secrets").Append(i).Append("secret"), s.StaticSecrets[i].Name);
                    }

                    AddElements("dynamic_active_secrets", s.DynamicActiveSecrets);
                    AddElements("dynamic_warming_secrets", s.DynamicWarmingSecrets);

                    break;
                case AdminV3.EndpointsConfigDump e:
                    AddAll(ResourceKind.Endpoint, e.StaticEndpointConfigs.Select(s => s.EndpointConfig), "static_endpoint_configs", "endpoint_config");
                    AddElements("dynamic_endpoint_configs", e.DynamicEndpointConfigs);
                    break;
                case AdminV3.EcdsConfigDump e:
                    AddElements("ecds_filters", e.EcdsFilters);
                    break;
            }
        }

        /// <summary>Every element of a repeated field of dynamic entries, each as <see cref="AddElement"/> adds one read on its own.</summary>
        private void AddElements(string field, IEnumerable<IMessage> elements)
        {
            var i = 0;
            foreach (var element in elements)
            {
                AddElement(field, i++, element);
            }
        }

        /// <summary>One element of a section's repeated field of dynamic entries (<paramref name="field"/>, proto name), read on its own.</summary>
        public void AddElement(string field, int index, IMessage element)
        {
            var entryAt = _at.Append(field).Append(index);
            switch (element)
            {
                case AdminV3.ListenersConfigDump.Types.DynamicListener d:
                    var (state, key) = d.ActiveState is not null ? (d.ActiveState, "active_state")
                        : d.WarmingState is not null ? (d.WarmingState, "warming_state")
                        : (d.DrainingState, "draining_state");
                    if (state?.Listener is not null)
                    {
                        AddAny(ResourceKind.Listener, state.Listener, entryAt.Append(key).Append("listener"), d.Name);
                    }

                    break;
                case AdminV3.ClustersConfigDump.Types.DynamicCluster c:
                    AddAny(ResourceKind.Cluster, c.Cluster, entryAt.Append("cluster"), null);
                    break;
                case AdminV3.RoutesConfigDump.Types.DynamicRouteConfig r:
                    AddAny(ResourceKind.RouteConfig, r.RouteConfig, entryAt.Append("route_config"), null);
                    break;
                case AdminV3.SecretsConfigDump.Types.DynamicSecret s:
                    AddAny(ResourceKind.Secret, s.Secret, entryAt.Append("secret"), s.Name);
                    break;
                case AdminV3.EndpointsConfigDump.Types.DynamicEndpointConfig e:
                    AddAny(ResourceKind.Endpoint, e.EndpointConfig, entryAt.Append("endpoint_config"), null);
                    break;
                case AdminV3.EcdsConfigDump.Types.EcdsFilterConfig e:
                    AddAny(ResourceKind.Ecds, e.EcdsFilter, entryAt.Append("ecds_filter"), null);
                    break;
                default:
                    throw new ArgumentException($"{element.Descriptor.FullName} is not an element of a streamed section field.", nameof(element));
            }
        }

        private void AddAll(ResourceKind kind, IEnumerable<Any?> anys, string list, string field, bool indexLast = false)
        {
            var i = 0;
            foreach (var any in anys)
            {
                var listPointer = list.Split('/').Aggregate(_at, (p, t) => p.Append(t));
                var pointer = indexLast ? listPointer.Append(field).Append(i) : listPointer.Append(i).Append(field);
                AddAny(kind, any, pointer, null);
                i++;
            }
        }

        private void AddAny(ResourceKind kind, Any? any, JsonPointer pointer, string? fallbackName)
        {
            if (any is null)
            {
                return;
            }

            var message = _read.Unpacked(any);
            var name = NameOf(message) ?? fallbackName ?? pointer.Value;
            var at = CanonicalJson.NormalizePointer(pointer.Value);
            var raw = RawUnder(at);
            // The reader packs the Any's bytes itself; the kept message is only a fallback for an Any it did not pack.
            var typeUrl = any.TypeUrl;
            var payload = any.Value.IsEmpty && message is not null ? message.ToByteArray() : any.Value.Memory;
            var fingerprint = Fingerprint(typeUrl, payload.Span, raw, out var payloadOffset);
            var rawMap = raw is null ? null : _raw;
            _out.Add(new CanonicalResource(kind, name, fingerprint, Load, pointer) { Redacted = RedactedUnder(pointer) });

            // The tree is rebuilt from the fingerprint's own bytes, so equal fingerprints cannot give different trees.
            JsonObject Load() => new CanonicalJson(SnapshotDecoder.Resolver, rawMap)
                .Any(new Any { TypeUrl = typeUrl, Value = UnsafeByteOperations.UnsafeWrap(fingerprint.Slice(payloadOffset, payload.Length)) }, at);
        }

        private void AddMessage(ResourceKind kind, string name, IMessage message, JsonPointer pointer)
        {
            var at = CanonicalJson.NormalizePointer(pointer.Value);
            var raw = RawUnder(at);
            var rawMap = raw is null ? null : _raw;
            var fingerprint = Fingerprint(message.Descriptor.FullName, message.ToByteArray(), raw, out _);
            _out.Add(new CanonicalResource(kind, name, fingerprint, () => new CanonicalJson(SnapshotDecoder.Resolver, rawMap).Message(message, at), pointer)
            {
                Redacted = RedactedUnder(pointer),
            });
        }

        /// <summary>The redacted places inside the resource at <paramref name="pointer"/>, relative to it.</summary>
        private List<string> RedactedUnder(JsonPointer pointer)
        {
            if (_redacted.Count == 0)
            {
                return [];
            }

            var prefix = pointer.Value[_at.Value.Length..] + "/";
            return _redacted.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p[(prefix.Length - 1)..]).ToList();
        }

        /// <summary>
        /// The unknown-type payloads inside the resource at <paramref name="at"/> (normalized pointer), as pointers
        /// relative to it with their JSON in fingerprint form (keys sorted, compact), in ordinal order of pointer; null
        /// when there are none.
        /// </summary>
        private List<(string Place, string Json)>? RawUnder(string at)
        {
            if (_raw is null || _rawAncestors is null || !_rawAncestors.Contains(at))
            {
                return null;
            }

            var found = new List<(string, string)>();
            var i = Array.BinarySearch(_rawKeys, at, StringComparer.Ordinal);
            for (i = i < 0 ? ~i : i; i < _rawKeys.Length && _rawKeys[i].StartsWith(at, StringComparison.Ordinal); i++)
            {
                var key = _rawKeys[i];
                if (key.Length == at.Length || key[at.Length] == '/')
                {
                    found.Add((key[at.Length..], CanonicalJson.RawFingerprintText(_raw[key])));
                }
            }

            return found.Count > 0 ? found : null;
        }

        /// <summary>
        /// The fingerprint of a resource: everything its canonical tree is built from, length-prefixed so distinct
        /// inputs never encode alike — the full type name, the binary payload, then each unknown-type payload inside it
        /// (relative place and key-sorted JSON). Equal fingerprints therefore mean equal trees; unequal ones (a map
        /// encoded in another order, say) only mean "compare the trees".
        /// </summary>
        private static ReadOnlyMemory<byte> Fingerprint(string type, ReadOnlySpan<byte> payload, List<(string Place, string Json)>? raw, out int payloadOffset)
        {
            var utf8 = System.Text.Encoding.UTF8;
            var name = TypeResolver.FullNameOf(type);
            var size = utf8.GetByteCount(name) + 1 + 4 + payload.Length;
            foreach (var (place, json) in raw ?? [])
            {
                size += 4 + utf8.GetByteCount(place) + 4 + utf8.GetByteCount(json);
            }

            var result = new byte[size];
            var at = utf8.GetBytes(name, result);
            result[at++] = 0;
            BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(at), payload.Length);
            at += 4;
            payloadOffset = at;
            payload.CopyTo(result.AsSpan(at));
            at += payload.Length;
            foreach (var (place, json) in raw ?? [])
            {
                at += Prefixed(place, result.AsSpan(at));
                at += Prefixed(json, result.AsSpan(at));
            }

            return result;

            static int Prefixed(string text, Span<byte> into)
            {
                var n = System.Text.Encoding.UTF8.GetBytes(text, into[4..]);
                BinaryPrimitives.WriteInt32LittleEndian(into, n);
                return 4 + n;
            }
        }

        private static string? NameOf(IMessage? message) => message switch
        {
            Envoy.Config.Listener.V3.Listener l => l.Name,
            Envoy.Config.Cluster.V3.Cluster c => c.Name,
            Envoy.Config.Route.V3.RouteConfiguration r => r.Name,
            Envoy.Config.Route.V3.ScopedRouteConfiguration s => s.Name,
            Envoy.Config.Endpoint.V3.ClusterLoadAssignment e => e.ClusterName,
            Envoy.Extensions.TransportSockets.Tls.V3.Secret s => s.Name,
            Envoy.Config.Core.V3.TypedExtensionConfig t => t.Name,
            _ => null,
        } is { Length: > 0 } name ? name : null;
    }
}
