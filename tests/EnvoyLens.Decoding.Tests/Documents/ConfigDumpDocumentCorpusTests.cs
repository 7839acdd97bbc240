using System.Text.Json;
using EnvoyLens.Decoding.Documents;
using EnvoyLens.TestKit;

namespace EnvoyLens.Decoding.Tests.Documents;

/// <summary>Every config dump of the shared corpus: entry counts and type URLs as a DOM reading of the same file sees them.</summary>
public sealed class ConfigDumpDocumentCorpusTests
{
    /// <summary>Path below the corpus, expected entry count (as python's json module counts <c>configs</c>), expected form.</summary>
    public static TheoryData<string, int, string> CorpusDumps() => new()
    {
        { "config_dump/consul-troubleshoot-upstreams-configdump.json", 2, "configs-array" },
        { "config_dump/envoy-gateway-egctl-translate.all.json", 5, "egctl-xds+configs-array" },
        { "config_dump/istio-1.5-envoy-1.13-configdump.json", 6, "configs-array" },
        { "config_dump/istio-2018-v2-mapform-configdump.json", 4, "configs-map" },
        { "config_dump/istio-2020-v2-camelcase-configdump.json", 5, "configs-array" },
        { "config_dump/istio-2023-secrets-only.json", 1, "configs-array" },
        { "config_dump/istio-compare-sidecar-configdump-diff.json", 3, "configs-array" },
        { "config_dump/istio-compare-sidecar-configdump.json", 3, "configs-array" },
        { "config_dump/istio-describe-http-config.json", 3, "configs-array" },
        { "config_dump/istio-describe-tls-routes.json", 1, "configs-array" },
        { "config_dump/kuma-dataplane-no-hds.json", 4, "configs-array" },
        { "golden/istio-proxyconfig-ecds/configdump.json", 3, "configs-array" },
        { "golden/istio-proxyconfig-routes/empty-gateway/configdump.json", 1, "configs-array" },
        { "golden/istio-proxyconfig-routes/istio-gateway-http-route-prefix/configdump.json", 1, "configs-array" },
        { "golden/istio-proxyconfig-routes/k8s-gateway-http-route-path-prefix/configdump.json", 1, "configs-array" },
    };

    [SkippableTheory]
    [MemberData(nameof(CorpusDumps))]
    public void Given_a_corpus_dump_When_read_Then_entries_match_a_DOM_reading(string file, int expectedCount, string expectedForm)
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var bytes = File.ReadAllBytes(TestPaths.CorpusFile(file.Split('/')));

        var layout = ConfigDumpDocument.Read(bytes, file);

        Assert.Equal(expectedForm, layout.Form);
        Assert.Equal(expectedCount, layout.Entries.Count);
        using var dom = JsonDocument.Parse(bytes);
        var (configs, prefix) = FindConfigs(dom.RootElement);
        var expected = configs.ValueKind == JsonValueKind.Array
            ? configs.EnumerateArray().Select((e, i) => (Pointer: $"{prefix}/configs/{i}", Type: e.GetProperty("@type").GetString(), Raw: e.GetRawText())).ToList()
            : configs.EnumerateObject().Select(p => (Pointer: $"{prefix}/configs/{p.Name}", Type: p.Value.GetProperty("@type").GetString(), Raw: p.Value.GetRawText())).ToList();
        Assert.Equal(expected.Select(e => e.Type), layout.Entries.Select(e => e.TypeUrl));
        Assert.Equal(expected.Select(e => e.Pointer), layout.Entries.Select(e => e.Pointer.Value));
        for (var i = 0; i < expected.Count; i++)
        {
            // The recorded byte range is exactly the entry: it parses alone and has the same content.
            using var slice = JsonDocument.Parse(layout.EntryBytes(layout.Entries[i]));
            Assert.Equal(Normalize(expected[i].Raw), Normalize(slice.RootElement.GetRawText()));
        }
    }

    [SkippableFact]
    public void Given_the_2018_map_form_When_read_Then_map_keys_and_v2alpha_types_are_kept()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var file = TestPaths.CorpusFile("config_dump", "istio-2018-v2-mapform-configdump.json");

        var layout = ConfigDumpDocument.Read(File.ReadAllBytes(file), "mapform.json");

        Assert.Equal(["listeners", "clusters", "bootstrap", "routes"], layout.Entries.Select(e => e.MapKey));
        Assert.Equal("/configs/clusters", layout.Entries[1].Pointer.Value);
        Assert.Equal("type.googleapis.com/envoy.admin.v2alpha.ClustersConfigDump", layout.Entries[1].TypeUrl);
        Assert.Null(layout.SelectedProxy);
        Assert.Empty(layout.AvailableProxies);
    }

    [SkippableFact]
    public void Given_egctl_translate_output_When_read_without_a_proxy_Then_the_only_proxy_is_picked_and_said()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var file = TestPaths.CorpusFile("config_dump", "envoy-gateway-egctl-translate.all.json");

        var layout = ConfigDumpDocument.Read(File.ReadAllBytes(file), "translate.json");

        Assert.Equal("default/eg", layout.SelectedProxy);
        Assert.Equal(["default/eg"], layout.AvailableProxies);
        Assert.Equal("/xds/default~1eg/configs/0", layout.Entries[0].Pointer.Value);
        Assert.Equal("type.googleapis.com/envoy.admin.v3.EndpointsConfigDump", layout.Entries[1].TypeUrl);
        var note = Assert.Single(layout.Diagnostics);
        Assert.Equal(Core.DiagnosticCodes.Interpretation, note.Code);
        Assert.Equal(Core.DiagnosticLevel.Info, note.Level);
        Assert.Contains("default/eg", note.Message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("default/eg")]
    [InlineData("eg.default")]
    [InlineData("eg")]
    public void Given_egctl_translate_output_When_a_proxy_is_named_Then_it_is_selected_silently(string proxy)
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var file = TestPaths.CorpusFile("config_dump", "envoy-gateway-egctl-translate.all.json");

        var layout = ConfigDumpDocument.Read(File.ReadAllBytes(file), "translate.json", proxy);

        Assert.Equal("default/eg", layout.SelectedProxy);
        Assert.Equal(5, layout.Entries.Count);
        Assert.Empty(layout.Diagnostics);
    }

    [SkippableFact]
    public void Given_a_clusters_document_When_read_as_a_dump_Then_the_error_names_its_top_level_keys()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var bytes = File.ReadAllBytes(TestPaths.CorpusFile("clusters", "consul-dataplane-clusters.json"));

        var ex = Assert.Throws<Core.EnvoyLensException>(() => ConfigDumpDocument.Read(bytes, "clusters.json"));

        Assert.StartsWith("clusters.json is not a config dump", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"cluster_statuses\"", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Given_a_corpus_dump_cut_in_half_When_read_Then_it_is_reported_truncated_at_its_length()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var bytes = File.ReadAllBytes(TestPaths.CorpusFile("config_dump", "kuma-dataplane-no-hds.json"));
        var half = bytes[..(bytes.Length / 2)];

        var ex = Assert.Throws<Core.EnvoyLensException>(() => ConfigDumpDocument.Read(half, "kuma.json"));

        Assert.Equal($"kuma.json is truncated: the JSON ends at byte {half.Length} before the document is complete.", ex.Message);
    }

    private static (JsonElement Configs, string Prefix) FindConfigs(JsonElement root)
    {
        if (root.TryGetProperty("configs", out var configs))
        {
            return (configs, "");
        }

        // egctl: {"xds": {"<name>": {"configs": ...}}}
        var outer = root.EnumerateObject().First();
        var inner = outer.Value.EnumerateObject().First();
        return (inner.Value.GetProperty("configs"), "/" + outer.Name + "/" + inner.Name.Replace("/", "~1", StringComparison.Ordinal));
    }

    private static string Normalize(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}
