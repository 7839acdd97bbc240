using System.Text;
using EnvoyLens.Admin;
using EnvoyLens.TestKit;
using Microsoft.AspNetCore.Http;

namespace EnvoyLens.Cli.Tests.Hostile;

/// <summary>
/// A capture member that cannot be read is an error naming it (exit 2), for every command and every source: it never
/// turns into "the capture does not hold a config dump" with the rules that need it quietly not run.
/// </summary>
public sealed class NoSilentDropTests : IAsyncLifetime
{
    private static readonly string Reviews = TestPaths.Fixture("snapshots", "reviews");
    private LiveFixture _live = null!;

    public async Task InitializeAsync() => _live = await LiveFixture.StartAsync();

    public async Task DisposeAsync() => await _live.DisposeAsync();

    /// <summary>A copy of the reviews bundle whose config_dump.json is <paramref name="content"/>, listed with its true hash and size.</summary>
    private string BundleWithConfigDump(byte[] content)
    {
        var dir = _live.Path("bundle-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(Reviews))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }

        File.WriteAllBytes(Path.Combine(dir, "config_dump.json"), content);
        var manifestPath = Path.Combine(dir, BundleManifest.FileName);
        var manifest = BundleManifest.Read(File.ReadAllBytes(manifestPath), manifestPath);
        var files = manifest.Files
            .Select(f => f.Path == "config_dump.json" ? BundleFile.For(f.Endpoint, f.Path, content, f.Url, f.CapturedAt) : f)
            .ToList();
        File.WriteAllBytes(manifestPath, BundleManifest.Write(manifest with { Files = files }));
        return dir;
    }

    private static byte[] Truncated()
    {
        var dump = File.ReadAllBytes(Path.Combine(Reviews, "config_dump.json"));
        return dump[..(dump.Length / 2)];
    }

    public static TheoryData<string, string> BrokenDumps() => new()
    {
        { "truncated", "is truncated: the JSON ends at byte" },
        { "not-json", "is not a config dump" },
        { "unknown-form", "is not a config dump: it has no \"configs\"" },
    };

    private static byte[] Broken(string kind) => kind switch
    {
        "truncated" => Truncated(),
        "not-json" => Encoding.UTF8.GetBytes("<html><body>Envoy admin</body></html>\n"),
        _ => Encoding.UTF8.GetBytes("{\"resources\": []}\n"),
    };

    [Fact]
    public void Given_the_intact_sample_When_analyzed_Then_its_error_finding_fails_the_gate()
    {
        var result = Cli.Run("analyze", BundleWithConfigDump(File.ReadAllBytes(Path.Combine(Reviews, "config_dump.json"))));

        Assert.Equal(1, result.ExitCode);
    }

    [Theory]
    [MemberData(nameof(BrokenDumps))]
    public void Given_a_bundle_whose_config_dump_cannot_be_read_When_analyzed_Then_exit_2_naming_the_member(string kind, string why)
    {
        var bundle = BundleWithConfigDump(Broken(kind));

        var result = Cli.Run("analyze", bundle);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith($"envoylens: cannot read '{bundle}/config_dump.json': ", result.Err, StringComparison.Ordinal);
        Assert.Contains(why, result.Err, StringComparison.Ordinal);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("config", "clusters")]
    [InlineData("certs", null)]
    [InlineData("decode", null)]
    public void Given_a_bundle_whose_config_dump_is_truncated_When_any_command_reads_it_Then_exit_2(string command, string? view)
    {
        var bundle = BundleWithConfigDump(Truncated());
        string[] args = view is null ? [command, bundle] : [command, view, bundle];

        var result = Cli.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"envoylens: cannot read '{bundle}/config_dump.json': ", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("truncated", "application/json")]
    [InlineData("not-json", "text/plain")]
    public void Given_an_admin_port_serving_a_broken_config_dump_When_analyzed_Then_exit_2_like_config(string kind, string contentType)
    {
        var body = Broken(kind);
        _live.Admin.Routes["/config_dump"] = async context =>
        {
            context.Response.ContentType = contentType;
            await context.Response.Body.WriteAsync(body);
        };

        var config = Cli.Run("config", "clusters", "--admin", _live.AdminUrl);
        var analyze = Cli.Run("analyze", "--admin", _live.AdminUrl);
        var pod = Cli.Run(["analyze", .. _live.Pod]);

        Assert.Equal(2, config.ExitCode);
        Assert.Equal(2, analyze.ExitCode);
        Assert.Equal(2, pod.ExitCode);
        Assert.StartsWith($"envoylens: cannot read '{_live.AdminUrl}/config_dump?include_eds': ", analyze.Err, StringComparison.Ordinal);
        Assert.Contains("cannot read 'pod/reviews-v1.default/config_dump?include_eds': ", pod.Err, StringComparison.Ordinal);
    }
}
