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
}
