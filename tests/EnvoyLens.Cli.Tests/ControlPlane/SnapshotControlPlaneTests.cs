using System.Text.Json;
using EnvoyLens.Admin;
using EnvoyLens.TestKit;
using EnvoyLens.TestKit.Live;
using F = EnvoyLens.Cli.Tests.ControlPlane.ControlPlaneFixtures;

namespace EnvoyLens.Cli.Tests.ControlPlane;

/// <summary><c>envoylens snapshot --control-plane</c>: the control plane's view of the captured proxy in the bundle.</summary>
public sealed class SnapshotControlPlaneTests : IAsyncLifetime
{
    private static readonly string Reviews = TestPaths.Fixture("snapshots", "reviews");
    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-cp-").FullName;
    private FakeControlPlane _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeControlPlane.StartAsync();
        _server.Fetch = F.ClientStatus;
        _server.Ads = F.IstioDebug;
    }

    public async Task DisposeAsync()
    {
        StatusCommandTests.AssertOnlyAllowlistedCalls(_server);
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Given_a_CSDS_server_When_snapshot_with_control_plane_Then_control_plane_json_holds_the_proxy_status_and_config_and_is_in_the_manifest()
    {
        var output = Path.Combine(_dir, "b");

        var result = Cli.Run("snapshot", Reviews, "--control-plane", _server.Url, "-o", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"wrote {output}: 10 files, 0 values redacted.\n", result.Out);
        var manifest = BundleManifest.Read(File.ReadAllBytes(Path.Combine(output, "manifest.json")), "manifest.json");
        var file = Assert.Single(manifest.Files, f => f.Endpoint == "control_plane");
        Assert.Equal("control_plane.json", file.Path);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "control_plane.json")));
        var root = doc.RootElement;
        Assert.Equal(F.ReviewsNode, root.GetProperty("nodeId").GetString());
        Assert.Equal("reviews-v1-6c8d7b9f4-x2x7q.default", root.GetProperty("proxy").GetProperty("name").GetString());
        Assert.Equal(["CDS", "LDS", "EDS", "RDS", "ECDS"], root.GetProperty("proxy").GetProperty("types").EnumerateArray().Select(t => t.GetProperty("type").GetString()!));
        Assert.Contains(F.ChangedCluster, root.GetProperty("configDump").GetRawText(), StringComparison.Ordinal);
        // Only status and config of this one node were asked for.
        Assert.All(_server.Requests, r => Assert.Equal(F.ReviewsNode, Envoy.Service.Status.V3.ClientStatusRequest.Parser.ParseFrom(r.Request).NodeMatchers.Single().NodeId.Exact));
        // The bundle is still read like any other.
        Assert.Equal(0, Cli.Run("config", "clusters", output).ExitCode);
    }

    [Fact]
    public void Given_a_bundle_written_with_control_plane_When_decoded_and_analyzed_offline_Then_control_plane_json_is_read_and_its_rules_run()
    {
        var output = Path.Combine(_dir, "b");
        Assert.Equal(0, Cli.Run("snapshot", Reviews, "--control-plane", _server.Url, "-o", output).ExitCode);
        var asked = _server.Requests.Count;

        var decode = Cli.Run("decode", output);
        var analyze = Cli.Run("analyze", output, "-o", "json", "--fail-on", "never");

        Assert.Equal(0, decode.ExitCode);
        Assert.Matches(@"\n  control_plane  control_plane\.json  \(\d+ bytes\)\n", decode.Out);
        Assert.Equal(0, analyze.ExitCode);
        using var json = JsonDocument.Parse(analyze.Out);
        var outcomes = json.RootElement.GetProperty("rules").EnumerateArray()
            .Where(r => r.GetProperty("id").GetString() is "EL2007" or "EL2008" or "EL2009")
            .Select(r => r.GetProperty("status").GetString()).ToList();
        Assert.Equal(3, outcomes.Count);
        Assert.DoesNotContain("notRun", outcomes);
        Assert.Equal(asked, _server.Requests.Count); // offline: the control plane is not asked again
    }

    [Fact]
    public void Given_a_bundle_whose_control_plane_json_is_unreadable_When_analyzed_Then_one_sentence_names_it_and_exit_2()
    {
        var output = Path.Combine(_dir, "b");
        Assert.Equal(0, Cli.Run("snapshot", Reviews, "--control-plane", _server.Url, "-o", output).ExitCode);
        var bytes = "{\"controlPlane\": \"x\", \"nodeId\": \"n\"}\n"u8.ToArray();
        File.WriteAllBytes(Path.Combine(output, "control_plane.json"), bytes);
        var manifest = BundleManifest.Read(File.ReadAllBytes(Path.Combine(output, BundleManifest.FileName)), "manifest.json");
        manifest = manifest with { Files = [.. manifest.Files.Select(f => f.Endpoint == "control_plane" ? f with { Sha256 = BundleManifest.Sha256Hex(bytes), Bytes = bytes.Length } : f)] };
        File.WriteAllBytes(Path.Combine(output, BundleManifest.FileName), BundleManifest.Write(manifest));

        var result = Cli.Run("analyze", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"envoylens: {output}/control_plane.json cannot be read: proxy is missing.\n", result.Err);
    }

    [Fact]
    public void Given_istiod_with_only_its_debug_xDS_When_snapshot_with_control_plane_Then_syncz_and_config_dump_are_used()
    {
        _server.Fetch = null;
        var output = Path.Combine(_dir, "b.tar.gz");

        var result = Cli.Run("snapshot", Reviews, "--control-plane", _server.Url, "-o", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("asked ADS istio.io/debug/config_dump instead.", result.Err, StringComparison.Ordinal);
        Assert.Matches(@"^wrote .*b\.tar\.gz: \d+ files, \d+ values redacted\.\n$", result.Out);
    }

    [Fact]
    public void Given_an_unreachable_control_plane_When_snapshot_Then_one_sentence_exit_2_and_nothing_is_written()
    {
        var output = Path.Combine(_dir, "b");

        var result = Cli.Run("snapshot", Reviews, "--control-plane", "http://127.0.0.1:1", "-o", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void Given_a_control_plane_option_without_a_control_plane_When_snapshot_Then_it_is_refused()
    {
        var result = Cli.Run("snapshot", Reviews, "--token", "t", "-o", Path.Combine(_dir, "b"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--token applies only with --control-plane or --istiod.", result.Err, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }
}
