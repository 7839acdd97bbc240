using System.Globalization;
using System.Reflection;
using EnvoyLens.Admin;
using EnvoyLens.Admin.Bundles;
using EnvoyLens.Admin.Live;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;

namespace EnvoyLens.Cli.Services;

/// <summary>What <c>envoylens snapshot</c> was asked for. <paramref name="Interval"/> asks for a second stats sample.</summary>
internal sealed record SnapshotRequest(SourceSpec Source, string Output, TimeSpan? Interval, bool Redact);

/// <summary>
/// <c>envoylens snapshot SOURCE -o DIR|FILE.tar.gz</c>: captures every endpoint of <see cref="CapturePlan.Full"/>
/// (or re-packs a file or bundle), redacts secrets unless told not to, and writes a bundle (BUNDLE.md) that appears
/// only when complete.
/// </summary>
internal sealed class SnapshotService(SnapshotLoader loader, TimeProvider clock)
{
    internal static string Tool { get; } = "envoylens " +
        (typeof(SnapshotService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    public int Run(SnapshotRequest request, TextWriter output)
    {
        var staging = BundleWriter.CreateStaging(request.Output);
        try
        {
            var capturedAt = clock.GetUtcNow();
            var (files, target) = request.Source.IsLive
                ? CaptureLive(request, staging)
                : (CopyDocuments(request.Source, staging), new BundleTarget("file", request.Source.Path, null, null, null));
            var manifest = BundleWriter.Complete(staging, files, target, capturedAt, request.Redact, Tool);
            BundleWriter.Publish(staging, manifest, request.Output);
            output.Write(string.Create(CultureInfo.InvariantCulture,
                $"wrote {request.Output}: {manifest.Files.Count} files, {(request.Redact ? $"{manifest.Redactions.Count} values redacted" : "not redacted")}.\n"));
            return ExitCodes.Ok;
        }
        catch
        {
            BundleWriter.Discard(staging);
            throw;
        }
    }

    private (IReadOnlyList<StagedFile> Files, BundleTarget Target) CaptureLive(SnapshotRequest request, string staging)
    {
        using var client = loader.OpenClient(request.Source);
        var captured = LiveCapture.CaptureAsync(client, CapturePlan.Full, staging).GetAwaiter().GetResult().ToList();
        if (request.Interval is { } interval)
        {
            Task.Delay(interval, clock).GetAwaiter().GetResult();
            var second = new CapturePlan([new CaptureItem(AdminEndpoint.Stats, "/stats?format=json", "stats.2.json")]);
            captured.AddRange(LiveCapture.CaptureAsync(client, second, staging).GetAwaiter().GetResult());
        }

        var t = client.Target;
        var target = t.Kind == "pod"
            ? new BundleTarget("pod", t.Name, t.Container, t.Port, null)
            : new BundleTarget("admin", t.BaseAddress.GetLeftPart(UriPartial.Authority), null, t.Port, t.BaseAddress.GetLeftPart(UriPartial.Authority));
        var files = captured
            .Select(c => new StagedFile(BundleManifest.EndpointName(c.Item.Endpoint), c.Item.FileName, c.Response.PathAndQuery, c.Response.CapturedAt))
            .ToList();
        return (files, target);
    }

    /// <summary>A file or bundle re-packed: each document under its endpoint's name.</summary>
    private IReadOnlyList<StagedFile> CopyDocuments(SourceSpec source, string staging)
    {
        var raw = loader.ReadRaw(source);
        var files = new List<StagedFile>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in raw.Documents)
        {
            var endpoint = BundleManifest.EndpointName(document.Endpoint);
            var extension = document.Endpoint is AdminEndpoint.Ready or AdminEndpoint.StatsPrometheus or AdminEndpoint.HotRestartVersion
                || document.Content.AsSpan().TrimStart(" \t\r\n"u8) is not [(byte)'{', ..] ? ".txt" : ".json";
            var name = endpoint + extension;
            for (var i = 2; !used.Add(name); i++)
            {
                name = endpoint + "." + i.ToString(CultureInfo.InvariantCulture) + extension;
            }

            File.WriteAllBytes(Path.Combine(staging, name), document.Content);
            files.Add(new StagedFile(endpoint, name, null, document.CapturedAt ?? raw.CapturedAt));
        }

        return files;
    }
}
