using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using EnvoyLens.Core;

namespace EnvoyLens.Admin;

/// <summary>
/// Reads an EnvoyLens bundle (a directory, or a <c>.tar.gz</c>/<c>.tgz</c> streamed without extracting): its manifest,
/// then every listed file, checking size (before reading) and SHA-256, and refusing paths that leave the bundle, links,
/// files that are not regular, duplicate archive entries and archives larger than <see cref="MaxBundleBytes"/>.
/// </summary>
public static class BundleReader
{
    /// <summary>The largest <c>manifest.json</c> read (16 MiB).</summary>
    public const long MaxManifestBytes = 16L << 20;

    /// <summary>
    /// The most an archive may inflate to, every entry counted (listed or not), and the most the files a manifest lists
    /// may add up to (4 GiB): reading a bundle is bounded in time and memory whatever its compression ratio.
    /// </summary>
    public const long MaxBundleBytes = 4L << 30;

    /// <summary>True when <paramref name="path"/> names a bundle archive by its extension.</summary>
    public static bool IsArchive(string path) =>
        path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the bundle in directory <paramref name="directory"/>.</summary>
    public static RawSnapshot ReadDirectory(string directory)
    {
        var root = Path.GetFullPath(directory);
        var shownManifest = Path.Join(directory, BundleManifest.FileName);
        var manifestPath = Path.Combine(root, BundleManifest.FileName);
        var manifestInfo = new FileInfo(manifestPath);
        if (manifestInfo.LinkTarget is not null)
        {
            throw Link(shownManifest, BundleManifest.FileName);
        }

        if (!manifestInfo.Exists)
        {
            throw new EnvoyLensException($"{directory} is a directory but not an EnvoyLens bundle: it has no {BundleManifest.FileName}.");
        }

        if (manifestInfo.Length > MaxManifestBytes)
        {
            throw new EnvoyLensException($"{shownManifest} is {InputLimits.Bytes(manifestInfo.Length)}, over the {InputLimits.Bytes(MaxManifestBytes)} a bundle manifest may have.");
        }

        // Size first: a FIFO, device or socket has none, and is refused without being opened (opening a FIFO blocks).
        var manifestBytes = manifestInfo.Length == 0 ? [] : ReadExactly(manifestPath, manifestInfo.Length, shownManifest);
        var manifest = BundleManifest.Read(manifestBytes, shownManifest);
        CheckListedTotal(manifest, directory);
        var documents = new List<RawDocument>();
        RawFile? controlPlane = null;
        foreach (var file in manifest.Files)
        {
            var rel = CheckRelative(directory, file.Path);
            var source = directory + "/" + rel;
            var full = ResolveInside(root, directory, rel);
            var info = new FileInfo(full);
            if (!info.Exists)
            {
                throw Directory.Exists(full)
                    ? new EnvoyLensException($"{source} is listed in the bundle manifest as a file but is a directory.")
                    : Missing(source);
            }

            if (info.Length != file.Bytes)
            {
                throw SizeMismatch(source, info.Length, file.Bytes);
            }

            var content = file.Bytes == 0 ? [] : ReadExactly(full, file.Bytes, source);
            controlPlane = Add(documents, file, source, content) ?? controlPlane;
        }

        return new RawSnapshot(directory, documents, manifest.CapturedAt) { ControlPlane = controlPlane };
    }

    /// <summary>
    /// Reads the bundle archive <paramref name="archive"/> (gzip-compressed tar), streamed: entries the manifest does not
    /// list are skipped without being held, a listed entry is read only when its size is the manifest's, and the
    /// whole archive may inflate to at most <see cref="MaxBundleBytes"/>. Two entries of one name are refused.
    /// </summary>
    public static RawSnapshot ReadArchive(string archive) => ReadArchive(archive, MaxBundleBytes);

    internal static RawSnapshot ReadArchive(string archive, long maxBytes)
    {
        // Pass one: every entry's name (duplicates), kind and size, and the manifest. When the manifest is the first
        // file (as EnvoyLens writes it), the listed files are taken in the same pass; otherwise a second pass reads them.
        var scan = new ArchiveScan(archive, maxBytes);
        Walk(archive, maxBytes, scan.Visit);
        var (manifestName, manifest) = scan.Chosen();
        var prefix = manifestName[..^BundleManifest.FileName.Length];
        var wanted = Wanted(manifest, archive, prefix, scan);
        Dictionary<string, byte[]> found;
        if (scan.Early is { } early && early.Name == manifestName)
        {
            found = early.Found;
        }
        else
        {
            found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            Walk(archive, maxBytes, (name, entry) =>
            {
                if (wanted.TryGetValue(name, out var listed) && !found.ContainsKey(name))
                {
                    found[name] = ReadEntry(entry, listed.File, listed.Source);
                }

                return found.Count < wanted.Count;
            });
        }

        var documents = new List<RawDocument>();
        RawFile? controlPlane = null;
        foreach (var (name, (file, source, _)) in wanted.OrderBy(w => w.Value.Order))
        {
            var content = found.GetValueOrDefault(name) ?? throw Missing(source);
            controlPlane = Add(documents, file, source, content) ?? controlPlane;
        }

        return new RawSnapshot(archive, documents, manifest.CapturedAt) { ControlPlane = controlPlane };
    }

    private readonly record struct Listed(BundleFile File, string Source, int Order);

    private static Dictionary<string, Listed> Wanted(BundleManifest manifest, string archive, string prefix, ArchiveScan scan)
    {
        CheckListedTotal(manifest, archive);
        var wanted = new Dictionary<string, Listed>(StringComparer.Ordinal);
        var order = 0;
        foreach (var file in manifest.Files)
        {
            var rel = CheckRelative(archive, file.Path);
            var name = prefix + rel;
            var source = archive + "/" + rel;
            if (!wanted.TryAdd(name, new Listed(file, source, order++)))
            {
                throw new EnvoyLensException($"{archive} has a manifest that lists '{rel}' twice; the bundle is damaged or was edited.");
            }

            if (scan.NonRegular.TryGetValue(name, out var kind))
            {
                throw new EnvoyLensException($"{source} is a {kind} entry in the archive, not a regular file; EnvoyLens reads only regular files.");
            }

            if (scan.Sizes.TryGetValue(name, out var size) && size != file.Bytes)
            {
                throw SizeMismatch(source, size, file.Bytes);
            }
        }

        return wanted;
    }

    /// <summary>What the first pass over an archive saw.</summary>
    private sealed class ArchiveScan(string archive, long maxBytes)
    {
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);
        private readonly Dictionary<string, BundleManifest> _manifests = new(StringComparer.Ordinal);
        private Dictionary<string, Listed>? _earlyWanted;
        private long _total;
        private bool _sawFile;

        public Dictionary<string, long> Sizes { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> NonRegular { get; } = new(StringComparer.Ordinal);

        /// <summary>The manifest when it was the first file, and the listed files read after it in the same pass.</summary>
        public (string Name, Dictionary<string, byte[]> Found)? Early { get; private set; }

        public bool Visit(string name, TarEntry entry)
        {
            if (entry.EntryType == TarEntryType.Directory)
            {
                return true;
            }

            if (!_names.Add(name))
            {
                throw new EnvoyLensException($"{archive} holds two entries named '{name}'; EnvoyLens refuses an archive whose files are ambiguous.");
            }

            _total += Math.Max(0, entry.Length);
            if (_total > maxBytes)
            {
                throw TooLarge(archive, maxBytes);
            }

            if (!IsRegular(entry.EntryType))
            {
                NonRegular[name] = Kind(entry.EntryType);
                return true;
            }

            Sizes[name] = entry.Length;
            var first = !_sawFile;
            _sawFile = true;
            if (IsManifestName(name))
            {
                if (entry.Length > MaxManifestBytes)
                {
                    throw new EnvoyLensException($"{archive}!{name} is {InputLimits.Bytes(entry.Length)}, over the {InputLimits.Bytes(MaxManifestBytes)} a bundle manifest may have.");
                }

                var manifest = BundleManifest.Read(ReadData(entry, archive + "!" + name), archive + "!" + name);
                _manifests[name] = manifest;
                if (first)
                {
                    var prefix = name[..^BundleManifest.FileName.Length];
                    _earlyWanted = Wanted(manifest, archive, prefix, this);
                    Early = (name, new Dictionary<string, byte[]>(StringComparer.Ordinal));
                }

                return true;
            }

            if (_earlyWanted is not null && Early is { } early && _earlyWanted.TryGetValue(name, out var listed))
            {
                early.Found[name] = ReadEntry(entry, listed.File, listed.Source);
            }

            return true;
        }

        /// <summary>The manifest sits at the root, or in a single top-level folder (<c>tar czf x.tgz folder/</c>).</summary>
        public (string Name, BundleManifest Manifest) Chosen()
        {
            if (_manifests.TryGetValue(BundleManifest.FileName, out var atRoot))
            {
                return (BundleManifest.FileName, atRoot);
            }

            return _manifests.Count switch
            {
                1 => (_manifests.Keys.First(), _manifests.Values.First()),
                0 => throw new EnvoyLensException($"{archive} is not an EnvoyLens bundle: the archive has no {BundleManifest.FileName}."),
                _ => throw new EnvoyLensException(
                    $"{archive} holds several bundles ({string.Join(", ", _manifests.Keys.Order(StringComparer.Ordinal))}); EnvoyLens reads one bundle per archive."),
            };
        }
    }

    private static bool IsManifestName(string name) =>
        name == BundleManifest.FileName ||
        (name.EndsWith("/" + BundleManifest.FileName, StringComparison.Ordinal) && name.Count(c => c == '/') == 1);

    private static bool IsRegular(TarEntryType type) =>
        type is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile;

    private static string Kind(TarEntryType type) => type switch
    {
        TarEntryType.SymbolicLink => "symbolic link",
        TarEntryType.HardLink => "hard link",
        TarEntryType.Fifo => "FIFO",
        TarEntryType.CharacterDevice or TarEntryType.BlockDevice => "device",
        _ => type.ToString(),
    };

    /// <summary>
    /// Streams the entries of <paramref name="archive"/> to <paramref name="visit"/> (name without <c>./</c>) until it
    /// returns false; at most <paramref name="maxBytes"/> are inflated, whatever the headers claim.
    /// </summary>
    private static void Walk(string archive, long maxBytes, Func<string, TarEntry, bool> visit)
    {
        CappedReadStream? capped = null;
        try
        {
            // Headers and padding come on top of the entries' data: allow an eighth more, plus a little.
            var inflateLimit = maxBytes + (maxBytes / 8) + (1 << 20);
            using (var checkFile = File.OpenRead(archive))
            using (var checkGzip = new GZipStream(checkFile, CompressionMode.Decompress))
            {
                capped = new CappedReadStream(checkGzip, inflateLimit);
                CheckMetadataSizes(capped);
                capped.Dispose();
            }

            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            capped = new CappedReadStream(gzip, inflateLimit);
            using var tar = new TarReader(capped);
            while (NextEntry(tar) is { } entry)
            {
                var name = entry.Name.Replace('\\', '/');
                while (name.StartsWith("./", StringComparison.Ordinal))
                {
                    name = name[2..];
                }

                if (name.Length > 0 && !visit(name, entry))
                {
                    return;
                }
            }
        }
        catch (IOException) when (capped is { Exceeded: true })
        {
            throw TooLarge(archive, maxBytes);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or OverflowException)
        {
            // OverflowException: a tar header number (a size or a time) larger than its type holds.
            throw new EnvoyLensException($"{archive} is not a readable .tar.gz bundle ({ex.Message.TrimEnd('.')}).", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EnvoyLensException($"{archive} cannot be read ({ex.Message.TrimEnd('.')}).", ex);
        }
        finally
        {
            capped?.Dispose();
        }
    }

    /// <summary>The most a tar metadata entry (a GNU long name or link, a PAX header) may hold: names are a few KiB.</summary>
    private const int MaxMetadataEntry = 1 << 20;

    /// <summary>
    /// One forward pass over the tar's headers before it is read: the runtime's tar reader loads a GNU long name or link
    /// entry (<c>L</c>, <c>K</c>) and a PAX header (<c>x</c>, <c>g</c>) whole, at the size its header claims, so a claim
    /// of a gigabyte in a few bytes of archive would exhaust memory before any cap saw a byte (found by fuzzing). Such an
    /// entry over <see cref="MaxMetadataEntry"/> is refused; everything else is skipped, and what this pass cannot parse
    /// is left for the reader to report.
    /// </summary>
    private static void CheckMetadataSizes(Stream tar)
    {
        var header = new byte[512];
        long? nextSize = null;
        while (ReadFully(tar, header) == header.Length && header.AsSpan().ContainsAnyExcept((byte)0))
        {
            if (TarNumber(header.AsSpan(124, 12)) is not { } declared)
            {
                return;
            }

            var type = (char)header[156];
            var size = type is 'L' or 'K' or 'x' or 'g' ? declared : nextSize ?? declared;
            nextSize = null;
            if (type is 'L' or 'K' or 'x' or 'g')
            {
                if (size > MaxMetadataEntry)
                {
                    throw new InvalidDataException(
                        $"a tar metadata entry (type '{type}') claims {size.ToString("N0", CultureInfo.InvariantCulture)} bytes, more than the {MaxMetadataEntry.ToString("N0", CultureInfo.InvariantCulture)} EnvoyLens reads of one");
                }

                var content = new byte[(int)size];
                if (ReadFully(tar, content) < content.Length)
                {
                    return;
                }

                if (type == 'x')
                {
                    nextSize = PaxSize(content);
                }

                size = 0;
                Skip(tar, (512 - (content.Length % 512)) % 512);
            }

            if (size < 0 || !Skip(tar, size + ((512 - (size % 512)) % 512)))
            {
                return;
            }
        }
    }

    /// <summary>A tar header number: octal text (spaces and NULs around it), or base-256 when the first byte's top bit is set; null when neither.</summary>
    private static long? TarNumber(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            long value = field[0] & 0x7F;
            foreach (var b in field[1..])
            {
                if (value > (long.MaxValue >> 8))
                {
                    return null;
                }

                value = (value << 8) | b;
            }

            return value;
        }

        long octal = 0;
        var digits = 0;
        foreach (var b in field)
        {
            if (b is (byte)' ' or 0)
            {
                if (digits > 0)
                {
                    break;
                }

                continue;
            }

            if (b is < (byte)'0' or > (byte)'7' || octal > (long.MaxValue >> 3))
            {
                return null;
            }

            octal = (octal << 3) | (uint)(b - '0');
            digits++;
        }

        return octal;
    }

    /// <summary>The <c>size</c> record of a PAX header (<c>LEN size=VALUE\n</c>), which overrides the next entry's header.</summary>
    private static long? PaxSize(byte[] content)
    {
        foreach (var record in Encoding.UTF8.GetString(content).Split('\n'))
        {
            var space = record.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && record.AsSpan(space + 1).StartsWith("size=", StringComparison.Ordinal) &&
                long.TryParse(record.AsSpan(space + 6), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return size;
            }
        }

        return null;
    }

    private static int ReadFully(Stream stream, byte[] buffer)
    {
        var total = 0;
        while (total < buffer.Length && stream.Read(buffer, total, buffer.Length - total) is var n and > 0)
        {
            total += n;
        }

        return total;
    }

    /// <summary>Reads and drops <paramref name="count"/> bytes; false at the end of the stream.</summary>
    private static bool Skip(Stream stream, long count)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (n == 0)
            {
                return false;
            }

            count -= n;
        }

        return true;
    }

    /// <summary>
    /// The next tar header, or null at the end. A header the runtime's tar reader cannot turn into an entry (a time
    /// outside the calendar, a number wider than its type, a malformed field) fails with whatever exception its parser
    /// happens to throw; every one of them but a stream failure is the archive's fault, so it becomes
    /// <see cref="InvalidDataException"/> and reaches the caller as one sentence naming the archive.
    /// </summary>
    private static TarEntry? NextEntry(TarReader tar)
    {
        try
        {
            return tar.GetNextEntry(copyData: false);
        }
        catch (Exception ex) when (ex is not (IOException or OutOfMemoryException or OperationCanceledException or InvalidDataException))
        {
            var what = ex is ArgumentException or OverflowException ? "a tar header has a number or time out of range" : ex.Message;
            throw new InvalidDataException(what, ex);
        }
    }

    /// <summary>Reads a listed entry: only when its header gives the manifest's size, never a byte past it.</summary>
    private static byte[] ReadEntry(TarEntry entry, BundleFile file, string source)
    {
        if (entry.Length != file.Bytes)
        {
            throw SizeMismatch(source, entry.Length, file.Bytes);
        }

        return ReadData(entry, source);
    }

    private static byte[] ReadData(TarEntry entry, string source)
    {
        return entry.Length == 0 ? [] : ReadChecked(entry.DataStream ?? throw Missing(source), entry.Length, source);
    }

    /// <summary>
    /// Reads exactly <paramref name="bytes"/> bytes, deciding from the first ones (<see cref="InputLimits.Check"/>)
    /// before the array for the rest is allocated.
    /// </summary>
    private static byte[] ReadChecked(Stream stream, long bytes, string shown)
    {
        var head = new byte[(int)Math.Min(bytes, InputLimits.SniffBytes)];
        stream.ReadExactly(head);
        InputLimits.Check(head, bytes, shown);
        var content = new byte[bytes];
        head.CopyTo(content, 0);
        stream.ReadExactly(content, head.Length, content.Length - head.Length);
        return content;
    }

    /// <summary>Verifies one listed file and keeps it: an admin document in <paramref name="documents"/>, the control plane's view returned.</summary>
    private static RawFile? Add(List<RawDocument> documents, BundleFile file, string source, byte[] content)
    {
        if (content.LongLength != file.Bytes)
        {
            throw SizeMismatch(source, content.LongLength, file.Bytes);
        }

        var sha = BundleManifest.Sha256Hex(content);
        if (!string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new EnvoyLensException(
                $"{source} does not match its SHA-256 in the bundle manifest; the bundle is damaged or was edited.");
        }

        if (string.Equals(file.Endpoint, RawSnapshot.ControlPlaneEndpoint, StringComparison.Ordinal))
        {
            return new RawFile(source, content, file.CapturedAt);
        }

        // Endpoints a later EnvoyLens may capture are verified above but not loaded.
        if (BundleManifest.TryParseEndpoint(file.Endpoint, out var endpoint))
        {
            documents.Add(new RawDocument(endpoint, source, content, file.CapturedAt));
        }

        return null;
    }

    private static void CheckListedTotal(BundleManifest manifest, string origin)
    {
        var total = 0L;
        foreach (var file in manifest.Files)
        {
            total += file.Bytes;
            if (file.Bytes > InputLimits.MaxDocumentBytes || total > MaxBundleBytes)
            {
                throw new EnvoyLensException(
                    $"{origin} has a manifest listing more than EnvoyLens reads ({file.Path} is {InputLimits.Bytes(file.Bytes)}; " +
                    $"a file may have {InputLimits.Bytes(InputLimits.MaxDocumentBytes)}, a bundle {InputLimits.Bytes(MaxBundleBytes)}).");
            }
        }
    }

    /// <summary>
    /// The full path of <paramref name="rel"/> below <paramref name="root"/>, refusing when any component (folder or
    /// file) is a link: a link inside a bundle is never followed, wherever it points.
    /// </summary>
    private static string ResolveInside(string root, string directory, string rel)
    {
        var full = root;
        var segments = rel.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            full = Path.Combine(full, segments[i]);
            var info = new FileInfo(full);
            if (info.LinkTarget is not null)
            {
                throw Link(directory + "/" + rel, string.Join('/', segments[..(i + 1)]));
            }

            if (i < segments.Length - 1 && !Directory.Exists(full))
            {
                throw Missing(directory + "/" + rel);
            }
        }

        return IsInside(root, Path.GetFullPath(full)) ? full : throw Escapes(directory, rel);
    }

    /// <summary>Reads exactly <paramref name="bytes"/> bytes (the size checked beforehand), refusing a file that changed meanwhile.</summary>
    private static byte[] ReadExactly(string full, long bytes, string shown)
    {
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            return ReadChecked(stream, bytes, shown);
        }
        catch (EndOfStreamException ex)
        {
            throw new EnvoyLensException($"{shown} became shorter while it was read; read the bundle again when nothing writes to it.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EnvoyLensException($"{shown} cannot be read ({ex.Message.TrimEnd('.')}).", ex);
        }
    }

    /// <summary>A manifest path must be relative, use <c>/</c>, and never climb out of the bundle.</summary>
    private static string CheckRelative(string origin, string path)
    {
        var normalized = path.Replace('\\', '/');
        var segments = normalized.Split('/');
        if (normalized.Length == 0 || normalized[0] == '/' || Path.IsPathRooted(path) || (normalized.Length > 1 && normalized[1] == ':') ||
            segments.Any(s => s is ".." || s.Length == 0))
        {
            throw Escapes(origin, path);
        }

        var kept = segments.Where(s => s != ".").ToList();
        return kept.Count == 0 ? throw Escapes(origin, path) : string.Join('/', kept);
    }

    private static EnvoyLensException Escapes(string origin, string path) =>
        new($"{origin} has a manifest entry '{path}' that points outside the bundle, which EnvoyLens refuses to read.");

    private static EnvoyLensException Link(string shown, string component) =>
        new($"{shown} goes through a symbolic link ('{component}'), which EnvoyLens refuses to follow in a bundle: a link may point outside the bundle.");

    private static EnvoyLensException Missing(string source) =>
        new($"{source} is listed in the bundle manifest but missing from the bundle.");

    private static EnvoyLensException SizeMismatch(string source, long actual, long listed) =>
        new($"{source} has {actual} bytes but the bundle manifest says {listed}; the bundle is damaged or was edited.");

    private static EnvoyLensException TooLarge(string archive, long maxBytes) =>
        new($"{archive} inflates to more than {InputLimits.Bytes(maxBytes)}, the most EnvoyLens reads of one bundle archive (a gzip bomb?).");

    private static bool IsInside(string root, string full)
    {
        var rootWithSep = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return full.StartsWith(rootWithSep, StringComparison.Ordinal);
    }

    /// <summary>A read-only view of a stream that throws once more than a set number of bytes were read through it.</summary>
    private sealed class CappedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        /// <summary>True once the limit was passed (the read that passed it threw an <see cref="IOException"/>).</summary>
        public bool Exceeded => _read > limit;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            _read += n;
            return Exceeded ? throw new IOException("the archive inflates past its limit") : n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
