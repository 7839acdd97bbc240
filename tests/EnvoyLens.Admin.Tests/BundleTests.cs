using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using EnvoyLens.Core;

namespace EnvoyLens.Admin.Tests;

public sealed class BundleTests : IDisposable
{
    private static readonly DateTimeOffset Captured = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly byte[] ConfigDump = Encoding.UTF8.GetBytes("{\"configs\": []}\n");
    private static readonly byte[] Clusters = Encoding.UTF8.GetBytes("{\"cluster_statuses\": []}\n");
    private static readonly byte[] Future = Encoding.UTF8.GetBytes("something new\n");

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static BundleManifest Manifest(params BundleFile[] files) => new(
        BundleManifest.CurrentFormat,
        "envoylens 0.1.0",
        new BundleTarget("pod", "reviews-v1-6c8d7b9f4-x2x7q.default", "istio-proxy", 15000, null),
        "1.32.3",
        Captured,
        files,
        [new BundleRedaction("config_dump.json", "/configs/5/dynamic_active_secrets/0/secret/tls_certificate/private_key")]);

    private static BundleManifest StandardManifest() => Manifest(
        BundleFile.For("config_dump", "config_dump.json", ConfigDump, "/config_dump?include_eds", Captured),
        BundleFile.For("clusters", "admin/clusters.json", Clusters, "/clusters?format=json", Captured),
        BundleFile.For("pprof_future", "future.txt", Future));

    private static Dictionary<string, byte[]> StandardFiles() => new()
    {
        ["config_dump.json"] = ConfigDump,
        ["admin/clusters.json"] = Clusters,
        ["future.txt"] = Future,
    };

    private string WriteDirectory(BundleManifest manifest, Dictionary<string, byte[]> files)
    {
        var dir = Path.Combine(_temp.Path, "bundle");
        Directory.CreateDirectory(dir);
        foreach (var (name, bytes) in files)
        {
            var full = Path.Combine(dir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }

        File.WriteAllBytes(Path.Combine(dir, BundleManifest.FileName), BundleManifest.Write(manifest));
        return dir;
    }

    private string WriteArchive(BundleManifest manifest, Dictionary<string, byte[]> files, string folder = "", string name = "bundle.tar.gz")
    {
        var path = _temp.File(name);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            if (folder.Length > 0)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, folder));
            }

            foreach (var (entryName, bytes) in files.Append(new(BundleManifest.FileName, BundleManifest.Write(manifest))))
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, folder + entryName) { DataStream = new MemoryStream(bytes) });
            }
        }

        return path;
    }

    private static void AssertStandardSnapshot(RawSnapshot snapshot, string origin)
    {
        Assert.Equal(origin, snapshot.Origin);
        Assert.Equal(Captured, snapshot.CapturedAt);
        Assert.Equal([AdminEndpoint.Clusters, AdminEndpoint.ConfigDump], snapshot.Documents.Select(d => d.Endpoint));
        Assert.Equal(ConfigDump, snapshot.Get(AdminEndpoint.ConfigDump)!.Content);
        Assert.Equal(Clusters, snapshot.Get(AdminEndpoint.Clusters)!.Content);
        Assert.Equal(origin + "/admin/clusters.json", snapshot.Get(AdminEndpoint.Clusters)!.Source);
    }

    [Fact]
    public void Given_a_bundle_directory_When_opened_Then_known_endpoints_are_read_back_verified()
    {
        var dir = WriteDirectory(StandardManifest(), StandardFiles());

        var snapshot = SnapshotSources.Open(dir);

        AssertStandardSnapshot(snapshot, dir);
    }

    [Theory]
    [InlineData("", "bundle.tar.gz")]
    [InlineData("snap-1/", "bundle.tgz")]
    public void Given_a_bundle_archive_When_opened_Then_it_is_read_in_memory_like_a_directory(string folder, string name)
    {
        var archive = WriteArchive(StandardManifest(), StandardFiles(), folder, name);

        var snapshot = SnapshotSources.Open(archive);

        AssertStandardSnapshot(snapshot, archive);
        Assert.Equal([name], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Given_a_bundle_with_control_plane_json_When_opened_Then_it_is_read_back_beside_the_documents(bool archive)
    {
        var controlPlane = Encoding.UTF8.GetBytes("{\"controlPlane\": \"127.0.0.1:15010\"}\n");
        var manifest = StandardManifest();
        manifest = manifest with { Files = [.. manifest.Files, BundleFile.For("control_plane", "control_plane.json", controlPlane, "127.0.0.1:15010", Captured)] };
        var files = StandardFiles();
        files["control_plane.json"] = controlPlane;
        var path = archive ? WriteArchive(manifest, files) : WriteDirectory(manifest, files);

        var snapshot = SnapshotSources.Open(path);

        AssertStandardSnapshot(snapshot, path);
        Assert.Equal(controlPlane, snapshot.ControlPlane?.Content);
        Assert.Equal(path + "/control_plane.json", snapshot.ControlPlane!.Source);
        Assert.Equal(Captured, snapshot.ControlPlane.CapturedAt);
    }

    [Fact]
    public void Given_a_bundle_without_control_plane_json_When_opened_Then_it_has_no_control_plane_view()
    {
        Assert.Null(SnapshotSources.Open(WriteDirectory(StandardManifest(), StandardFiles())).ControlPlane);
    }

    [Fact]
    public void Given_a_file_whose_bytes_were_edited_When_opened_Then_the_hash_mismatch_names_the_file()
    {
        var files = StandardFiles();
        files["config_dump.json"] = Encoding.UTF8.GetBytes("{\"configs\": [9]}\n"[..ConfigDump.Length]);
        var dir = WriteDirectory(StandardManifest(), files);

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(dir));

        Assert.Equal($"{dir}/config_dump.json does not match its SHA-256 in the bundle manifest; the bundle is damaged or was edited.", ex.Message);
    }

    [Fact]
    public void Given_a_manifest_with_a_tampered_hash_in_an_archive_When_opened_Then_it_is_refused()
    {
        var manifest = StandardManifest();
        var tampered = manifest with { Files = [.. manifest.Files.Select(f => f.Path == "admin/clusters.json" ? f with { Sha256 = new string('0', 64) } : f)] };
        var archive = WriteArchive(tampered, StandardFiles());

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(archive));

        Assert.StartsWith($"{archive}/admin/clusters.json does not match its SHA-256", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_file_of_another_size_When_opened_Then_the_size_mismatch_names_the_file()
    {
        var files = StandardFiles();
        files["admin/clusters.json"] = [.. Clusters, (byte)'\n'];
        var dir = WriteDirectory(StandardManifest(), files);

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(dir));

        Assert.StartsWith($"{dir}/admin/clusters.json has {Clusters.Length + 1} bytes but the bundle manifest says {Clusters.Length}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_listed_file_missing_When_opened_Then_the_error_names_it()
    {
        var files = StandardFiles();
        files.Remove("future.txt");
        var archive = WriteArchive(StandardManifest(), files);

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(archive));

        Assert.Equal($"{archive}/future.txt is listed in the bundle manifest but missing from the bundle.", ex.Message);
    }

    [Theory]
    [InlineData("../outside.json")]
    [InlineData("a/../../outside.json")]
    [InlineData("/etc/hostname")]
    [InlineData("a//b.json")]
    public void Given_a_manifest_path_leaving_the_bundle_When_opened_Then_it_is_refused(string path)
    {
        File.WriteAllBytes(_temp.File("outside.json"), ConfigDump);
        var dir = WriteDirectory(Manifest(BundleFile.For("config_dump", path, ConfigDump)), []);

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(dir));

        Assert.Equal($"{dir} has a manifest entry '{path}' that points outside the bundle, which EnvoyLens refuses to read.", ex.Message);
    }

    [Fact]
    public void Given_a_symlink_to_a_file_outside_the_bundle_When_opened_Then_it_is_refused()
    {
        var outside = _temp.File("secret.json");
        File.WriteAllBytes(outside, ConfigDump);
        var dir = WriteDirectory(Manifest(BundleFile.For("config_dump", "config_dump.json", ConfigDump)), []);
        File.CreateSymbolicLink(Path.Combine(dir, "config_dump.json"), outside);

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(dir));

        Assert.Contains("outside the bundle", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_empty_directory_When_opened_Then_it_says_it_is_neither_a_bundle_nor_a_folder_of_outputs()
    {
        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(_temp.Path));

        Assert.Equal($"{_temp.Path} is neither an EnvoyLens bundle (it has no manifest.json) nor a folder of admin outputs (it holds no files).", ex.Message);
    }

    [Fact]
    public void Given_a_missing_path_When_opened_Then_it_says_it_does_not_exist()
    {
        var path = _temp.File("nope.json");

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(path));

        Assert.Equal($"{path} does not exist.", ex.Message);
    }

    [Fact]
    public void Given_a_tgz_that_is_not_gzip_When_opened_Then_it_says_the_archive_is_unreadable()
    {
        var path = _temp.File("broken.tgz");
        File.WriteAllText(path, "not gzip at all");

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(path));

        Assert.StartsWith($"{path} is not a readable .tar.gz bundle", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_manifest_of_another_format_When_opened_Then_it_names_both_formats()
    {
        var dir = WriteDirectory(StandardManifest() with { Format = "envoylens-bundle/v9" }, StandardFiles());

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(dir));

        Assert.Equal($"{dir}/manifest.json has bundle format 'envoylens-bundle/v9', but this EnvoyLens reads only 'envoylens-bundle/v1'.", ex.Message);
    }
}
