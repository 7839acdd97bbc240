using System.Formats.Tar;
using System.IO.Compression;
using EnvoyLens.Core;

namespace EnvoyLens.Admin;

/// <summary>
/// Reads an EnvoyLens bundle (a directory, or a <c>.tar.gz</c>/<c>.tgz</c> read in memory without extracting):
/// its manifest, then every listed file, checking size and SHA-256 and refusing paths that leave the bundle.
/// </summary>
public static class BundleReader
{
    /// <summary>True when <paramref name="path"/> names a bundle archive by its extension.</summary>
    public static bool IsArchive(string path) =>
        path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the bundle in directory <paramref name="directory"/>.</summary>
    public static RawSnapshot ReadDirectory(string directory)
    {
        var root = Path.GetFullPath(directory);
        var manifestPath = Path.Combine(root, BundleManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new EnvoyLensException($"{directory} is a directory but not an EnvoyLens bundle: it has no {BundleManifest.FileName}.");
        }

        var manifest = BundleManifest.Read(ReadFile(manifestPath, Path.Join(directory, BundleManifest.FileName)), Path.Join(directory, BundleManifest.FileName));
        return Load(manifest, directory, rel =>
        {
            var full = Path.GetFullPath(Path.Combine(root, rel));
            if (!IsInside(root, full))
            {
                throw Escapes(directory, rel);
            }

            if (!File.Exists(full))
            {
                return null;
            }

            var link = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            if (link is not null && !IsInside(root, Path.GetFullPath(link.FullName)))
            {
                throw new EnvoyLensException($"{Path.Join(directory, rel)} is a link to a file outside the bundle, which EnvoyLens refuses to read.");
            }

            return ReadFile(full, Path.Join(directory, rel));
        });
    }

    /// <summary>Reads the bundle archive <paramref name="archive"/> (gzip-compressed tar), in memory.</summary>
    public static RawSnapshot ReadArchive(string archive)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                {
                    continue;
                }

                var name = entry.Name.Replace('\\', '/');
                while (name.StartsWith("./", StringComparison.Ordinal))
                {
                    name = name[2..];
                }

                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                entries[name] = data.ToArray();
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new EnvoyLensException($"{archive} is not a readable .tar.gz bundle ({ex.Message.TrimEnd('.')}).", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EnvoyLensException($"{archive} cannot be read ({ex.Message.TrimEnd('.')}).", ex);
        }

        // The manifest sits at the root, or in a single top-level folder (tar czf x.tgz folder/).
        var manifests = entries.Keys.Where(k => k == BundleManifest.FileName || (k.EndsWith("/" + BundleManifest.FileName, StringComparison.Ordinal) && k.Count(c => c == '/') == 1)).ToList();
        var manifestName = manifests.Contains(BundleManifest.FileName) ? BundleManifest.FileName : manifests.Count == 1 ? manifests[0] : null;
        if (manifestName is null)
        {
            throw new EnvoyLensException(manifests.Count == 0
                ? $"{archive} is not an EnvoyLens bundle: the archive has no {BundleManifest.FileName}."
                : $"{archive} holds several bundles ({string.Join(", ", manifests)}); EnvoyLens reads one bundle per archive.");
        }

        var prefix = manifestName[..^BundleManifest.FileName.Length];
        var manifest = BundleManifest.Read(entries[manifestName], archive + "!" + manifestName);
        return Load(manifest, archive, rel => entries.GetValueOrDefault(prefix + rel));
    }

    private static RawSnapshot Load(BundleManifest manifest, string origin, Func<string, byte[]?> open)
    {
        var documents = new List<RawDocument>();
        foreach (var file in manifest.Files)
        {
            var rel = CheckRelative(origin, file.Path);
            var source = origin + "/" + rel;
            var content = open(rel) ?? throw new EnvoyLensException(
                $"{source} is listed in the bundle manifest but missing from the bundle.");
            if (content.LongLength != file.Bytes)
            {
                throw new EnvoyLensException(
                    $"{source} has {content.LongLength} bytes but the bundle manifest says {file.Bytes}; the bundle is damaged or was edited.");
            }

            var sha = BundleManifest.Sha256Hex(content);
            if (!string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new EnvoyLensException(
                    $"{source} does not match its SHA-256 in the bundle manifest; the bundle is damaged or was edited.");
            }

            // Endpoints a later EnvoyLens may capture are verified above but not loaded.
            if (BundleManifest.TryParseEndpoint(file.Endpoint, out var endpoint))
            {
                documents.Add(new RawDocument(endpoint, source, content, file.CapturedAt));
            }
        }

        return new RawSnapshot(origin, documents, manifest.CapturedAt);
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

        return string.Join('/', segments.Where(s => s != "."));
    }

    private static EnvoyLensException Escapes(string origin, string path) =>
        new($"{origin} has a manifest entry '{path}' that points outside the bundle, which EnvoyLens refuses to read.");

    private static bool IsInside(string root, string full)
    {
        var rootWithSep = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return full.StartsWith(rootWithSep, StringComparison.Ordinal);
    }

    internal static byte[] ReadFile(string full, string shown)
    {
        try
        {
            return File.ReadAllBytes(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EnvoyLensException($"{shown} cannot be read ({ex.Message.TrimEnd('.')}).", ex);
        }
    }
}
