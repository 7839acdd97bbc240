using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using EnvoyLens.Core;

namespace EnvoyLens.Admin.Tests.Hostile;

/// <summary>
/// Bundles built to hurt the reader: duplicate and oversized archive entries, gzip bombs, links in folder paths,
/// FIFOs, and huge files that are not JSON. Each ends in one sentence naming the file, without reading what it refuses.
/// </summary>
public sealed class HostileBundleTests : IDisposable
{
    private static readonly byte[] ConfigDump = Encoding.UTF8.GetBytes("{\"configs\": []}\n");
    private static readonly byte[] Clusters = Encoding.UTF8.GetBytes("{\"cluster_statuses\": []}\n");

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static BundleManifest Manifest(params BundleFile[] files) =>
        new(BundleManifest.CurrentFormat, "envoylens 0.1.0", new BundleTarget("file", null, null, null, null), null, null, files, []);

    private static BundleManifest Standard() => Manifest(
        BundleFile.For("config_dump", "config_dump.json", ConfigDump),
        BundleFile.For("clusters", "clusters.json", Clusters));

    /// <summary>An archive of <paramref name="entries"/> in order; a null body is a zero-filled entry of the given size.</summary>
    private string Archive(string name, params (string Name, byte[]? Body, long Size)[] entries)
    {
        var path = _temp.File(name);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (entryName, body, size) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = body is null ? new ZeroStream(size) : new MemoryStream(body) });
            }
        }

        return path;
    }

    private static (string, byte[]?, long) Entry(string name, byte[] body) => (name, body, body.Length);

    private static (string, byte[]?, long) ManifestEntry(BundleManifest manifest) => Entry(BundleManifest.FileName, BundleManifest.Write(manifest));

    private string Directory(BundleManifest manifest, params (string Name, byte[] Body)[] files)
    {
        var dir = Path.Combine(_temp.Path, "bundle");
        System.IO.Directory.CreateDirectory(dir);
        foreach (var (name, body) in files)
        {
            var full = Path.Combine(dir, name);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, body);
        }

        File.WriteAllBytes(Path.Combine(dir, BundleManifest.FileName), BundleManifest.Write(manifest));
        return dir;
    }

    // ------------------------------------------------------------------ archives

    [Theory]
    [InlineData("manifest.json")]
    [InlineData("config_dump.json")]
    public void Given_an_archive_with_two_entries_of_one_name_When_opened_Then_it_is_refused_naming_the_entry(string duplicate)
    {
        var entries = new List<(string, byte[]?, long)> { ManifestEntry(Standard()), Entry("config_dump.json", ConfigDump), Entry("clusters.json", Clusters) };
        entries.Add(duplicate == BundleManifest.FileName ? ManifestEntry(Manifest()) : Entry("./config_dump.json", Encoding.UTF8.GetBytes("{\"configs\":[1]}")));
        var archive = Archive("dup.tar.gz", [.. entries]);

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(archive));

        Assert.Equal($"{archive} holds two entries named '{duplicate}'; EnvoyLens refuses an archive whose files are ambiguous.", ex.Message);
    }

    [Fact]
    public void Given_a_listed_entry_larger_than_the_manifest_says_When_opened_Then_it_is_refused_before_its_bytes_are_read()
    {
        var manifest = Manifest(new BundleFile("config_dump", "config_dump.json", null, null, BundleManifest.Sha256Hex(ConfigDump), ConfigDump.Length));
        var archive = Archive("big.tar.gz", ManifestEntry(manifest), ("config_dump.json", null, 64L << 20));

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(archive));

        Assert.Equal($"{archive}/config_dump.json has {64L << 20} bytes but the bundle manifest says {ConfigDump.Length}; the bundle is damaged or was edited.", ex.Message);
    }

    [Fact]
    public void Given_an_unlisted_entry_When_opened_Then_it_is_skipped_and_the_listed_files_are_read()
    {
        var archive = Archive("extra.tar.gz", ManifestEntry(Standard()), Entry("clusters.json", Clusters), ("junk.bin", null, 8L << 20), Entry("config_dump.json", ConfigDump));

        var snapshot = SnapshotSources.Open(archive);

        Assert.Equal([AdminEndpoint.Clusters, AdminEndpoint.ConfigDump], snapshot.Documents.Select(d => d.Endpoint));
        Assert.Equal(ConfigDump, snapshot.Get(AdminEndpoint.ConfigDump)!.Content);
    }

    [Fact]
    public void Given_the_manifest_after_the_files_When_opened_Then_the_files_are_still_read()
    {
        var archive = Archive("late.tgz", Entry("config_dump.json", ConfigDump), Entry("clusters.json", Clusters), ManifestEntry(Standard()));

        var snapshot = SnapshotSources.Open(archive);

        Assert.Equal(Clusters, snapshot.Get(AdminEndpoint.Clusters)!.Content);
    }

    [Fact]
    public void Given_an_archive_inflating_past_the_cap_When_opened_Then_it_is_refused_naming_the_cap()
    {
        var archive = Archive("bomb.tar.gz", ManifestEntry(Standard()), Entry("config_dump.json", ConfigDump), Entry("clusters.json", Clusters), ("zeros", null, 32L << 20));

        var ex = Assert.Throws<EnvoyLensException>(() => BundleReader.ReadArchive(archive, 16L << 20));

        Assert.Equal($"{archive} inflates to more than 16,777,216 bytes, the most EnvoyLens reads of one bundle archive (a gzip bomb?).", ex.Message);
    }

    // Found by the bundle fuzz target, twice: a tar header whose modification time, in the base-256 form, does not fit
    // a 64-bit number threw OverflowException out of the reader; one that fits but lies past year 9999 threw
    // ArgumentOutOfRangeException ("unexpected ... this is a bug", exit 3).
    [Theory]
    [InlineData("overflow", "80ffffffffffffffffffffff")] // 88 bits of seconds
    [InlineData("past-9999", "8000000000000045d964b800")] // 3e11 s after 1970: a 64-bit number, but no DateTime
    public void Given_a_tar_header_with_a_time_no_clock_holds_When_opened_Then_one_sentence_names_the_archive(string name, string mtimeHex)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "config_dump.json") { DataStream = new MemoryStream(ConfigDump) });
        }

        var bytes = tar.ToArray();
        Convert.FromHexString(mtimeHex).CopyTo(bytes, 136); // mtime: 12 bytes at 136
        bytes.AsSpan(148, 8).Fill((byte)' ');
        var checksum = 0;
        foreach (var b in bytes.AsSpan(0, 512))
        {
            checksum += b;
        }

        Encoding.ASCII.GetBytes(Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0 ").CopyTo(bytes, 148);
        var archive = _temp.File($"{name}.tar.gz");
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(archive));

        Assert.Equal($"{archive} is not a readable .tar.gz bundle (a tar header has a number or time out of range).", ex.Message);
    }

    // Found by the bundle fuzz target: a GNU long-name entry ('L', and 'K', 'x', 'g' alike) is loaded whole by the
    // runtime's tar reader at the size its header claims, so a few bytes claiming 900 MB exhausted the memory.
    [Theory]
    [InlineData('L')]
    [InlineData('K')]
    [InlineData('x')]
    public void Given_a_tar_metadata_entry_claiming_900_MB_When_opened_Then_it_is_refused_before_anything_is_allocated(char type)
    {
        var bytes = new byte[1024];
        Encoding.ASCII.GetBytes("././@LongLink").CopyTo(bytes, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(bytes, 100);
        Encoding.ASCII.GetBytes(Convert.ToString(900_000_000L, 8).PadLeft(11, '0') + "\0").CopyTo(bytes, 124);
        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(bytes, 136);
        bytes[156] = (byte)type;
        Encoding.ASCII.GetBytes("ustar\000").CopyTo(bytes, 257);
        bytes.AsSpan(148, 8).Fill((byte)' ');
        var checksum = 0;
        foreach (var b in bytes.AsSpan(0, 512))
        {
            checksum += b;
        }

        Encoding.ASCII.GetBytes(Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0 ").CopyTo(bytes, 148);
        var archive = _temp.File($"long-{type}.tar.gz");
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(archive));

        Assert.Equal($"{archive} is not a readable .tar.gz bundle (a tar metadata entry (type '{type}') claims 900,000,000 bytes, more than the 1,048,576 EnvoyLens reads of one).", ex.Message);
    }

    [Fact]
    public void Given_a_manifest_listing_more_than_the_cap_When_opened_Then_it_is_refused_before_anything_is_read()
    {
        var manifest = Manifest(new BundleFile("config_dump", "config_dump.json", null, null, new string('0', 64), 3L << 30));
        var archive = Archive("claims.tar.gz", ManifestEntry(manifest));

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(archive));

        Assert.StartsWith($"{archive} has a manifest listing more than EnvoyLens reads (config_dump.json is 3,221,225,472 bytes;", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_listed_path_that_is_a_symlink_entry_When_opened_Then_it_is_refused_as_not_a_regular_file()
    {
        var path = _temp.File("link.tar.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, BundleManifest.FileName) { DataStream = new MemoryStream(BundleManifest.Write(Manifest(BundleFile.For("config_dump", "config_dump.json", [])))) });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "config_dump.json") { LinkName = "/etc/passwd" });
        }

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(path));

        Assert.Equal($"{path}/config_dump.json is a symbolic link entry in the archive, not a regular file; EnvoyLens reads only regular files.", ex.Message);
    }

    // ------------------------------------------------------------------ directories

    [Fact]
    public void Given_a_folder_component_that_is_a_symlink_When_opened_Then_it_is_refused_naming_it()
    {
        var elsewhere = Path.Combine(_temp.Path, "elsewhere");
        System.IO.Directory.CreateDirectory(elsewhere);
        File.WriteAllBytes(Path.Combine(elsewhere, "config_dump.json"), ConfigDump);
        var dir = Directory(Manifest(BundleFile.For("config_dump", "sub/config_dump.json", ConfigDump)));
        System.IO.Directory.CreateSymbolicLink(Path.Combine(dir, "sub"), elsewhere);

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(dir));

        Assert.Equal($"{dir}/sub/config_dump.json goes through a symbolic link ('sub'), which EnvoyLens refuses to follow in a bundle: a link may point outside the bundle.", ex.Message);
    }

    [Fact]
    public void Given_a_symlinked_manifest_When_opened_Then_it_is_refused()
    {
        var real = Directory(Standard(), ("config_dump.json", ConfigDump), ("clusters.json", Clusters));
        var other = Path.Combine(_temp.Path, "other");
        System.IO.Directory.CreateDirectory(other);
        File.WriteAllBytes(Path.Combine(other, "config_dump.json"), ConfigDump);
        File.WriteAllBytes(Path.Combine(other, "clusters.json"), Clusters);
        File.CreateSymbolicLink(Path.Combine(other, BundleManifest.FileName), Path.Combine(real, BundleManifest.FileName));

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(other));

        Assert.Equal($"{other}/manifest.json goes through a symbolic link ('manifest.json'), which EnvoyLens refuses to follow in a bundle: a link may point outside the bundle.", ex.Message);
    }

    [Fact]
    public void Given_a_symlink_inside_the_bundle_pointing_inside_it_When_opened_Then_it_is_refused_too()
    {
        var dir = Directory(Manifest(BundleFile.For("config_dump", "config_dump.json", ConfigDump)), ("real.json", ConfigDump));
        File.CreateSymbolicLink(Path.Combine(dir, "config_dump.json"), Path.Combine(dir, "real.json"));

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(dir));

        Assert.Contains("goes through a symbolic link ('config_dump.json')", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Given_a_FIFO_in_place_of_a_listed_file_When_opened_Then_it_is_refused_without_being_opened()
    {
        Skip.If(OperatingSystem.IsWindows(), "FIFOs are a Unix thing.");
        var dir = Directory(Manifest(BundleFile.For("config_dump", "config_dump.json", ConfigDump)));
        var fifo = Path.Combine(dir, "config_dump.json");
        MakeFifo(fifo);

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(dir));

        Assert.Equal($"{dir}/config_dump.json has 0 bytes but the bundle manifest says {ConfigDump.Length}; the bundle is damaged or was edited.", ex.Message);
    }

    [SkippableFact]
    public void Given_a_FIFO_as_the_manifest_When_opened_Then_it_is_refused_without_being_opened()
    {
        Skip.If(OperatingSystem.IsWindows(), "FIFOs are a Unix thing.");
        var dir = Path.Combine(_temp.Path, "fifo-bundle");
        System.IO.Directory.CreateDirectory(dir);
        MakeFifo(Path.Combine(dir, BundleManifest.FileName));

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(dir));

        Assert.StartsWith($"{dir}/manifest.json is not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    // ------------------------------------------------------------------ huge files that are not JSON

    [Theory]
    [InlineData(null, "NUL bytes")]
    [InlineData("clusters::outbound|9080||ratings::cx_active::0\n", "text")]
    public void Given_a_file_over_1_GiB_that_is_not_JSON_When_opened_Then_it_is_refused_from_its_first_bytes(string? text, string what)
    {
        var path = _temp.File("huge.txt");
        using (var file = File.Create(path))
        {
            if (text is not null)
            {
                file.Write(Encoding.UTF8.GetBytes(text));
            }

            file.SetLength(1_100_000_000);
        }

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(path));

        Assert.Equal($"{path} is not JSON (it starts with {what}) and, at 1,100,000,000 bytes, is over the 256 MiB EnvoyLens reads of input that is not JSON.", ex.Message);
    }

    [Fact]
    public void Given_a_bundle_member_over_the_text_limit_that_is_not_JSON_When_opened_Then_it_is_refused_naming_it()
    {
        var dir = Path.Combine(_temp.Path, "sparse");
        System.IO.Directory.CreateDirectory(dir);
        var member = Path.Combine(dir, "stats.txt");
        using (var file = File.Create(member))
        {
            file.SetLength(300L << 20);
        }

        // The hash is never reached: the first bytes decide.
        File.WriteAllBytes(Path.Combine(dir, BundleManifest.FileName), BundleManifest.Write(Manifest(new BundleFile("stats", "stats.txt", null, null, new string('0', 64), 300L << 20))));

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(dir));

        Assert.Equal($"{dir}/stats.txt is not JSON (it starts with NUL bytes) and, at 314,572,800 bytes, is over the 256 MiB EnvoyLens reads of input that is not JSON.", ex.Message);
    }

    /// <summary>Reads as <paramref name="length"/> zero bytes without holding them.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => _position = value;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
