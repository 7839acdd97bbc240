namespace EnvoyLens.Model;

public enum StatKind
{
    Counter,
    Gauge,
    Histogram,
    Unknown,
}

/// <summary>One stat. <see cref="Name"/> is Envoy's flat name (<c>cluster.x.upstream_cx_total</c>);
/// <see cref="Tags"/> holds Prometheus labels when read from that form.</summary>
public sealed record Stat(string Name, StatKind Kind, double? Value, string? Text, IReadOnlyDictionary<string, string> Tags);

/// <summary>A stats sample, with lookup by name.</summary>
public sealed class StatsSnapshot
{
    private readonly Dictionary<string, Stat> _byName;

    public StatsSnapshot(IReadOnlyList<Stat> stats, string source, string format)
    {
        Stats = stats;
        Source = source;
        Format = format;
        _byName = new Dictionary<string, Stat>(StringComparer.Ordinal);
        foreach (var s in stats)
        {
            _byName.TryAdd(s.Name, s);
        }
    }

    public IReadOnlyList<Stat> Stats { get; }

    public string Source { get; }

    /// <summary>text, json or prometheus.</summary>
    public string Format { get; }

    /// <summary>When the sample was taken, when known (a bundle's per-file capture time, say).</summary>
    public DateTimeOffset? CapturedAt { get; init; }

    /// <summary>
    /// An earlier sample of the same proxy, when two were captured: counters then speak of the interval between the
    /// samples rather than of the proxy's lifetime.
    /// </summary>
    public StatsSnapshot? Earlier { get; init; }

    /// <summary>This sample with <paramref name="earlier"/> as its earlier sample (and, when given, its own capture time).</summary>
    public StatsSnapshot WithEarlier(StatsSnapshot? earlier, DateTimeOffset? capturedAt = null) =>
        new(Stats, Source, Format) { CapturedAt = capturedAt ?? CapturedAt, Earlier = earlier };

    public Stat? Get(string name) => _byName.GetValueOrDefault(name);

    public double? Value(string name) => Get(name)?.Value;
}
