using System.Reflection;
using System.Text;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.TestKit;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyLens.ProtoJson.Tests;

/// <summary>Real config dumps from the shared corpus, read in place, each "configs" element as an Any.</summary>
public sealed class CorpusTests
{
    private static readonly TypeResolver EnvoyResolver = new([EnvoyMessageTypes.Table]);

    public static TheoryData<string> ListFormDumps() => new(
        "istio-compare-sidecar-configdump.json",
        "istio-compare-sidecar-configdump-diff.json",
        "istio-describe-http-config.json",
        "istio-1.5-envoy-1.13-configdump.json",
        "istio-2020-v2-camelcase-configdump.json",
        "kuma-dataplane-no-hds.json",
        "consul-troubleshoot-upstreams-configdump.json");

    [SkippableTheory]
    [MemberData(nameof(ListFormDumps))]
    public void Given_a_real_dump_When_each_config_is_read_as_any_Then_all_decode_and_whatever_is_untyped_points_into_the_file(string file)
    {
        var (document, results) = ReadConfigs(file, new ProtoJsonReader(EnvoyResolver));
        using var _ = document;

        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.NotNull(r.Message));
        Assert.All(results, r => Assert.DoesNotContain(r.Diagnostics, d => d.Level == DiagnosticLevel.Error));
        Assert.All(results, r => Assert.StartsWith("envoy.admin.v3.", r.Message!.Descriptor.FullName, StringComparison.Ordinal));

        var raw = results.SelectMany(r => r.RawPayloads).ToList();
        foreach (var payload in raw)
        {
            // Every raw payload is the exact text found at its pointer in the original document.
            var element = Resolve(document.RootElement, payload.Pointer);
            Assert.Equal(Minify(element.GetRawText()), Minify(payload.Json));
            Assert.Equal(file, payload.Source);
        }

        foreach (var diagnostic in results.SelectMany(r => r.Diagnostics).Where(d => d.Code == DiagnosticCodes.UnknownType))
        {
            Assert.Equal(diagnostic.TypeUrl, Resolve(document.RootElement, diagnostic.Pointer).GetProperty("@type").GetString());
            Assert.Contains(raw, p => p.Pointer == diagnostic.Pointer && p.TypeUrl == diagnostic.TypeUrl);
        }
    }

    [SkippableFact]
    public void Given_istio_sidecar_dump_When_read_Then_clusters_listeners_and_routes_are_typed_with_locations()
    {
        const string file = "istio-compare-sidecar-configdump.json";
        var reader = new ProtoJsonReader(EnvoyResolver, new ProtoJsonReaderOptions { TrackedTypes = new HashSet<string> { "envoy.config.cluster.v3.Cluster" } });
        var (document, results) = ReadConfigs(file, reader);
        using var _ = document;

        var result = results.Single(r => r.Message is Envoy.Admin.V3.ClustersConfigDump);
        var clusters = (Envoy.Admin.V3.ClustersConfigDump)result.Message!;
        Assert.NotEmpty(clusters.DynamicActiveClusters);
        foreach (var dynamic in clusters.DynamicActiveClusters)
        {
            var cluster = dynamic.Cluster.Unpack<Envoy.Config.Cluster.V3.Cluster>();
            Assert.False(string.IsNullOrEmpty(cluster.Name));
            var decoded = Assert.IsType<Envoy.Config.Cluster.V3.Cluster>(result.Unpacked(dynamic.Cluster));
            Assert.Equal(cluster, decoded);
            var at = result.LocationOf(decoded);
            Assert.NotNull(at);
            Assert.Equal(cluster.Name, Resolve(document.RootElement, at.Value).GetProperty("name").GetString());
        }

        var listeners = (Envoy.Admin.V3.ListenersConfigDump)results.Single(r => r.Message is Envoy.Admin.V3.ListenersConfigDump).Message!;
        var hcm = listeners.DynamicListeners
            .Select(l => l.ActiveState?.Listener?.Unpack<Envoy.Config.Listener.V3.Listener>())
            .SelectMany(l => l?.FilterChains ?? [])
            .SelectMany(c => c.Filters)
            .Where(f => f.TypedConfig?.Is(Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager.Descriptor) == true)
            .Select(f => f.TypedConfig.Unpack<Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager>())
            .ToList();
        Assert.NotEmpty(hcm);
        Assert.Contains(hcm.SelectMany(h => h.HttpFilters), f => f.Name == "envoy.filters.http.router");

        // Istio's own filter configs arrive wrapped in udpa.type.v1.TypedStruct, which is typed; its payload stays a Struct.
        Assert.Contains(hcm.SelectMany(h => h.HttpFilters), f => f.TypedConfig?.TypeUrl == "type.googleapis.com/udpa.type.v1.TypedStruct"
            && f.TypedConfig.Unpack<Udpa.Type.V1.TypedStruct>().TypeUrl == "type.googleapis.com/io.istio.http.peer_metadata.Config");
    }

    [SkippableFact]
    public void Given_istio_dump_with_an_unknown_istio_any_When_read_Then_it_is_reported_and_kept_raw()
    {
        var (document, results) = ReadConfigs("istio-describe-http-config.json", new ProtoJsonReader(EnvoyResolver));
        using var _ = document;

        var diagnostic = Assert.Single(results.SelectMany(r => r.Diagnostics), d => d.Code == DiagnosticCodes.UnknownType);
        Assert.Equal("type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange", diagnostic.TypeUrl);
        Assert.Equal("/configs/1/dynamic_active_clusters/0/cluster/filters/0/typed_config", diagnostic.Pointer.Value);
        var clusters = Assert.IsType<Envoy.Admin.V3.ClustersConfigDump>(results[1].Message);
        var cluster = clusters.DynamicActiveClusters[0].Cluster.Unpack<Envoy.Config.Cluster.V3.Cluster>();
        var kept = Assert.Single(cluster.Filters);
        Assert.Equal(("istio.metadata_exchange", diagnostic.TypeUrl), (kept.Name, kept.TypedConfig.TypeUrl));
        Assert.True(kept.TypedConfig.Value.IsEmpty);
    }

    [SkippableFact]
    public void Given_a_v2_era_dump_and_a_rename_When_read_Then_legacy_types_are_decoded_as_v3_with_info_diagnostics()
    {
        var resolver = new TypeResolver([EnvoyMessageTypes.Table], name => name switch
        {
            "envoy.api.v2.Cluster" => "envoy.config.cluster.v3.Cluster",
            "envoy.api.v2.Listener" => "envoy.config.listener.v3.Listener",
            "envoy.api.v2.RouteConfiguration" => "envoy.config.route.v3.RouteConfiguration",
            _ => null,
        });
        var (document, results) = ReadConfigs("istio-1.5-envoy-1.13-configdump.json", new ProtoJsonReader(resolver));
        using var _ = document;

        var diagnostics = results.SelectMany(r => r.Diagnostics).ToList();
        var legacy = diagnostics.Where(d => d.Code == DiagnosticCodes.LegacyType).ToList();
        Assert.Equal(4, legacy.Count);
        Assert.All(legacy, d => Assert.Equal(DiagnosticLevel.Info, d.Level));
        Assert.DoesNotContain(diagnostics, d => d.Code == DiagnosticCodes.UnknownType && d.TypeUrl!.EndsWith(".Cluster", StringComparison.Ordinal));
        var clusters = Assert.IsType<Envoy.Admin.V3.ClustersConfigDump>(results[1].Message);
        Assert.All(clusters.DynamicActiveClusters.Concat(clusters.StaticClusters.Select(s => new Envoy.Admin.V3.ClustersConfigDump.Types.DynamicCluster { Cluster = s.Cluster })),
            c => Assert.Equal("type.googleapis.com/envoy.config.cluster.v3.Cluster", c.Cluster.TypeUrl));
    }

    [SkippableTheory]
    [MemberData(nameof(ListFormDumps))]
    public void Given_real_dumps_When_google_parser_accepts_an_element_Then_our_message_is_identical(string file)
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus is not present.");
        using var document = JsonDocument.Parse(File.ReadAllBytes(TestPaths.CorpusFile("config_dump", file)));
        var parser = new JsonParser(JsonParser.Settings.Default.WithTypeRegistry(FullRegistry.Value));
        var reader = new ProtoJsonReader(EnvoyResolver);
        var compared = 0;

        foreach (var element in document.RootElement.GetProperty("configs").EnumerateArray())
        {
            var json = element.GetRawText();
            Any parsed;
            try
            {
                parsed = parser.Parse<Any>(json);
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or InvalidOperationException)
            {
                continue; // Google's parser gives up on the whole element at the first unknown type or field.
            }

            var ours = reader.Read(Any.Descriptor, Encoding.UTF8.GetBytes(json), file, JsonPointer.Root);
            Assert.Empty(ours.Diagnostics);
            Assert.Equal(parsed, ours.Message);
            compared++;
        }

        Skip.If(compared == 0, $"Google's parser accepted no element of {file}.");
    }

    private static readonly Lazy<TypeRegistry> FullRegistry = new(() => TypeRegistry.FromFiles(
        typeof(Envoy.Admin.V3.ConfigDump).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(FileDescriptor))
            .Select(p => (FileDescriptor)p!.GetValue(null)!)
            .ToArray()));

    private static (JsonDocument Document, List<ReadResult> Results) ReadConfigs(string file, ProtoJsonReader reader)
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus is not present.");
        var bytes = File.ReadAllBytes(TestPaths.CorpusFile("config_dump", file));
        var document = JsonDocument.Parse(bytes);
        var results = document.RootElement.GetProperty("configs").EnumerateArray()
            .Select((element, index) => reader.ReadAny(Encoding.UTF8.GetBytes(element.GetRawText()), file, JsonPointer.Parse("/configs/" + index)))
            .ToList();
        return (document, results);
    }

    private static string Minify(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);

    private static JsonElement Resolve(JsonElement root, JsonPointer pointer)
    {
        var current = root;
        foreach (var token in pointer.Tokens)
        {
            current = current.ValueKind == JsonValueKind.Array
                ? current[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)]
                : current.GetProperty(token);
        }

        return current;
    }
}
