using System.Text;
using EnvoyLens.Admin.Bundles;
using EnvoyLens.Core;

namespace EnvoyLens.Admin.Tests.Bundles;

public sealed class BundleWriterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static (string Staging, List<StagedFile> Files) Stage(TempDirectory dir, string output, bool redact = true)
    {
        var staging = BundleWriter.CreateStaging(output);
        var redactor = new StagingRedactor(redact);
        redactor.Write(staging, "config_dump.json", Encoding.UTF8.GetBytes("""{"configs":[{"static_secrets":[{"secret":{"tls_certificate":{"private_key":{"inline_string":"KEY"}}}}]}]}"""), "/config_dump");
        redactor.Write(staging, "server_info.json", Encoding.UTF8.GetBytes("""{"version":"abc/1.32.3/Clean/RELEASE/BoringSSL","state":"LIVE"}"""), "/server_info");
        redactor.Write(staging, "ready.txt", Encoding.UTF8.GetBytes("LIVE\n"), "/ready");
        return (staging,
        [
            new("config_dump", "config_dump.json", "/config_dump?include_eds", At) { Redactions = redactor.RedactionsOf("config_dump.json") },
            new("server_info", "server_info.json", "/server_info", At) { Redactions = redactor.RedactionsOf("server_info.json") },
            new("ready", "ready.txt", "/ready", At),
        ]);
    }

    [Theory]
    [InlineData("bundle")]
    [InlineData("bundle.tar.gz")]
    public void Given_staged_files_When_published_Then_the_reader_reads_them_back_redacted_with_a_complete_manifest(string name)
    {
        using var dir = new TempDirectory();
        var output = dir.File(name);
        var (staging, files) = Stage(dir, output);

        var manifest = BundleWriter.Complete(staging, files, new BundleTarget("pod", "reviews-v1.default", "istio-proxy", 15000, null), At, "envoylens test");
        BundleWriter.Publish(staging, manifest, output);

        var raw = SnapshotSources.Open(output);
        Assert.Equal([AdminEndpoint.ConfigDump, AdminEndpoint.Ready, AdminEndpoint.ServerInfo], raw.Documents.Select(d => d.Endpoint)); // sorted by path
        var dump = Encoding.UTF8.GetString(raw.Get(AdminEndpoint.ConfigDump)!.Content);
        Assert.DoesNotContain("KEY", dump, StringComparison.Ordinal);
        Assert.Equal("1.32.3", manifest.EnvoyVersion);
        Assert.Equal([new BundleRedaction("config_dump.json", "/configs/0/static_secrets/0/secret/tls_certificate/private_key")], manifest.Redactions);
        Assert.Equal(At, raw.CapturedAt);
        Assert.Equal([name], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Given_no_redaction_When_completed_Then_secrets_stay_and_nothing_is_listed()
    {
        using var dir = new TempDirectory();
        var output = dir.File("plain");
        var (staging, files) = Stage(dir, output, redact: false);

        var manifest = BundleWriter.Complete(staging, files, null, At, "envoylens test");
        BundleWriter.Publish(staging, manifest, output);

        Assert.Contains("KEY", File.ReadAllText(Path.Combine(output, "config_dump.json")), StringComparison.Ordinal);
        Assert.Empty(manifest.Redactions);
    }

    [Fact]
    public void Given_a_secret_When_staged_Then_no_byte_of_it_reaches_the_disk_and_the_folder_is_private()
    {
        using var dir = new TempDirectory();
        var staging = BundleWriter.CreateStaging(dir.File("b"));
        var redactor = new StagingRedactor(redact: true);

        redactor.Write(staging, "config_dump.json", Encoding.UTF8.GetBytes("""{"a":{"password":"hunter2-on-disk"}}"""), "/config_dump");

        Assert.DoesNotContain("hunter2-on-disk", File.ReadAllText(Path.Combine(staging, "config_dump.json")), StringComparison.Ordinal);
        Assert.Equal(["/a/password"], redactor.RedactionsOf("config_dump.json"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(staging));
        }

        BundleWriter.Discard(staging);
    }

    [Fact]
    public void Given_a_json_file_that_is_not_JSON_When_staged_with_redaction_Then_nothing_is_written_and_one_sentence_says_so()
    {
        using var dir = new TempDirectory();
        var staging = BundleWriter.CreateStaging(dir.File("b"));

        var error = Assert.Throws<EnvoyLensException>(() => new StagingRedactor(redact: true).Write(staging, "x.json", Encoding.UTF8.GetBytes("{\"a\": [1,"), "/x"));

        Assert.Equal("/x cannot be redacted: it is not valid JSON (line 1); use --no-redact to keep it as read.", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(staging));
        BundleWriter.Discard(staging);
    }

    [Fact]
    public void Given_an_existing_output_When_staging_Then_it_is_refused_and_left_alone()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("x.tar.gz"), "keep");

        var error = Assert.Throws<EnvoyLensException>(() => BundleWriter.CreateStaging(dir.File("x.tar.gz")));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal("keep", File.ReadAllText(dir.File("x.tar.gz")));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Given_a_staging_folder_When_discarded_Then_nothing_is_left_that_looks_like_a_bundle()
    {
        using var dir = new TempDirectory();
        var (staging, _) = Stage(dir, dir.File("never"));

        BundleWriter.Discard(staging);

        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
