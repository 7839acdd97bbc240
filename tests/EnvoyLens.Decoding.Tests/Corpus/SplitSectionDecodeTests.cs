using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.TestKit;

namespace EnvoyLens.Decoding.Tests.Corpus;

/// <summary>
/// A config dump section is read element by element (each dynamic resource redacted, read, mapped and dropped on its
/// own, several at a time across the cores); the model and the diagnostics must be exactly those of reading each
/// section whole, for every real dump of the corpus and for the shapes the splitter refuses.
/// </summary>
public sealed class SplitSectionDecodeTests
{
    private static readonly JsonSerializerOptions Dump = new()
    {
        WriteIndented = true,
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
        Converters = { new JsonStringEnumConverter() },
    };

    public static TheoryData<string> CorpusDumps() => CorpusDecodeTests.CorpusDumps();

    [SkippableTheory]
    [MemberData(nameof(CorpusDumps))]
    public void Given_a_corpus_dump_When_its_sections_are_read_element_by_element_Then_the_model_and_diagnostics_equal_whole_sections(string relative)
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus is not present.");
        var content = File.ReadAllBytes(Path.Combine(TestPaths.Corpus!, relative));

        AssertSame(content, relative);
    }

    public static TheoryData<string, string> Shapes() => new()
    {
        {
            "dynamic clusters before the static ones, camelCase keys, an element with an unknown field and one rejected",
            """
            {"configs":[{"dynamicActiveClusters":[
              {"versionInfo":"7","cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"a","bogus":1,"connect_timeout":"1s"}},
              {"versionInfo":"7","cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"b","type":"NOT_A_TYPE"}}],
             "@type":"type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
             "static_clusters":[{"cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"s"}}],
             "dynamic_warming_clusters":[{"error_state":{"details":"bad","failed_configuration":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"w"}}}]}]}
            """
        },
        {
            "a field given under both of its names (read whole)",
            """
            {"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
             "dynamic_active_clusters":[{"cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"a"}}],
             "dynamicActiveClusters":[{"cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"b"}}]}]}
            """
        },
        {
            "@type given twice, naming two sections (read whole)",
            """
            {"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
             "dynamic_active_clusters":[{"cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"a"}}],
             "@type":"type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
             "dynamic_listeners":[{"name":"l","active_state":{"listener":{"@type":"type.googleapis.com/envoy.config.listener.v3.Listener","name":"l"}}}]}]}
            """
        },
        {
            "an array holding a non-object (read whole)",
            """
            {"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.RoutesConfigDump",
             "dynamic_route_configs":[{"route_config":{"@type":"type.googleapis.com/envoy.config.route.v3.RouteConfiguration","name":"r"}}, 3]}]}
            """
        },
        {
            "listeners in three states, a secret with a private key, endpoints and ECDS",
            """
            {"configs":[
             {"@type":"type.googleapis.com/envoy.admin.v3.ListenersConfigDump","dynamic_listeners":[
               {"name":"l1","active_state":{"listener":{"@type":"type.googleapis.com/envoy.config.listener.v3.Listener","name":"l1","address":{"socket_address":{"address":"0.0.0.0","port_value":80}}}},
                "warming_state":{"listener":{"@type":"type.googleapis.com/envoy.config.listener.v3.Listener","name":"l1"}}},
               {"name":"l2","error_state":{"details":"no"}}]},
             {"@type":"type.googleapis.com/envoy.admin.v3.SecretsConfigDump","dynamic_active_secrets":[
               {"name":"default","secret":{"@type":"type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret","name":"default",
                 "tls_certificate":{"private_key":{"inline_string":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}}}}]},
             {"@type":"type.googleapis.com/envoy.admin.v3.EndpointsConfigDump","dynamic_endpoint_configs":[
               {"endpoint_config":{"@type":"type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment","cluster_name":"c",
                 "endpoints":[{"lb_endpoints":[{"endpoint":{"address":{"socket_address":{"address":"10.0.0.1","port_value":9080}}}}]}]}}]},
             {"@type":"type.googleapis.com/envoy.admin.v3.EcdsConfigDump","ecds_filters":[
               {"ecds_filter":{"@type":"type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig","name":"f","typed_config":{"@type":"type.googleapis.com/unknown.Type","x":1}}}]}]}
            """
        },
    };

    [SkippableTheory]
    [MemberData(nameof(CorpusDumps))]
    public void Given_a_corpus_dump_When_its_entries_are_split_and_prechecked_from_the_layout_outline_Then_each_equals_its_own_pass(string relative)
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus is not present.");
        var content = File.ReadAllBytes(Path.Combine(TestPaths.Corpus!, relative));

        AssertOutlineSplitsSame(content, relative);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Given_a_section_shape_When_split_from_the_layout_outline_Then_it_equals_the_splitters_own_pass(string what, string json)
    {
        AssertOutlineSplitsSame(Encoding.UTF8.GetBytes(json), what);
    }

    [Fact]
    public void Given_a_plain_dump_When_laid_out_Then_each_entry_carries_an_outline_and_its_split_comes_from_it()
    {
        var json = Encoding.UTF8.GetBytes("""
            {"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
             "dynamic_active_clusters":[{"cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"a"}},
                                        {"cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"b"}}]}]}
            """);

        var layout = EnvoyLens.Decoding.Documents.ConfigDumpDocument.Read(json, "x.json");

        var entry = Assert.Single(layout.Entries);
        Assert.NotNull(entry.Outline);
        var split = EnvoyLens.Decoding.Documents.SectionSplitter.Of(entry, layout.EntryBytes(entry), layout.EntryBytes(entry), EnvoyLens.Decoding.Normalize.ConfigDumpNormalizer.StreamedFields);
        Assert.NotNull(split);
        Assert.Equal(2, split.Elements.Count);
        var first = split.Elements[0];
        Assert.StartsWith("{\"cluster\"", Encoding.UTF8.GetString(layout.EntryBytes(entry).Span.Slice(first.Offset, first.Length)), StringComparison.Ordinal);
        Assert.Contains("\"dynamic_active_clusters\":[]", Encoding.UTF8.GetString(split.Shell), StringComparison.Ordinal);
    }

    private static void AssertOutlineSplitsSame(byte[] content, string what)
    {
        var layout = EnvoyLens.Decoding.Documents.ConfigDumpDocument.Read(content, what);
        foreach (var entry in layout.Entries)
        {
            var bytes = layout.EntryBytes(entry);
            var fromOutline = EnvoyLens.Decoding.Documents.SectionSplitter.Of(entry, bytes, bytes, EnvoyLens.Decoding.Normalize.ConfigDumpNormalizer.StreamedFields);
            var ownPass = EnvoyLens.Decoding.Documents.SectionSplitter.TrySplit(bytes, EnvoyLens.Decoding.Normalize.ConfigDumpNormalizer.StreamedFields);

            // The v2-era pre-check shares its walk out by the same outline.
            Assert.Equal(EnvoyLens.Decoding.Documents.LegacyConfigs.MayApply(bytes, null), EnvoyLens.Decoding.Documents.LegacyConfigs.MayApply(bytes, entry.Outline));

            Assert.Equal(ownPass is null, fromOutline is null);
            if (ownPass is not null)
            {
                Assert.Equal(ownPass.Shell, fromOutline!.Shell);
                Assert.Same(ownPass.Fields, fromOutline.Fields);
                Assert.Equal(ownPass.Elements, fromOutline.Elements);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Given_a_section_shape_When_read_element_by_element_Then_it_equals_whole_sections(string what, string json)
    {
        AssertSame(Encoding.UTF8.GetBytes(json), what);
    }

    [Fact]
    public void Given_many_elements_When_read_in_parallel_batches_Then_the_order_is_the_document_order()
    {
        var clusters = string.Join(",", Enumerable.Range(0, 300).Select(i =>
            $$$"""{"cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"c{{{i:D3}}}","bogus{{{i}}}":1}}"""));
        var json = $$$"""{"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.ClustersConfigDump","dynamic_active_clusters":[{{{clusters}}}]}]}""";

        var snapshot = SnapshotDecoder.Decode(Raw(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"c{i:D3}"), snapshot.Clusters.Select(c => c.Name));
        Assert.Equal(
            Enumerable.Range(0, 300).Select(i => $"/configs/0/dynamic_active_clusters/{i}/cluster/bogus{i}"),
            snapshot.Diagnostics.Where(d => d.Message.Contains("bogus", StringComparison.Ordinal)).Select(d => d.Pointer.Value));
        AssertSame(Encoding.UTF8.GetBytes(json), "300 clusters");
    }

    private static void AssertSame(byte[] content, string what)
    {
        var split = SnapshotDecoder.Decode(Raw(content), null, wholeSections: false);
        var whole = SnapshotDecoder.Decode(Raw(content), null, wholeSections: true);

        // Something was read, so that the comparison below compares something.
        Assert.True(whole.Diagnostics.Count + whole.Clusters.Count + whole.Listeners.Count + whole.RouteConfigs.Count + whole.Secrets.Count + whole.Ecds.Count > 0, what);
        Assert.Equal(Lines(whole.Diagnostics.Select(d => $"{d.Level} {d.Code} {d.Pointer} {d.Message}")), Lines(split.Diagnostics.Select(d => $"{d.Level} {d.Code} {d.Pointer} {d.Message}")));
        Assert.Equal(JsonSerializer.Serialize(whole, Dump), JsonSerializer.Serialize(split, Dump));

        // The comparable resources diff reads: same resources, fingerprints, redacted places, trees and diagnostics.
        var splitCanonical = Canonical.CanonicalReader.Read(Raw(content), null, wholeSections: false);
        var wholeCanonical = Canonical.CanonicalReader.Read(Raw(content), null, wholeSections: true);
        Assert.Equal(Lines(wholeCanonical.Diagnostics.Select(d => $"{d.Level} {d.Code} {d.Pointer} {d.Message}")), Lines(splitCanonical.Diagnostics.Select(d => $"{d.Level} {d.Code} {d.Pointer} {d.Message}")));
        Assert.Equal(Lines(wholeCanonical.Resources.Select(Describe)), Lines(splitCanonical.Resources.Select(Describe)));
    }

    private static string Describe(CanonicalResource r) =>
        $"{r.Kind} {r.Name} {r.Pointer} {Convert.ToHexString(r.Fingerprint?.ToArray() ?? [])} [{string.Join(",", r.Redacted)}] {r.Load().ToJsonString()}";

    private static string Lines(IEnumerable<string> lines) => string.Join('\n', lines);

    private static RawSnapshot Raw(byte[] content) =>
        new("dump.json", [new RawDocument(AdminEndpoint.ConfigDump, "dump.json", content)]);
}
