using EnvoyLens.Core;

namespace EnvoyLens.Admin;

/// <summary>
/// Opens what the user named (a config dump file, another admin output file, several such files, a bundle directory
/// or .tar.gz, or a folder of admin outputs saved one by one) as raw bytes.
/// </summary>
public static class SnapshotSources
{
    /// <summary>
    /// A directory with a <c>manifest.json</c> or a <c>.tar.gz</c>/<c>.tgz</c> is read as a bundle (see BUNDLE.md), a
    /// directory without one as loose admin outputs (<see cref="OpenLooseDirectory"/>); any other file becomes a
    /// one-document snapshot whose endpoint is sniffed from its content (<see cref="DocumentSniffer"/>).
    /// Sizes are checked before reading (<see cref="InputLimits"/>). Problems are <see cref="EnvoyLensException"/>s naming the path.
    /// </summary>
    public static RawSnapshot Open(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new EnvoyLensException("No input was named: give a config dump file, a bundle directory or a .tar.gz bundle.");
        }

        if (Directory.Exists(path))
        {
            return IsLooseDirectory(path) ? OpenLooseDirectory(path) : BundleReader.ReadDirectory(path);
        }

        if (!File.Exists(path))
        {
            throw new EnvoyLensException($"{path} does not exist.");
        }

        if (BundleReader.IsArchive(path))
        {
            return BundleReader.ReadArchive(path);
        }

        var content = InputLimits.ReadFile(path, path);
        return new RawSnapshot(path, [new RawDocument(DocumentSniffer.Sniff(content), path, content)]);
    }

    /// <summary>True when <paramref name="path"/> is a directory without a bundle manifest: admin outputs saved one by one.</summary>
    public static bool IsLooseDirectory(string path) =>
        Directory.Exists(path) && !File.Exists(Path.Combine(path, BundleManifest.FileName));

    /// <summary>
    /// Several admin outputs saved as separate files (<c>--file config_dump.json --file stats.txt --file certs.json</c>),
    /// read as one capture: each file's endpoint is sniffed from its content. A file that is missing, unreadable, a
    /// directory or a bundle archive, a file whose content is not recognised as any admin output, and two files of the
    /// same endpoint are errors naming the file.
    /// </summary>
    public static RawSnapshot OpenFiles(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new EnvoyLensException("No input was named: give a config dump file, a bundle directory or a .tar.gz bundle.");
        }

        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                throw new EnvoyLensException($"{path} is a directory; name it alone to read a bundle or a folder of admin outputs, not beside other files.");
            }

            if (!File.Exists(path))
            {
                throw new EnvoyLensException($"{path} does not exist.");
            }

            if (BundleReader.IsArchive(path))
            {
                throw new EnvoyLensException($"{path} is a bundle archive; name it alone, not beside other files.");
            }
        }

        return Loose(string.Join(" + ", paths), paths.Select(p => (p, p)), openEmpty: true);
    }

    /// <summary>
    /// A directory without <c>manifest.json</c>: every file in it (not in subfolders, which are refused, and not hidden
    /// dot-files) is one admin output, sniffed as by <see cref="OpenFiles"/>. An empty folder is an error.
    /// </summary>
    public static RawSnapshot OpenLooseDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        List<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EnvoyLensException($"{directory} cannot be read ({ex.Message.TrimEnd('.')}).", ex);
        }

        var files = new List<(string Full, string Shown)>();
        foreach (var entry in entries)
        {
            var name = Path.GetFileName(entry);
            if (name.StartsWith('.'))
            {
                continue;
            }

            var shown = Path.Join(directory, name);
            if (Directory.Exists(entry))
            {
                throw new EnvoyLensException(
                    $"{shown} is a folder inside a folder of admin outputs without {BundleManifest.FileName}; such a folder holds only files, one per admin endpoint.");
            }

            // Inside a folder a link is never followed (name the file itself with --file to read it).
            if (new FileInfo(entry).LinkTarget is not null)
            {
                throw new EnvoyLensException($"{shown} is a link, which EnvoyLens does not follow inside a folder of admin outputs; name the file itself with --file.");
            }

            files.Add((entry, shown));
        }

        if (files.Count == 0)
        {
            throw new EnvoyLensException($"{directory} is neither an EnvoyLens bundle (it has no {BundleManifest.FileName}) nor a folder of admin outputs (it holds no files).");
        }

        return Loose(directory, files, openEmpty: false);
    }

    /// <param name="openEmpty">
    /// False inside a folder: a file of no size is not opened, so a FIFO, device or socket there (none has a size) cannot
    /// block or flood the read. True for files the user named, which may be pipes (<c>--file &lt;(curl ...)</c>).
    /// </param>
    private static RawSnapshot Loose(string origin, IEnumerable<(string Full, string Shown)> files, bool openEmpty)
    {
        var documents = new List<RawDocument>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (full, shown) in files)
        {
            var content = !openEmpty && new FileInfo(full).Length == 0 ? [] : InputLimits.ReadFile(full, shown);
            var endpoint = DocumentSniffer.Recognize(content) ?? ByNameWhenEmpty(full, content) ?? throw new EnvoyLensException(
                $"{shown} is not recognised as the output of any Envoy admin endpoint (config_dump, clusters, listeners, certs, server_info, stats, init_dump, ready, runtime, memory).");
            var kind = AdminEndpoints.Of(endpoint).Kind;
            if (seen.TryGetValue(kind, out var other))
            {
                throw new EnvoyLensException($"{other} and {shown} both hold /{kind} output; name only one of them.");
            }

            seen[kind] = shown;
            documents.Add(new RawDocument(endpoint, shown, content));
        }

        return new RawSnapshot(origin, documents);
    }

    /// <summary>
    /// An empty JSON object (what <c>/init_dump</c> answers when nothing is waiting) says nothing about its endpoint; then
    /// the file's name does, when it is an endpoint's name (<c>init_dump.json</c>).
    /// </summary>
    private static AdminEndpoint? ByNameWhenEmpty(string path, ReadOnlySpan<byte> content)
    {
        var trimmed = content.Trim(" \t\r\n"u8);
        if (trimmed.StartsWith("\uFEFF"u8))
        {
            trimmed = trimmed[3..].TrimStart(" \t\r\n"u8);
        }

        var empty = trimmed.Length >= 2 && trimmed[0] == (byte)'{' && trimmed[^1] == (byte)'}' && trimmed[1..^1].Trim(" \t\r\n"u8).IsEmpty;
        var name = Path.GetFileName(path);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return empty && BundleManifest.TryParseEndpoint(dot < 0 ? name : name[..dot], out var endpoint) ? endpoint : null;
    }
}
