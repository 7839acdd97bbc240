using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EnvoyLens.Admin;
using EnvoyLens.TestKit;
using Microsoft.AspNetCore.Http;

namespace EnvoyLens.Cli.Tests;

/// <summary><c>envoylens snapshot</c> against the fake admin server and the fake Kubernetes API.</summary>
public sealed class SnapshotCommandTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
    private LiveFixture _live = null!;

    public async Task InitializeAsync() => _live = await LiveFixture.StartAsync();

    public async Task DisposeAsync() => await _live.DisposeAsync();

    private static CliResult At(params string[] args) => Cli.RunAt(new FixedClock(), args);

    [Fact]
    public void Given_a_pod_When_snapshotted_to_an_archive_Then_the_bundle_is_complete_and_shows_the_same_clusters()
    {
        var archive = _live.Path("x.tar.gz");

        var written = At(["snapshot", .. _live.Pod, "-o", archive]);

        Assert.Equal(0, written.ExitCode);
        Assert.Equal($"wrote {archive}: 8 files, 0 values redacted.\n", written.Out);
        Assert.Equal(At(["config", "clusters", .. _live.Pod]).Out, At("config", "clusters", archive).Out);

        var manifest = ReadManifest(archive);
        Assert.Equal(new BundleTarget("pod", "reviews-v1.default", "istio-proxy", 15000, null), manifest.Target);
        Assert.Equal("1.32.3", manifest.EnvoyVersion);
        Assert.Equal(Now, manifest.CapturedAt);
        Assert.Equal(
            ["/certs", "/clusters?format=json", "/config_dump?include_eds", "/init_dump", "/listeners?format=json", "/ready", "/server_info", "/stats?format=json"],
            manifest.Files.Select(f => f.Url!).Order(StringComparer.Ordinal));
        Assert.All(manifest.Files, f => Assert.Matches("^[0-9a-f]{64}$", f.Sha256));
        Assert.Equal(new[] { "kubeconfig", "x.tar.gz" }, Directory.GetFileSystemEntries(_live.Directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Given_a_bundle_written_from_a_live_proxy_When_analyzed_Then_the_report_equals_the_live_analysis()
    {
        var archive = _live.Path("a.tar.gz");
        Assert.Equal(0, At("snapshot", "--admin", _live.AdminUrl, "-o", archive).ExitCode);

        var live = At("analyze", "--admin", _live.AdminUrl, "-o", "json", "--fail-on", "never");
        var bundle = At("analyze", archive, "-o", "json", "--fail-on", "never");

        Assert.Equal(0, live.ExitCode);
        Assert.Equal(0, bundle.ExitCode);
        using (var report = JsonDocument.Parse(live.Out))
        {
            Assert.True(report.RootElement.GetProperty("summary").GetProperty("findings").GetInt32() > 0, live.Out);
        }

        Assert.Equal(Normalize(live.Out, _live.AdminUrl), Normalize(bundle.Out, archive));
    }

    [Fact]
    public void Given_ADS_credentials_in_the_bootstrap_When_snapshotted_Then_they_are_redacted_and_listed_unless_no_redact()
    {
        _live.Admin.EditConfigDump = root =>
        {
            var ads = root["configs"]![0]!["bootstrap"]!["dynamic_resources"]!["ads_config"]!["grpc_services"]![0]!.AsObject();
            ads["initial_metadata"] = new JsonArray(new JsonObject { ["key"] = "authorization", ["value"] = "Bearer very-secret-token" });
            return root;
        };

        Assert.Equal(0, At("snapshot", "--admin", _live.AdminUrl, "-o", _live.Path("redacted")).ExitCode);
        Assert.Equal(0, At("snapshot", "--admin", _live.AdminUrl, "-o", _live.Path("kept"), "--no-redact").ExitCode);

        var redacted = File.ReadAllText(Path.Combine(_live.Path("redacted"), "config_dump.json"));
        Assert.DoesNotContain("very-secret-token", redacted, StringComparison.Ordinal);
        Assert.Equal(
            [new BundleRedaction("config_dump.json", "/configs/0/bootstrap/dynamic_resources/ads_config/grpc_services/0/initial_metadata/0/value")],
            ReadManifest(_live.Path("redacted")).Redactions);
        Assert.Contains("very-secret-token", File.ReadAllText(Path.Combine(_live.Path("kept"), "config_dump.json")), StringComparison.Ordinal);
        Assert.Empty(ReadManifest(_live.Path("kept")).Redactions);
        Assert.Equal(0, At("decode", _live.Path("redacted")).ExitCode);
    }

    [Fact]
    public void Given_ready_answers_503_When_snapshotted_Then_one_sentence_exit_2_and_nothing_left()
    {
        _live.Admin.Routes["/ready"] = async context =>
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("PRE_INITIALIZING");
        };

        var result = At("snapshot", "--admin", _live.AdminUrl, "-o", _live.Path("y.tar.gz"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"envoylens: GET /ready on {_live.AdminUrl} answered HTTP 503 Service Unavailable ('PRE_INITIALIZING').\n", result.Err);
        Assert.Equal(["kubeconfig"], Directory.GetFileSystemEntries(_live.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Given_the_dump_breaks_off_When_snapshotted_to_a_directory_Then_exit_2_and_no_directory()
    {
        _live.Admin.Routes["/config_dump"] = async context =>
        {
            context.Response.ContentLength = 1_000_000;
            await context.Response.Body.WriteAsync(new byte[4096]);
            await context.Response.Body.FlushAsync();
            await Task.Delay(1000);
            context.Abort();
        };

        var result = At(["snapshot", .. _live.Pod, "-o", _live.Path("dir")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("GET /config_dump?include_eds on pod reviews-v1.default port 15000 broke off after 4096 bytes", result.Err, StringComparison.Ordinal);
        Assert.Equal(["kubeconfig"], Directory.GetFileSystemEntries(_live.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Given_an_interval_When_snapshotted_Then_a_second_stats_sample_is_kept()
    {
        Assert.Equal(0, At("snapshot", "--admin", _live.AdminUrl, "-o", _live.Path("rates"), "--interval", "50ms").ExitCode);

        var stats = ReadManifest(_live.Path("rates")).Files.Where(f => f.Endpoint == "stats").Select(f => f.Path).Order(StringComparer.Ordinal);
        Assert.Equal(["stats.2.json", "stats.json"], stats);
    }

    [Fact]
    public void Given_a_file_source_When_snapshotted_Then_it_is_repacked_and_an_interval_is_refused()
    {
        var file = Path.Combine(TestPaths.Fixture("snapshots", "reviews"), "config_dump.json");

        Assert.Equal(0, At("snapshot", file, "-o", _live.Path("repacked")).ExitCode);
        Assert.Equal(At("config", "routes", file).Out, At("config", "routes", _live.Path("repacked")).Out);
        Assert.Equal("envoylens: --interval needs a live source (--pod or --admin).\n", At("snapshot", file, "-o", _live.Path("r2"), "--interval", "1s").Err);
    }

    [Fact]
    public void Given_an_existing_output_When_snapshotted_Then_it_is_refused_before_reading()
    {
        var result = At("snapshot", "--admin", _live.AdminUrl, "-o", _live.Path("kubeconfig"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already exists", result.Err, StringComparison.Ordinal);
        Assert.Empty(_live.Admin.Requests);
    }

    [Fact]
    public void Snapshot_help_matches_its_golden_file()
    {
        var result = Cli.Run("snapshot", "--help");
        var golden = Path.Combine(TestPaths.RepoRoot, "tests", "EnvoyLens.Cli.Tests", "Golden", "envoylens-snapshot.txt");
        if (Environment.GetEnvironmentVariable("ENVOYLENS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, result.Out);
        }

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllText(golden), result.Out);
    }

    private static BundleManifest ReadManifest(string bundle)
    {
        if (Directory.Exists(bundle))
        {
            return BundleManifest.Read(File.ReadAllBytes(Path.Combine(bundle, BundleManifest.FileName)), bundle);
        }

        using var file = File.OpenRead(bundle);
        using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var tar = new System.Formats.Tar.TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name == BundleManifest.FileName)
            {
                using var data = new MemoryStream();
                entry.DataStream!.CopyTo(data);
                return BundleManifest.Read(data.ToArray(), bundle);
            }
        }

        throw new InvalidOperationException("no manifest in " + bundle);
    }

    /// <summary>Source names differ (URL vs archive path, query vs file name); everything else must not.</summary>
    private static string Normalize(string json, string origin)
    {
        var text = json.Replace(JsonSerializer.Serialize(origin)[1..^1], "SRC", StringComparison.Ordinal);
        return Regex.Replace(text, "SRC/([a-z_]+)[^\"]*", "SRC/$1");
    }

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
