using EnvoyLens.Admin;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Model;

namespace EnvoyLens.Cli.Sources;

/// <summary>A capture as read (bytes) and as decoded.</summary>
internal sealed record LoadedSnapshot(RawSnapshot Raw, EnvoySnapshot Snapshot);

/// <summary>
/// Reads a <see cref="SourceSpec"/> into a decoded snapshot. A path that does not exist, or a capture none of whose
/// documents could be read, is an <see cref="EnvoyLensException"/> (one sentence naming the file).
/// </summary>
internal sealed class SnapshotLoader
{
    public LoadedSnapshot Load(SourceSpec source)
    {
        switch (source.Kind)
        {
            case SourceKind.File when Directory.Exists(source.Path):
                throw new EnvoyLensException($"'{source.Path}' is a directory, not a file; use --bundle to read a snapshot bundle.");
            case SourceKind.File when !File.Exists(source.Path):
                throw new EnvoyLensException($"cannot read '{source.Path}': no such file.");
            case SourceKind.Bundle when !Directory.Exists(source.Path) && !File.Exists(source.Path):
                throw new EnvoyLensException($"cannot read bundle '{source.Path}': no such directory or archive.");
        }

        var raw = SnapshotSources.Open(source.Path);
        var snapshot = SnapshotDecoder.Decode(raw, new DecodeOptions { Proxy = source.Proxy });
        ThrowIfUnreadable(raw, snapshot);
        return new LoadedSnapshot(raw, snapshot);
    }

    /// <summary>
    /// Unreadable when every document of the capture has an <see cref="DiagnosticCodes.UnreadableDocument"/> error
    /// (which covers a lone config dump that could not be read).
    /// </summary>
    internal static void ThrowIfUnreadable(RawSnapshot raw, EnvoySnapshot snapshot)
    {
        var unreadable = snapshot.Diagnostics
            .Where(d => d.Level == DiagnosticLevel.Error && d.Code == DiagnosticCodes.UnreadableDocument)
            .ToList();
        if (unreadable.Count == 0)
        {
            return;
        }

        var sources = unreadable.Select(d => d.Source).ToHashSet(StringComparer.Ordinal);
        if (raw.Documents.Count == 0 || raw.Documents.All(d => sources.Contains(d.Source)))
        {
            var first = unreadable[0];
            throw new EnvoyLensException($"cannot read '{first.Source}': {first.Message.TrimEnd('.')}.");
        }
    }
}
