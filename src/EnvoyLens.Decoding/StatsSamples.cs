using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Decoding.Endpoints;
using EnvoyLens.Model;

namespace EnvoyLens.Decoding;

/// <summary>
/// Turns the stats documents of one capture into the snapshot's stats: documents are grouped into samples, samples are
/// ordered in time, the latest becomes the stats and the one before its <see cref="StatsSnapshot.Earlier"/>.
/// <list type="bullet">
/// <item>Order: by the documents' capture times when every stats document has one, then by the sample number in the
/// file name (<c>stats.json</c> is sample 1, <c>stats.2.json</c> sample 2), then by document order.</item>
/// <item>Two forms of one capture (<c>stats.txt</c> and <c>stats_prometheus.txt</c>: same sample number, same or no
/// capture time) are one sample, not two: the JSON form is preferred, then Prometheus (typed), then text, and an
/// <see cref="DiagnosticLevel.Info"/> diagnostic says which was used. The earlier sample uses the latest one's form when
/// it has it, so counters compare like with like.</item>
/// </list>
/// </summary>
internal static class StatsSamples
{
    /// <summary>One stats document, read.</summary>
    internal sealed record Read(int Index, RawDocument Document, StatsSnapshot Stats)
    {
        public int Sample { get; } = SampleNumber(Document.Source);
    }

    /// <summary>The stats of the capture (null when no stats document was readable), adding its notes to <paramref name="diagnostics"/>.</summary>
    public static StatsSnapshot? Combine(IReadOnlyList<Read> documents, DateTimeOffset? snapshotCapturedAt, List<DecodeDiagnostic> diagnostics)
    {
        if (documents.Count == 0)
        {
            return null;
        }

        var timed = documents.All(d => d.Document.CapturedAt is not null);
        var ordered = (timed ? documents.OrderBy(d => d.Document.CapturedAt!.Value) : documents.OrderBy(_ => 0))
            .ThenBy(d => d.Sample)
            .ThenBy(d => d.Index)
            .ToList();

        var samples = new List<List<Read>>();
        foreach (var read in ordered)
        {
            if (samples.Count > 0 && SameCapture(samples[^1], read))
            {
                samples[^1].Add(read);
            }
            else
            {
                samples.Add([read]);
            }
        }

        var latest = Preferred(samples[^1], null);
        Note(samples[^1], latest, Why(latest.Stats.Format), diagnostics);
        var single = samples.Count == 1;
        var latestStats = WithTime(latest, single ? snapshotCapturedAt : null);
        if (single)
        {
            return latestStats;
        }

        var before = Preferred(samples[^2], latest.Stats.Format);
        Note(samples[^2], before, before.Stats.Format == latest.Stats.Format ? " (the form of the latest sample)" : Why(before.Stats.Format), diagnostics);
        var earlierStats = WithTime(before, null);
        diagnostics.Add(new DecodeDiagnostic(DiagnosticLevel.Info, DiagnosticCodes.Interpretation, latest.Document.Source, JsonPointer.Root,
            $"{latest.Document.Source} is the latest of {samples.Count.ToString(CultureInfo.InvariantCulture)} stats samples and " +
            $"{before.Document.Source} the one before it{Interval(earlierStats, latestStats)}, so counters are read as increases between the two" +
            (samples.Count > 2 ? "; the older samples are not used." : ".")));
        return latestStats.WithEarlier(earlierStats);
    }

    /// <summary>The sample number a file name carries: <c>stats.2.json</c> is 2, <c>stats.json</c> (or a URL) is 1.</summary>
    internal static int SampleNumber(string source)
    {
        var name = source;
        var query = name.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            name = name[..query];
        }

        name = name[(name.LastIndexOfAny(['/', '\\', '!']) + 1)..];
        var parts = name.Split('.');
        return parts.Length >= 3
               && int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
               && number > 0
            ? number
            : 1;
    }

    /// <summary>Another form of the sample being built: a format it lacks, the same sample number, the same or no capture time.</summary>
    private static bool SameCapture(List<Read> sample, Read read)
    {
        var first = sample[0];
        return sample.All(s => s.Stats.Format != read.Stats.Format)
               && first.Sample == read.Sample
               && (first.Document.CapturedAt is null || read.Document.CapturedAt is null || first.Document.CapturedAt == read.Document.CapturedAt);
    }

    private static Read Preferred(List<Read> sample, string? format) =>
        sample.FirstOrDefault(s => s.Stats.Format == format)
        ?? sample.OrderBy(s => Rank(s.Stats.Format)).ThenBy(s => s.Index).First();

    /// <summary>JSON first (typed values under Envoy's own names), Prometheus next (typed by <c># TYPE</c>), text last.</summary>
    private static int Rank(string format) => format switch
    {
        StatsDocument.JsonFormat => 0,
        StatsDocument.PrometheusFormat => 1,
        _ => 2,
    };

    private static void Note(List<Read> sample, Read used, string why, List<DecodeDiagnostic> diagnostics)
    {
        if (sample.Count < 2)
        {
            return;
        }

        var others = string.Join(" and ", sample.Where(s => !ReferenceEquals(s, used)).OrderBy(s => s.Index).Select(s => $"{s.Document.Source} ({s.Stats.Format})"));
        diagnostics.Add(new DecodeDiagnostic(DiagnosticLevel.Info, DiagnosticCodes.Interpretation, used.Document.Source, JsonPointer.Root,
            $"{used.Document.Source} ({used.Stats.Format}) and {others} are one stats sample in {sample.Count.ToString(CultureInfo.InvariantCulture)} forms; " +
            $"the {used.Stats.Format} form is used{why}, {(sample.Count == 2 ? "the other is" : "the others are")} not."));
    }

    private static string Why(string format) => format switch
    {
        StatsDocument.JsonFormat => " (typed values under Envoy's own stat names)",
        StatsDocument.PrometheusFormat => " (its stats are typed)",
        _ => string.Empty,
    };

    private static string Interval(StatsSnapshot earlier, StatsSnapshot latest) =>
        earlier.CapturedAt is { } t0 && latest.CapturedAt is { } t1 && t1 > t0
            ? " (" + TimeText.Seconds(t1 - t0) + " earlier)"
            : string.Empty;

    private static StatsSnapshot WithTime(Read read, DateTimeOffset? fallback) =>
        (read.Document.CapturedAt ?? fallback) is { } time ? read.Stats.WithEarlier(null, time) : read.Stats;
}
