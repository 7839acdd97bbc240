using EnvoyLens.Admin;
using EnvoyLens.Admin.Kubernetes;
using EnvoyLens.Admin.Live;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Model;

namespace EnvoyLens.Cli.Sources;

/// <summary>A capture as read (bytes) and as decoded.</summary>
internal sealed record LoadedSnapshot(RawSnapshot Raw, EnvoySnapshot Snapshot);

/// <summary>
/// Reads a <see cref="SourceSpec"/> into a decoded snapshot: files and bundles from disk, admin URLs and pods through
/// the read-only <see cref="AdminClient"/>. A path that does not exist, an unreachable proxy, or a capture none of
/// whose documents could be read, is an <see cref="EnvoyLensException"/> (one sentence naming the file or target).
/// </summary>
internal sealed class SnapshotLoader(TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public LoadedSnapshot Load(SourceSpec source)
    {
        var raw = ReadRaw(source);
        var snapshot = SnapshotDecoder.Decode(raw, new DecodeOptions { Proxy = source.Proxy, ShowSecrets = source.ShowSecrets });
        ThrowIfUnreadable(raw, snapshot);
        return new LoadedSnapshot(raw, snapshot);
    }

    /// <summary>The bytes of <paramref name="source"/>, undecoded.</summary>
    public RawSnapshot ReadRaw(SourceSpec source)
    {
        switch (source.Kind)
        {
            case SourceKind.File when Directory.Exists(source.Path):
                throw new EnvoyLensException($"'{source.Path}' is a directory, not a file; use --bundle to read a snapshot bundle.");
            case SourceKind.File when !File.Exists(source.Path):
                throw new EnvoyLensException($"cannot read '{source.Path}': no such file.");
            case SourceKind.Bundle when !Directory.Exists(source.Path) && !File.Exists(source.Path):
                throw new EnvoyLensException($"cannot read bundle '{source.Path}': no such directory or archive.");
            case SourceKind.Admin or SourceKind.Pod:
                using (var client = OpenClient(source))
                {
                    return LiveCapture.ReadAsync(client, source.Live.Plan ?? CapturePlan.Full, _clock).GetAwaiter().GetResult();
                }
        }

        return SnapshotSources.Open(source.Path);
    }

    /// <summary>The admin client of a live source (for a pod: after finding it and its Envoy container).</summary>
    public AdminClient OpenClient(SourceSpec source)
    {
        var target = source.Kind switch
        {
            SourceKind.Admin => AdminTarget.ForUrl(source.Path),
            SourceKind.Pod => PodConnector.ConnectAsync(
                new PodSelector(source.Path)
                {
                    Namespace = source.Live.Namespace,
                    Context = source.Live.Context,
                    Kubeconfig = source.Live.Kubeconfig,
                    Container = source.Live.Container,
                    Port = source.Live.AdminPort,
                    Timeout = source.Live.Timeout,
                },
                source.Live.Messages).GetAwaiter().GetResult(),
            _ => throw new InvalidOperationException($"{source.Kind} is not a live source."),
        };
        return new AdminClient(target, new AdminClientOptions { Timeout = source.Live.Timeout, Progress = source.Live.Progress, Clock = _clock });
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
