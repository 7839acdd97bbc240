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

    public Stat? Get(string name) => _byName.GetValueOrDefault(name);

    public double? Value(string name) => Get(name)?.Value;
}
