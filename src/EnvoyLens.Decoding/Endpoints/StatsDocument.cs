using System.Globalization;
using System.Text;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Decoding.Endpoints;

/// <summary>
/// Reads <c>/stats</c> in its three forms: text (<c>name: value</c>, histograms as <c>P0(interval,cumulative) ...</c>),
/// <c>?format=json</c> (<c>{"stats":[{"name","value"} | {"histograms":{...}}]}</c>) and Prometheus exposition
/// (<c>/stats/prometheus</c>: <c># TYPE</c> lines, labels become <see cref="Stat.Tags"/>, names kept as printed).
/// </summary>
public static class StatsDocument
{
    public const string TextFormat = "text";
    public const string JsonFormat = "json";
    public const string PrometheusFormat = "prometheus";

    private const string What = "Envoy /stats output";
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    /// <summary>Reads stats; <paramref name="format"/> is <c>text</c>, <c>json</c> or <c>prometheus</c>, or null to sniff it.</summary>
    public static AdminDocument<StatsSnapshot> Read(byte[] content, string source, string? format = null)
    {
        var text = AdminJson.Text(content, source, What);
        if (text.AsSpan().Trim().IsEmpty)
        {
            throw new EnvoyLensException($"{source} is empty, not {What}.");
        }

        format ??= Sniff(text);
        return format switch
        {
            JsonFormat => ReadJson(content, source),
            PrometheusFormat => ReadPrometheus(text, source),
            TextFormat => ReadText(text, source),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "text, json or prometheus"),
        };
    }

    internal static string Sniff(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.Length > 0 && trimmed[0] == '{')
        {
            return JsonFormat;
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            return line.StartsWith("# TYPE ", StringComparison.Ordinal) || line.StartsWith("# HELP ", StringComparison.Ordinal)
                   || !line.Contains(": ", StringComparison.Ordinal)
                ? PrometheusFormat
                : TextFormat;
        }

        return TextFormat;
    }

    private static AdminDocument<StatsSnapshot> ReadText(string text, string source)
    {
        var stats = new List<Stat>();
        var diagnostics = new List<DecodeDiagnostic>();
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0)
            {
                if (stats.Count == 0 && diagnostics.Count >= 3)
                {
                    throw new EnvoyLensException($"{source} is not {What}: its lines are not 'name: value'.");
                }

                diagnostics.Add(Line(source, lineNo, "is not 'name: value'; skipped"));
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 2)..].Trim();
            stats.Add(TextStat(name, value));
        }

        if (stats.Count == 0)
        {
            throw new EnvoyLensException($"{source} is not {What}: no line has the form 'name: value'.");
        }

        return new AdminDocument<StatsSnapshot>(new StatsSnapshot(stats, source, TextFormat), diagnostics);
    }

    private static Stat TextStat(string name, string value)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return new Stat(name, StatKind.Unknown, number, null, NoTags);
        }

        if (value.StartsWith("P0(", StringComparison.Ordinal) || value == "No recorded values")
        {
            return new Stat(name, StatKind.Histogram, null, value, NoTags);
        }

        var textValue = value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
        return new Stat(name, StatKind.Unknown, null, textValue, NoTags);
    }

    private static AdminDocument<StatsSnapshot> ReadJson(byte[] content, string source)
    {
        using var doc = AdminJson.Parse(content, source, What);
        var root = AdminJson.RequireObject(doc, source, What);
        if (!root.TryGetProperty("stats", out _))
        {
            throw new EnvoyLensException($"{source} is not {What}: the JSON object has no \"stats\" array.");
        }

        var stats = new List<Stat>();
        var diagnostics = new List<DecodeDiagnostic>();
        var statsPointer = JsonPointer.Root.Append("stats");
        foreach (var (item, index) in AdminJson.Array(root, "stats", source, statsPointer, What))
        {
            var pointer = statsPointer.Append(index);
            if (item.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Add(AdminJson.BadEntry(source, pointer, $"stat entry is a {AdminJson.Kind(item)}, not an object; skipped"));
                continue;
            }

            if (item.TryGetProperty("histograms", out var histograms))
            {
                ReadJsonHistograms(histograms, source, pointer.Append("histograms"), stats, diagnostics);
                continue;
            }

            var name = AdminJson.String(item, "name");
            if (name is null || !item.TryGetProperty("value", out var value))
            {
                diagnostics.Add(AdminJson.BadEntry(source, pointer, "stat entry has no \"name\" and \"value\"; skipped"));
                continue;
            }

            stats.Add(value.ValueKind switch
            {
                JsonValueKind.Number => new Stat(name, StatKind.Unknown, value.GetDouble(), null, NoTags),
                JsonValueKind.String => new Stat(name, StatKind.Unknown, null, value.GetString(), NoTags),
                _ => new Stat(name, StatKind.Unknown, null, value.GetRawText(), NoTags),
            });
        }

        return new AdminDocument<StatsSnapshot>(new StatsSnapshot(stats, source, JsonFormat), diagnostics);
    }

    private static void ReadJsonHistograms(JsonElement histograms, string source, JsonPointer pointer, List<Stat> stats, List<DecodeDiagnostic> diagnostics)
    {
        if (histograms.ValueKind != JsonValueKind.Object)
        {
            diagnostics.Add(AdminJson.BadEntry(source, pointer, "histograms is not an object; skipped"));
            return;
        }

        var quantiles = new List<double>();
        if (histograms.TryGetProperty("supported_quantiles", out var sq) && sq.ValueKind == JsonValueKind.Array)
        {
            quantiles.AddRange(sq.EnumerateArray().Where(q => q.ValueKind == JsonValueKind.Number).Select(q => q.GetDouble()));
        }

        if (!histograms.TryGetProperty("computed_quantiles", out var computed) || computed.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var index = 0;
        foreach (var h in computed.EnumerateArray())
        {
            var name = AdminJson.String(h, "name");
            if (name is null)
            {
                diagnostics.Add(AdminJson.BadEntry(source, pointer.Append("computed_quantiles").Append(index), "histogram has no name; skipped"));
                index++;
                continue;
            }

            var sb = new StringBuilder();
            if (h.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var v in values.EnumerateArray())
                {
                    var q = i < quantiles.Count ? quantiles[i].ToString("0.####", CultureInfo.InvariantCulture) : i.ToString(CultureInfo.InvariantCulture);
                    if (sb.Length > 0)
                    {
                        sb.Append(' ');
                    }

                    sb.Append('P').Append(q).Append('(')
                      .Append(JsonNumberText(v, "interval")).Append(',')
                      .Append(JsonNumberText(v, "cumulative")).Append(')');
                    i++;
                }
            }

            stats.Add(new Stat(name, StatKind.Histogram, null, sb.Length == 0 ? "No recorded values" : sb.ToString(), NoTags));
            index++;
        }
    }

    private static string JsonNumberText(JsonElement v, string field) =>
        v.TryGetProperty(field, out var x) && x.ValueKind == JsonValueKind.Number
            ? x.GetDouble().ToString("R", CultureInfo.InvariantCulture)
            : "nan";

    internal static AdminDocument<StatsSnapshot> ReadPrometheus(string text, string source, string what = What)
    {
        var types = new Dictionary<string, StatKind>(StringComparer.Ordinal);
        var stats = new List<Stat>();
        var diagnostics = new List<DecodeDiagnostic>();
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 4 && parts[1] == "TYPE")
                {
                    types[parts[2]] = parts[3] switch
                    {
                        "counter" => StatKind.Counter,
                        "gauge" => StatKind.Gauge,
                        "histogram" or "summary" => StatKind.Histogram,
                        _ => StatKind.Unknown,
                    };
                }

                continue;
            }

            if (!TryParseSample(line, out var name, out var tags, out var value))
            {
                if (stats.Count == 0 && diagnostics.Count >= 3)
                {
                    throw new EnvoyLensException($"{source} is not {what}: its lines are not Prometheus samples.");
                }

                diagnostics.Add(Line(source, lineNo, "is not a Prometheus sample 'name{labels} value'; skipped"));
                continue;
            }

            stats.Add(new Stat(name, KindOf(name, types), value, null, tags));
        }

        if (stats.Count == 0 && types.Count == 0)
        {
            throw new EnvoyLensException($"{source} is not {what}: it holds no Prometheus samples.");
        }

        return new AdminDocument<StatsSnapshot>(new StatsSnapshot(stats, source, PrometheusFormat), diagnostics);
    }

    private static StatKind KindOf(string name, Dictionary<string, StatKind> types)
    {
        if (types.TryGetValue(name, out var kind))
        {
            return kind;
        }

        foreach (var suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var family) && family == StatKind.Histogram)
            {
                return StatKind.Histogram;
            }
        }

        return StatKind.Unknown;
    }

    private static bool TryParseSample(string line, out string name, out IReadOnlyDictionary<string, string> tags, out double? value)
    {
        name = string.Empty;
        tags = NoTags;
        value = null;
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }

        if (i == 0 || char.IsAsciiDigit(line[0]))
        {
            return false;
        }

        name = line[..i];
        if (i < line.Length && line[i] == '{')
        {
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            i++;
            while (true)
            {
                while (i < line.Length && line[i] is ' ' or ',')
                {
                    i++;
                }

                if (i < line.Length && line[i] == '}')
                {
                    i++;
                    break;
                }

                var eq = line.IndexOf('=', i);
                if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"')
                {
                    return false;
                }

                var label = line[i..eq].Trim();
                var sb = new StringBuilder();
                var j = eq + 2;
                for (; j < line.Length && line[j] != '"'; j++)
                {
                    if (line[j] == '\\' && j + 1 < line.Length)
                    {
                        j++;
                        sb.Append(line[j] == 'n' ? '\n' : line[j]);
                    }
                    else
                    {
                        sb.Append(line[j]);
                    }
                }

                if (j >= line.Length)
                {
                    return false;
                }

                labels[label] = sb.ToString();
                i = j + 1;
            }

            tags = labels;
        }

        var rest = line[i..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is < 1 or > 2)
        {
            return false;
        }

        value = rest[0] switch
        {
            "NaN" => double.NaN,
            "+Inf" or "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null,
        };
        return value is not null;
    }

    private static DecodeDiagnostic Line(string source, int lineNo, string what) =>
        new(DiagnosticLevel.Warning, DiagnosticCodes.InvalidValue, source, JsonPointer.Root,
            $"line {lineNo.ToString(CultureInfo.InvariantCulture)} {what}");
}
