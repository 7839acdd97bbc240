using System.Text.Json.Nodes;
using CsCheck;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Diff.Tests;

/// <summary>
/// The fingerprint fast path: resources with equal fingerprints are skipped without building a tree, so equal
/// fingerprints must mean equal canonical trees, including for resources holding payloads of unknown types.
/// </summary>
public sealed class FingerprintTests
{
    private const string IstioFilter =
        """{ "name": "istio.metadata_exchange", "typed_config": { "@type": "type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange", "protocol": "PROTOCOL" } }""";

    [Fact]
    public void Given_a_cluster_holding_an_unknown_type_When_only_its_connect_timeout_changes_Then_the_change_is_found()
    {
        var before = Dump(Cluster("reviews", "5s", IstioFilter.Replace("PROTOCOL", "istio-peer-exchange", StringComparison.Ordinal)));
        var after = Dump(Cluster("reviews", "17s", IstioFilter.Replace("PROTOCOL", "istio-peer-exchange", StringComparison.Ordinal)));

        var change = Assert.Single(Captures.Diff(before, after).Changes);

        Assert.Equal((ResourceKind.Cluster, "reviews", ChangeType.Changed, "/connect_timeout", "\"5s\"", "\"17s\""),
            (change.Kind, change.Name, change.Type, change.Path, change.Old, change.New));
    }

    [Fact]
    public void Given_two_clusters_holding_unknown_types_When_only_one_changes_Then_only_that_one_is_reported()
    {
        var filter = IstioFilter.Replace("PROTOCOL", "istio-peer-exchange", StringComparison.Ordinal);
        var before = Dump(Cluster("a", "5s", filter), Cluster("b", "5s", filter));
        var after = Dump(Cluster("a", "5s", filter), Cluster("b", "6s", filter));

        var change = Assert.Single(Captures.Diff(before, after).Changes);

        Assert.Equal(("b", "/connect_timeout"), (change.Name, change.Path));
    }

    [Fact]
    public void Given_a_cluster_When_only_the_raw_content_of_its_unknown_type_payload_changes_Then_the_change_is_found()
    {
        var before = Dump(Cluster("reviews", "5s", IstioFilter.Replace("PROTOCOL", "istio-peer-exchange", StringComparison.Ordinal)));
        var after = Dump(Cluster("reviews", "5s", IstioFilter.Replace("PROTOCOL", "something-else", StringComparison.Ordinal)));

        var change = Assert.Single(Captures.Diff(before, after).Changes);

        Assert.Equal("/filters/istio.metadata_exchange/typed_config/protocol", change.Path);
    }

    [Fact]
    public void Given_the_same_cluster_with_keys_and_raw_payloads_in_another_order_When_read_Then_the_fingerprints_are_equal_and_present()
    {
        var filter = IstioFilter.Replace("PROTOCOL", "istio-peer-exchange", StringComparison.Ordinal);
        var a = Captures.FromJson(Dump(Cluster("reviews", "5s", filter))).Resources.Single(r => r.Kind == ResourceKind.Cluster);
        // The unknown-type payload is also reordered and laid out differently: its raw text differs, its content not.
        var reordered = """
            { "filters": [ {
                "typed_config": {"protocol":"istio-peer-exchange","@type":"type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange"},
                "name": "istio.metadata_exchange" } ],
              "connect_timeout": "5s", "name": "reviews", "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster" }
            """;
        var b = Captures.FromJson(Dump(reordered)).Resources.Single(r => r.Kind == ResourceKind.Cluster);

        Assert.NotNull(a.Fingerprint);
        Assert.NotNull(b.Fingerprint);
        Assert.True(a.Fingerprint.Value.Span.SequenceEqual(b.Fingerprint.Value.Span));
    }

    [Fact]
    public void Given_an_empty_fingerprint_When_a_resource_is_made_Then_it_is_refused_because_it_would_equal_every_other()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new CanonicalResource(ResourceKind.Cluster, "x", ReadOnlyMemory<byte>.Empty, () => [], JsonPointer.Root));

        Assert.Equal("fingerprint", error.ParamName);
    }

    [Fact]
    public void Given_any_dump_and_a_mutation_When_two_resources_have_equal_fingerprints_Then_their_trees_are_equal() =>
        Gen.Select(Gen.Int[0, 100_000], Gen.Int[0, 1000], Gen.Int[0, 100_000]).Sample((seed, choice, shuffle) =>
        {
            var dump = GeneratedDump.Build(seed);
            var (mutated, _) = GeneratedDump.Mutate(dump, choice);
            var left = Captures.FromJson(GeneratedDump.Json(dump)).Resources.ToDictionary(r => (r.Kind, r.Name));
            var right = Captures.FromJson(GeneratedDump.Json(GeneratedDump.Shuffle(mutated, shuffle))).Resources;

            foreach (var b in right)
            {
                var a = left[(b.Kind, b.Name)];
                Assert.NotNull(a.Fingerprint);
                Assert.NotNull(b.Fingerprint);
                if (a.Fingerprint.Value.Span.SequenceEqual(b.Fingerprint.Value.Span))
                {
                    Assert.True(JsonNode.DeepEquals(a.Load(), b.Load()), $"{b.Kind} {b.Name}: equal fingerprints, different trees");
                }
            }
        }, iter: 60);

    private static string Cluster(string name, string timeout, string filter) =>
        $$"""{ "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "{{name}}", "connect_timeout": "{{timeout}}", "filters": [{{filter}}] }""";

    private static string Dump(params string[] clusters) =>
        $$"""
        { "configs": [ { "@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
          "dynamic_active_clusters": [ {{string.Join(", ", clusters.Select(c => $$"""{ "version_info": "1", "cluster": {{c}} }"""))}} ] } ] }
        """;
}
