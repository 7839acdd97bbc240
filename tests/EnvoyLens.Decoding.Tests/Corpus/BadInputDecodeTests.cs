using System.Text;
using EnvoyLens.Core;
using EnvoyLens.TestKit;

namespace EnvoyLens.Decoding.Tests.Corpus;

/// <summary>A document that cannot be read becomes one error diagnostic naming it; the other documents still decode.</summary>
public sealed class BadInputDecodeTests
{
    private static readonly byte[] Stats = Encoding.UTF8.GetBytes("cluster_manager.cds.update_rejected: 3\ncontrol_plane.connected_state: 1\n");

    public static TheoryData<string, byte[]> BadDumps() => new()
    {
        { "empty", [] },
        { "not json", Encoding.UTF8.GetBytes("<html><body>503 Service Unavailable</body></html>") },
        { "binary", [0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x13] },
        { "truncated", Encoding.UTF8.GetBytes("{\"configs\":[{\"@type\":\"type.googleapis.com/envoy.admin.v3.ClustersConfigDump\",\"static_clusters\":[{\"cluster\":{") },
        { "not a dump", Encoding.UTF8.GetBytes("{\"stats\":[]}") },
    };

    [Theory]
    [MemberData(nameof(BadDumps))]
    public void GivenAnUnreadableConfigDump_WhenDecoded_ThenOneErrorNamesTheFileAndTheStatsAreStillRead(string what, byte[] content)
    {
        var raw = new RawSnapshot("bundle", [
            new RawDocument(AdminEndpoint.ConfigDump, "bundle/config_dump.json", content),
            new RawDocument(AdminEndpoint.Stats, "bundle/stats.txt", Stats),
        ]);

        var snapshot = SnapshotDecoder.Decode(raw);

        var error = Assert.Single(snapshot.Diagnostics, d => d.Level == DiagnosticLevel.Error);
        Assert.Equal(DiagnosticCodes.UnreadableDocument, error.Code);
        Assert.Equal("bundle/config_dump.json", error.Source);
        Assert.Contains("config_dump.json", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, snapshot.Stats!.Value("cluster_manager.cds.update_rejected"));
        Assert.Equal(["bundle/stats.txt"], snapshot.Sources);
        Assert.Empty(snapshot.Clusters);
        _ = what;
    }

    [SkippableFact]
    public void GivenARealDumpCutShort_WhenDecoded_ThenTheErrorSaysItIsTruncated()
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus (../shared/corpus) is not present.");
        var full = File.ReadAllBytes(TestPaths.CorpusFile("config_dump", "istio-compare-sidecar-configdump.json"));

        var snapshot = SnapshotDecoder.Decode(new RawSnapshot("cut", [new RawDocument(AdminEndpoint.ConfigDump, "cut.json", full[..(full.Length / 2)])]));

        var error = Assert.Single(snapshot.Diagnostics, d => d.Code == DiagnosticCodes.UnreadableDocument);
        Assert.Contains("truncated", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("cut.json", error.Message, StringComparison.Ordinal);
    }
}
