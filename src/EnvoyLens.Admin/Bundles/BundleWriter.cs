using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Core.Redaction;

namespace EnvoyLens.Admin.Bundles;

/// <summary>A file already written into a bundle's staging folder, to be listed in its manifest.</summary>
/// <param name="Endpoint">The manifest endpoint name (<c>config_dump</c>, <c>stats</c>, ...).</param>
/// <param name="FileName">Its name in the staging folder.</param>
/// <param name="Url">The admin path and query (or full URL) it was read from; null when it came from a file.</param>
public sealed record StagedFile(string Endpoint, string FileName, string? Url, DateTimeOffset? CapturedAt)
{
    /// <summary>JSON pointers of the values that were redacted before the file was written (see <see cref="StagingRedactor"/>).</summary>
    public IReadOnlyList<string> Redactions { get; init; } = [];
}

/// <summary>
/// Redacts each document of a bundle in memory, before it is written to the staging folder, and remembers what it
/// replaced per file. With redaction off it passes the bytes through.
/// </summary>
public sealed class StagingRedactor(bool redact)
{
    private readonly Dictionary<string, IReadOnlyList<string>> _pointers = new(StringComparer.Ordinal);

    /// <summary>Whether documents are redacted.</summary>
    public bool Enabled => redact;

    /// <summary>
    /// The bytes to write for <paramref name="fileName"/>: redacted when redaction is on and the file is JSON
    /// (<c>.json</c>); a <c>.json</c> document that is not JSON is an <see cref="EnvoyLensException"/> naming <paramref name="source"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Apply(string fileName, ReadOnlyMemory<byte> content, string source)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (!redact || !fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return content;
        }

        RedactionResult result;
        try
        {
            result = JsonRedactor.Redact(content, source);
        }
        catch (EnvoyLensException e)
        {
            throw new EnvoyLensException(e.Message.TrimEnd('.') + "; use --no-redact to keep it as read.", e);
        }

        _pointers[fileName] = result.Pointers;
        return result.Content;
    }

    /// <summary>Redacts <paramref name="content"/> and writes it to <paramref name="fileName"/> in <paramref name="staging"/>.</summary>
    public void Write(string staging, string fileName, ReadOnlyMemory<byte> content, string source)
    {
        var bytes = Apply(fileName, content, source);
        using var file = new FileStream(Path.Combine(staging, fileName), FileMode.CreateNew, FileAccess.Write);
        file.Write(bytes.Span);
    }

    /// <summary>What was replaced in <paramref name="fileName"/> (empty when nothing, or when it was not redacted).</summary>
    public IReadOnlyList<string> RedactionsOf(string fileName) => _pointers.GetValueOrDefault(fileName, []);
}

/// <summary>
/// Writes a bundle (see BUNDLE.md) so that it only ever appears complete: files are gathered in a hidden staging
/// folder beside the output (readable by its owner only), each redacted in memory before it is written
/// (<see cref="StagingRedactor"/>), then hashed and listed in <c>manifest.json</c>, and only then renamed to the
/// output directory or packed into a temporary archive renamed to the output <c>.tar.gz</c>.
/// </summary>
public static class BundleWriter
{
    /// <summary>
    /// Checks that <paramref name="output"/> is free and creates the staging folder beside it, with mode 0700 on Unix
    /// (so whatever a crash leaves behind is readable by nobody else).
    /// </summary>
    public static string CreateStaging(string output)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        var full = Path.GetFullPath(output.TrimEnd('/', '\\'));
        if (File.Exists(full) || Directory.Exists(full))
        {
            throw new EnvoyLensException($"'{output}' already exists; give a new directory or .tar.gz path for the bundle.");
        }

        var parent = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(parent))
        {
            throw new EnvoyLensException($"cannot write '{output}': the folder '{parent}' does not exist.");
        }

        var staging = Path.Combine(parent, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..12] + ".partial");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(staging);
        }
        else
        {
            Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return staging;
    }

    /// <summary>
    /// Hashes every file of <paramref name="files"/> (already redacted when they were written) and writes the manifest,
    /// with each file's <see cref="StagedFile.Redactions"/>, into <paramref name="staging"/>.
    /// </summary>
    public static BundleManifest Complete(
        string staging, IReadOnlyList<StagedFile> files, BundleTarget? target, DateTimeOffset capturedAt, string tool)
    {
        ArgumentNullException.ThrowIfNull(files);
        var listed = new List<BundleFile>();
        var redactions = new List<BundleRedaction>();
        string? envoyVersion = null;
        string? proxy = null;
        string? proxyVersion = null;
        foreach (var file in files)
        {
            var path = Path.Combine(staging, file.FileName);
            if (file.Endpoint == AdminEndpoints.Of(AdminEndpoint.LinkerdMetrics).Name)
            {
                proxy = ProxyKind.Linkerd2Proxy.Name();
                proxyVersion ??= LinkerdVersionOf(path);
            }

            redactions.AddRange(file.Redactions.Select(p => new BundleRedaction(file.FileName, p)));
            if (file.Endpoint == "server_info")
            {
                envoyVersion ??= EnvoyVersionOf(path);
            }

            string sha;
            long bytes;
            using (var stream = File.OpenRead(path))
            {
                sha = Convert.ToHexStringLower(SHA256.HashData(stream));
                bytes = stream.Length;
            }

            listed.Add(new BundleFile(file.Endpoint, file.FileName, file.Url, file.CapturedAt, sha, bytes));
        }

        var manifest = new BundleManifest(BundleManifest.CurrentFormat, tool, target, envoyVersion, capturedAt, listed, redactions)
        {
            Proxy = proxy,
            ProxyVersion = proxyVersion,
        };
        File.WriteAllBytes(Path.Combine(staging, BundleManifest.FileName), BundleManifest.Write(manifest));
        return manifest;
    }

    /// <summary>
    /// Moves the complete staging folder to <paramref name="output"/>, or packs it into <paramref name="output"/> when
    /// that names a <c>.tar.gz</c>/<c>.tgz</c> (then the staging folder is deleted).
    /// </summary>
    public static void Publish(string staging, BundleManifest manifest, string output)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var full = Path.GetFullPath(output.TrimEnd('/', '\\'));
        if (!BundleReader.IsArchive(full))
        {
            Directory.Move(staging, full);
            return;
        }

        var temp = staging + ".tar.gz";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
            using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: false))
            {
                var names = manifest.Files.Select(f => f.Path).Order(StringComparer.Ordinal).Prepend(BundleManifest.FileName);
                foreach (var name in names)
                {
                    using var data = File.OpenRead(Path.Combine(staging, name));
                    var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
                    {
                        DataStream = data,
                        ModificationTime = manifest.CapturedAt ?? DateTimeOffset.UnixEpoch,
                        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    };
                    tar.WriteEntry(entry);
                }
            }

            File.Move(temp, full, overwrite: false);
        }
        catch
        {
            Live.AdminClient.TryDelete(temp);
            throw;
        }

        Discard(staging);
    }

    /// <summary>Deletes a staging folder (best effort).</summary>
    public static void Discard(string staging)
    {
        try
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            System.Diagnostics.Debug.WriteLine(ex.Message);
        }
    }

    /// <summary>The version label of linkerd2-proxy's <c>proxy_build_info</c> in a <c>/metrics</c> file, when it has one.</summary>
    internal static string? LinkerdVersionOf(string metricsPath)
    {
        using var reader = new StreamReader(metricsPath);
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith("proxy_build_info{", StringComparison.Ordinal))
            {
                continue;
            }

            var at = line.IndexOf("version=\"", StringComparison.Ordinal);
            while (at > 0 && line[at - 1] is not ('{' or ','))
            {
                at = line.IndexOf("version=\"", at + 1, StringComparison.Ordinal);
            }

            if (at < 0)
            {
                return null;
            }

            var start = at + "version=\"".Length;
            var end = line.IndexOf('"', start);
            return end > start ? line[start..end] : null;
        }

        return null;
    }

    /// <summary>The Envoy version of a /server_info document: the second part of <c>sha/1.32.3/Clean/RELEASE/BoringSSL</c>.</summary>
    internal static string? EnvoyVersionOf(string serverInfoPath)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(serverInfoPath));
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String)
            {
                var parts = v.GetString()!.Split('/');
                return parts.Length > 1 ? parts[1] : parts[0];
            }
        }
        catch (JsonException)
        {
            // Not JSON: no version.
        }

        return null;
    }
}
