using System.Text;
using EnvoyLens.Core;

namespace EnvoyLens.Decoding.Tests.Hostile;

/// <summary>Bytes that are not UTF-8 inside JSON strings are named (where, in which resource), not silently accepted.</summary>
public sealed class InvalidUtf8Tests
{
    private const string ClusterType = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    private static byte[] Dump(string secondName) => Encoding.UTF8.GetBytes(
        "{\"configs\":[{\"@type\":\"type.googleapis.com/envoy.admin.v3.ClustersConfigDump\",\"static_clusters\":[" +
        $"{{\"cluster\":{{\"@type\":\"{ClusterType}\",\"name\":\"first\",\"connect_timeout\":\"1s\"}}}}," +
        $"{{\"cluster\":{{\"@type\":\"{ClusterType}\",\"name\":\"{secondName}\",\"connect_timeout\":\"1s\"}}}}]}}]}}");

    [Fact]
    public void Given_a_cluster_name_with_a_byte_that_is_not_UTF8_When_decoded_Then_an_error_names_the_byte_and_the_value_and_the_other_clusters_stay()
    {
        var content = Dump("badXname");
        var at = Array.IndexOf(content, (byte)'X');
        content[at] = 0xff;

        var snapshot = SnapshotDecoder.Decode(new RawSnapshot("s", [new RawDocument(AdminEndpoint.ConfigDump, "dump.json", content)]));

        var error = Assert.Single(snapshot.Diagnostics, d => d.Level == DiagnosticLevel.Error);
        Assert.Equal("/configs/0/static_clusters/1/cluster/name", error.Pointer.Value);
        Assert.Equal($"dump.json has a byte that is not UTF-8 at byte {at} in the value at '/configs/0/static_clusters/1/cluster/name'; it was read as '?'.", error.Message);
        Assert.Equal(["first", "bad?name"], snapshot.Clusters.Select(c => c.Meta.Name));
        Assert.Equal(0xff, content[at]);
    }

    [Fact]
    public void Given_valid_UTF8_names_When_decoded_Then_no_diagnostic_is_added()
    {
        var snapshot = SnapshotDecoder.Decode(new RawSnapshot("s", [new RawDocument(AdminEndpoint.ConfigDump, "dump.json", Dump("bücher-ünd-日本"))]));

        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Level == DiagnosticLevel.Error);
        Assert.Equal(["first", "bücher-ünd-日本"], snapshot.Clusters.Select(c => c.Meta.Name));
    }

    public static TheoryData<string, string, string> LoneSurrogates() => new()
    {
        // What the JSON holds; the pointer named; the cluster name read.
        { "a high half alone in a name", "\"name\":\"a\\ud800b\"", "/configs/0/static_clusters/1/cluster/name" },
        { "a low half alone in a name", "\"name\":\"a\\uDC00b\"", "/configs/0/static_clusters/1/cluster/name" },
        { "a high half followed by a character that is not the low half", "\"name\":\"a\\uD800\\u0041b\"", "/configs/0/static_clusters/1/cluster/name" },
        { "a high half alone in a key", "\"name\":\"ab\",\"\\ud800\":1", "/configs/0/static_clusters/1/cluster/\uFFFD" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public void Given_an_escape_of_half_a_surrogate_pair_When_decoded_and_read_for_diff_Then_an_error_names_it_and_nothing_is_lost(string what, string fields, string pointer)
    {
        var content = Encoding.UTF8.GetBytes(
            "{\"configs\":[{\"@type\":\"type.googleapis.com/envoy.admin.v3.ClustersConfigDump\",\"static_clusters\":[" +
            $"{{\"cluster\":{{\"@type\":\"{ClusterType}\",\"name\":\"first\"}}}}," +
            $"{{\"cluster\":{{\"@type\":\"{ClusterType}\",{fields}}}}}]}}]}}");
        var raw = new RawSnapshot("s", [new RawDocument(AdminEndpoint.ConfigDump, "dump.json", content)]);
        var at = Encoding.UTF8.GetString(content).IndexOf("\\u", StringComparison.OrdinalIgnoreCase);

        var snapshot = SnapshotDecoder.Decode(raw);
        var canonical = Canonical.CanonicalReader.Read(raw);

        var error = Assert.Single(snapshot.Diagnostics, d => d.Level == DiagnosticLevel.Error);
        Assert.Equal(pointer, error.Pointer.Value);
        Assert.Equal($"dump.json has a \\u escape that is half of a UTF-16 surrogate pair at byte {at} in the value at '{pointer}'; it was read as U+FFFD.", error.Message);
        Assert.Equal(2, snapshot.Clusters.Count);
        Assert.Equal("first", snapshot.Clusters[0].Meta.Name);
        Assert.Contains(canonical.Diagnostics, d => d.Message == error.Message);
        Assert.Equal(2, canonical.Resources.Count);
        _ = what;
    }

    [Theory]
    [InlineData("a pair", "\"name\":\"a\\ud83d\\ude00b\"", "a\U0001F600b")]
    [InlineData("an escaped backslash before u", "\"name\":\"a\\\\ud800b\"", "a\\ud800b")]
    public void Given_escapes_that_are_whole_When_decoded_Then_nothing_is_repaired(string what, string fields, string name)
    {
        var content = Encoding.UTF8.GetBytes(
            "{\"configs\":[{\"@type\":\"type.googleapis.com/envoy.admin.v3.ClustersConfigDump\",\"static_clusters\":[" +
            $"{{\"cluster\":{{\"@type\":\"{ClusterType}\",{fields}}}}}]}}]}}");

        var snapshot = SnapshotDecoder.Decode(new RawSnapshot("s", [new RawDocument(AdminEndpoint.ConfigDump, "dump.json", content)]));

        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Level == DiagnosticLevel.Error);
        Assert.Equal(name, Assert.Single(snapshot.Clusters).Meta.Name);
        _ = what;
    }
}
