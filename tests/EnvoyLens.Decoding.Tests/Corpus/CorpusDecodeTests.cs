using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.TestKit;

namespace EnvoyLens.Decoding.Tests.Corpus;

/// <summary>
/// Every config dump in the shared corpus (top level and golden inputs) decodes end to end through
/// <see cref="SnapshotDecoder"/>: no exception, nothing unreadable, counts that agree with an independent count
/// of the JSON, and every untyped payload reported with its place.
/// </summary>
public sealed class CorpusDecodeTests
{
    public static TheoryData<string> CorpusDumps()
    {
        var data = new TheoryData<string>();
        var files = DumpFiles().ToList();
        foreach (var file in files.Count == 0 ? ["(corpus absent)"] : files)
        {
            data.Add(file);
        }

        return data;
    }

    private static IEnumerable<string> DumpFiles() =>
        TestPaths.Corpus is not { } corpus
            ? []
            : Directory.GetFiles(Path.Combine(corpus, "config_dump"), "*.json")
                .Concat(Directory.GetFiles(Path.Combine(corpus, "golden"), "configdump.json", SearchOption.AllDirectories))
                .Select(f => Path.GetRelativePath(corpus, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal);

    /// <summary>The corpus dumps in the v3 array form, whose resources can be counted independently.</summary>
    public static TheoryData<string> V3ArrayDumps()
    {
        var data = new TheoryData<string>();
        foreach (var relative in DumpFiles().Where(IsV3Array))
        {
            data.Add(relative);
        }

        if (data.Count == 0)
        {
            data.Add("(corpus absent)");
        }

        return data;
    }

    private static bool IsV3Array(string relative)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TestPaths.CorpusFile(relative.Split('/'))));
        return TryFindConfigs(doc.RootElement, out var configs) && configs.ValueKind == JsonValueKind.Array &&
               !configs.EnumerateArray().Any(c => TypeOf(c).Contains("v2alpha", StringComparison.Ordinal));
    }

    private static EnvoySnapshot Decode(string relative, out byte[] bytes)
    {
        bytes = File.ReadAllBytes(TestPaths.CorpusFile(relative.Split('/')));
        return SnapshotDecoder.Decode(new RawSnapshot(relative, [new RawDocument(AdminEndpoint.ConfigDump, relative, bytes)]));
    }

    [SkippableTheory]
    [MemberData(nameof(CorpusDumps))]
    public void GivenACorpusDump_WhenDecoded_ThenItIsReadAndEveryUntypedPayloadIsReported(string relative)
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus (../shared/corpus) is not present.");

        var snapshot = Decode(relative, out _);

        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Code == DiagnosticCodes.UnreadableDocument);
        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Level == DiagnosticLevel.Error);
        Assert.NotNull(snapshot.ConfigDump);
        Assert.NotEmpty(snapshot.ConfigDump!.Sections);
        Assert.Equal([relative], snapshot.Sources);

        // Nothing dropped silently: each raw payload has a diagnostic at the same place, and unknown types name their URL.
        foreach (var raw in snapshot.RawPayloads)
        {
            Assert.Contains(snapshot.Diagnostics, d => d.Pointer == raw.Pointer && d.Source == raw.Source);
            Assert.False(string.IsNullOrEmpty(raw.Json));
        }

        Assert.All(snapshot.Diagnostics.Where(d => d.Code == DiagnosticCodes.UnknownType), d => Assert.False(string.IsNullOrEmpty(d.TypeUrl)));
    }

    [SkippableTheory]
    [MemberData(nameof(V3ArrayDumps))]
    public void GivenAV3CorpusDump_ThenResourceCountsAgreeWithAnIndependentCountOfTheJson(string relative)
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus (../shared/corpus) is not present.");

        var snapshot = Decode(relative, out var bytes);
        using var doc = JsonDocument.Parse(bytes);
        Assert.True(TryFindConfigs(doc.RootElement, out var configs));

        var expected = new Dictionary<string, int>();
        foreach (var section in configs.EnumerateArray())
        {
            var type = TypeOf(section);
            var kind = type[(type.LastIndexOf('.') + 1)..];
            switch (kind)
            {
                case "ClustersConfigDump":
                    Add(expected, "clusters", Count(section, "static_clusters", "staticClusters", "cluster") +
                                              Count(section, "dynamic_active_clusters", "dynamicActiveClusters", "cluster") +
                                              Count(section, "dynamic_warming_clusters", "dynamicWarmingClusters", "cluster"));
                    break;
                case "ListenersConfigDump":
                    var listeners = Count(section, "static_listeners", "staticListeners", "listener");
                    foreach (var dynamic in Items(section, "dynamic_listeners", "dynamicListeners"))
                    {
                        var states = new[] { "active_state", "warming_state", "draining_state" }.Count(s => Has(dynamic, s));
                        listeners += states > 0 ? states : Has(dynamic, "error_state") ? 1 : 0;
                    }

                    Add(expected, "listeners", listeners);
                    break;
                case "RoutesConfigDump":
                    Add(expected, "routes", Count(section, "static_route_configs", "staticRouteConfigs", "route_config") +
                                            Count(section, "dynamic_route_configs", "dynamicRouteConfigs", "route_config"));
                    break;
                case "SecretsConfigDump":
                    Add(expected, "secrets", Count(section, "static_secrets", "staticSecrets", "secret") +
                                             Count(section, "dynamic_active_secrets", "dynamicActiveSecrets", "secret") +
                                             Count(section, "dynamic_warming_secrets", "dynamicWarmingSecrets", "secret"));
                    break;
                case "EcdsConfigDump":
                    Add(expected, "ecds", Count(section, "ecds_filters", "ecdsFilters", "ecds_filter"));
                    break;
            }
        }

        Assert.Equal(expected.GetValueOrDefault("clusters"), snapshot.Clusters.Count);
        Assert.Equal(expected.GetValueOrDefault("listeners"), snapshot.Listeners.Count);
        Assert.Equal(expected.GetValueOrDefault("routes"), snapshot.RouteConfigs.Count);
        Assert.Equal(expected.GetValueOrDefault("secrets"), snapshot.Secrets.Count);
        Assert.Equal(expected.GetValueOrDefault("ecds"), snapshot.Ecds.Count);
    }

    [SkippableFact]
    public void GivenADumpWithAnUnregisteredIstioType_ThenItIsKeptRawWithItsTypeUrlAndPointer()
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus (../shared/corpus) is not present.");

        var snapshot = Decode("config_dump/istio-describe-http-config.json", out var bytes);

        var unknown = Assert.Single(snapshot.Diagnostics, d => d.Code == DiagnosticCodes.UnknownType);
        Assert.Equal("type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange", unknown.TypeUrl);
        var raw = Assert.Single(snapshot.RawPayloads, r => r.TypeUrl == unknown.TypeUrl);
        Assert.Equal(unknown.Pointer, raw.Pointer);

        // The pointer leads to exactly that object in the original document.
        using var doc = JsonDocument.Parse(bytes);
        var at = raw.Pointer.Tokens.Aggregate(doc.RootElement, (e, t) => e.ValueKind == JsonValueKind.Array ? e[int.Parse(t, System.Globalization.CultureInfo.InvariantCulture)] : e.GetProperty(t));
        Assert.Equal(unknown.TypeUrl, at.GetProperty("@type").GetString());

        // The cluster holding it (as an upstream filter) is still decoded, with everything else in the dump.
        var cluster = Assert.Single(snapshot.Clusters);
        Assert.StartsWith(cluster.Meta.Pointer.Value + "/", raw.Pointer.Value, StringComparison.Ordinal);
        Assert.NotEmpty(snapshot.RouteConfigs);
    }

    [SkippableFact]
    public void GivenAnEgctlWrappedDump_ThenTheProxyPickedIsNamed()
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus (../shared/corpus) is not present.");

        var snapshot = Decode("config_dump/envoy-gateway-egctl-translate.all.json", out _);

        var note = Assert.Single(snapshot.Diagnostics, d => d.Code == DiagnosticCodes.Interpretation);
        Assert.Contains("default/eg", note.Message, StringComparison.Ordinal);
        Assert.NotEmpty(snapshot.Clusters);
        Assert.NotEmpty(snapshot.Listeners);
        Assert.All(snapshot.Clusters, c => Assert.StartsWith("/xds/default~1eg/configs/", c.Meta.Pointer.Value, StringComparison.Ordinal));
    }

    [SkippableFact]
    public void GivenACamelCaseV2Dump_ThenLegacyTypesAreReadAsV3AndSaidSo()
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus (../shared/corpus) is not present.");

        var snapshot = Decode("config_dump/istio-2020-v2-camelcase-configdump.json", out _);

        Assert.Contains(snapshot.Diagnostics, d => d.Code == DiagnosticCodes.LegacyType && d.Message.Contains("envoy.api.v2.Cluster", StringComparison.Ordinal));
        Assert.NotEmpty(snapshot.Clusters);
        Assert.Contains(snapshot.Clusters, c => c.Meta.Pointer.Value.Contains("dynamicActiveClusters", StringComparison.Ordinal));
    }

    private static bool TryFindConfigs(JsonElement root, out JsonElement configs)
    {
        if (root.TryGetProperty("configs", out configs))
        {
            return true;
        }

        foreach (var level1 in root.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object))
        {
            foreach (var level2 in level1.Value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object))
            {
                if (level2.Value.TryGetProperty("configs", out configs))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string TypeOf(JsonElement section) =>
        section.TryGetProperty("@type", out var t) ? t.GetString() ?? "" : "";

    private static IEnumerable<JsonElement> Items(JsonElement section, string snake, string camel) =>
        section.TryGetProperty(snake, out var a) || section.TryGetProperty(camel, out a) ? a.EnumerateArray() : [];

    private static int Count(JsonElement section, string snake, string camel, string inner) =>
        Items(section, snake, camel).Count(e => Has(e, inner));

    private static bool Has(JsonElement e, string snakeName)
    {
        var camel = string.Concat(snakeName.Split('_').Select((p, i) => i == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
        return e.TryGetProperty(snakeName, out _) || e.TryGetProperty(camel, out _);
    }

    private static void Add(Dictionary<string, int> counts, string key, int n) => counts[key] = counts.GetValueOrDefault(key) + n;
}
