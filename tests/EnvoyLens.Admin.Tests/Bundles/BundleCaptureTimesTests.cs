using System.Text;
using EnvoyLens.Admin.Bundles;
using EnvoyLens.Core;

namespace EnvoyLens.Admin.Tests.Bundles;

/// <summary>The manifest's per-file <c>capturedAt</c> reaches each document read from a bundle.</summary>
public sealed class BundleCaptureTimesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset First = Start.AddSeconds(1);
    private static readonly DateTimeOffset Second = Start.AddSeconds(11.5);

    [Theory]
    [InlineData("bundle")]
    [InlineData("bundle.tar.gz")]
    public void Given_two_stats_samples_with_their_own_times_When_read_Then_each_document_carries_its_files_time(string name)
    {
        using var dir = new TempDirectory();
        var output = dir.File(name);
        var staging = BundleWriter.CreateStaging(output);
        File.WriteAllText(Path.Combine(staging, "stats.json"), "{\"stats\":[{\"name\":\"a\",\"value\":1}]}");
        File.WriteAllText(Path.Combine(staging, "stats.2.json"), "{\"stats\":[{\"name\":\"a\",\"value\":4}]}");
        File.WriteAllText(Path.Combine(staging, "ready.txt"), "LIVE\n");
        StagedFile[] files =
        [
            new("stats", "stats.json", "/stats?format=json", First),
            new("stats", "stats.2.json", "/stats?format=json", Second),
            new("ready", "ready.txt", "/ready", null),
        ];

        var manifest = BundleWriter.Complete(staging, files, new BundleTarget("admin", "http://127.0.0.1:15000", null, 15000, "http://127.0.0.1:15000"), Start, "envoylens test");
        BundleWriter.Publish(staging, manifest, output);
        var raw = SnapshotSources.Open(output);

        var times = raw.Documents.ToDictionary(d => d.Source[(output.Length + 1)..], d => d.CapturedAt);
        Assert.Equal(First, times["stats.json"]);
        Assert.Equal(Second, times["stats.2.json"]);
        Assert.Null(times["ready.txt"]);
        Assert.Equal(Start, raw.CapturedAt);
        Assert.Equal("{\"stats\":[{\"name\":\"a\",\"value\":4}]}", Encoding.UTF8.GetString(raw.Documents.Single(d => d.CapturedAt == Second).Content));
    }

    [Fact]
    public void Given_a_manifest_with_an_offset_time_When_read_Then_the_document_time_is_the_same_instant_in_UTC()
    {
        using var dir = new TempDirectory();
        var bundle = dir.File("bundle");
        Directory.CreateDirectory(bundle);
        var content = Encoding.UTF8.GetBytes("cluster.a.upstream_cx_total: 3\n");
        File.WriteAllBytes(Path.Combine(bundle, "stats.txt"), content);
        var sha = BundleManifest.Sha256Hex(content);
        File.WriteAllText(Path.Combine(bundle, BundleManifest.FileName), $$"""
            { "format": "envoylens-bundle/v1",
              "files": [ { "endpoint": "stats", "path": "stats.txt", "capturedAt": "2026-11-20T12:00:05+02:00", "sha256": "{{sha}}", "bytes": {{content.Length}} } ] }
            """);

        var document = Assert.Single(BundleReader.ReadDirectory(bundle).Documents);

        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 5, TimeSpan.Zero), document.CapturedAt);
        Assert.Equal(TimeSpan.Zero, document.CapturedAt!.Value.Offset);
        Assert.Equal(AdminEndpoint.Stats, document.Endpoint);
    }
}
