using EnvoyLens.Core;

namespace EnvoyLens.Admin.Live;

/// <summary>One captured response of a plan.</summary>
public sealed record CapturedFile(CaptureItem Item, AdminResponse Response);

/// <summary>Runs a <see cref="CapturePlan"/> against an admin port.</summary>
public static class LiveCapture
{
    /// <summary>
    /// Fetches every item of <paramref name="plan"/> into <paramref name="directory"/> (under each item's file name,
    /// or <paramref name="nameOf"/>'s), in order; the first failure stops the capture. With <paramref name="transform"/>
    /// each body is passed through it in memory and only its result is written (how a snapshot redacts before disk).
    /// </summary>
    public static async Task<IReadOnlyList<CapturedFile>> CaptureAsync(
        AdminClient client,
        CapturePlan plan,
        string directory,
        Func<CaptureItem, string>? nameOf = null,
        CancellationToken cancellationToken = default,
        Func<CaptureItem, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? transform = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(plan);
        var files = new List<CapturedFile>();
        foreach (var item in plan.Items)
        {
            var destination = Path.Combine(directory, nameOf?.Invoke(item) ?? item.FileName);
            var response = await client.DownloadAsync(
                item.PathAndQuery, destination, transform is null ? null : body => transform(item, body), cancellationToken).ConfigureAwait(false);
            files.Add(new CapturedFile(item, response));
        }

        return files;
    }

    /// <summary>The name a live capture gives its snapshot: <c>pod/NAME.NAMESPACE</c> or the admin URL.</summary>
    public static string OriginOf(AdminTarget target) => target.Kind == "pod" ? "pod/" + target.Name : target.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// Reads <paramref name="plan"/> from the admin port into a snapshot, in memory: each body is kept as read and only an
    /// empty placeholder is written to a private temporary folder (deleted afterwards), so an interrupted read never
    /// leaves an unredacted body on disk. Documents are named <c>ORIGIN/path?query</c>.
    /// </summary>
    public static async Task<RawSnapshot> ReadAsync(AdminClient client, CapturePlan plan, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(clock);
        var temp = Directory.CreateTempSubdirectory("envoylens-live-");
        try
        {
            var capturedAt = clock.GetUtcNow();
            var bodies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var files = await CaptureAsync(client, plan, temp.FullName, null, cancellationToken, Keep).ConfigureAwait(false);
            var origin = OriginOf(client.Target);
            var documents = files
                .Select(f => new RawDocument(f.Item.Endpoint, origin + f.Item.PathAndQuery, bodies[f.Item.PathAndQuery], f.Response.CapturedAt))
                .ToList();
            return new RawSnapshot(origin, documents, capturedAt);

            ReadOnlyMemory<byte> Keep(CaptureItem item, ReadOnlyMemory<byte> body)
            {
                bodies[item.PathAndQuery] = body.ToArray();
                return ReadOnlyMemory<byte>.Empty;
            }
        }
        finally
        {
            try
            {
                temp.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder (it holds only empty files) is not worth failing the read.
            }
        }
    }
}
