using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Cli.Services;

/// <summary>Output forms of <c>envoylens decode</c>.</summary>
internal enum DecodeFormat
{
    Text,
    Json,
}

/// <summary>
/// <c>envoylens decode</c>: what was read (documents, the config dump's form), counts per section and kind,
/// typed vs raw, and every decode diagnostic. Diagnostics are not failures: the exit code is 0 when the
/// capture could be read at all.
/// </summary>
internal sealed class DecodeReportService(SnapshotLoader loader)
{
    public int Run(SourceSpec source, DecodeFormat format, TextWriter output)
    {
        var loaded = loader.Load(source);
        var report = DecodeReport.From(loaded);
        output.Write(format == DecodeFormat.Json ? report.ToJson() : report.ToText());
        return ExitCodes.Ok;
    }

    public static DecodeFormat ParseFormat(string? value) => value?.ToLowerInvariant() switch
    {
        null or "text" => DecodeFormat.Text,
        "json" => DecodeFormat.Json,
        _ => throw new EnvoyLensException($"--output must be text or json, not '{value}'."),
    };
}

/// <summary>Resource counts of one kind: total and per state / origin (only non-zero ones are listed).</summary>
internal sealed record KindCount(string Kind, int Total, IReadOnlyList<(string Name, int Count)> Breakdown);

/// <summary>The facts <c>envoylens decode</c> reports, independent of the output form.</summary>
internal sealed record DecodeReport(
    string Origin,
    IReadOnlyList<RawDocument> Documents,
    DocumentSummary? ConfigDump,
    IReadOnlyList<KindCount> Resources,
    int RawPayloads,
    IReadOnlyList<DecodeDiagnostic> Diagnostics)
{
    public static DecodeReport From(LoadedSnapshot loaded)
    {
        var s = loaded.Snapshot;
        var resources = new List<KindCount>
        {
            Count("listeners", s.Listeners.Select(l => l.Meta)),
            Count("routeConfigs", s.RouteConfigs.Select(r => r.Meta)),
            Count("clusters", s.Clusters.Select(c => c.Meta)),
            Count("loadAssignments", s.LoadAssignments.Select(a => a.Meta)),
            Count("secrets", s.Secrets.Select(x => x.Meta)),
            Count("ecds", s.Ecds.Select(e => e.Meta)),
            Plain("clusterStatuses", s.ClusterStatuses.Count),
            Plain("listenerStatuses", s.ListenerStatuses.Count),
            Plain("adminCertificates", s.AdminCertificates.Count),
            Plain("initTargets", s.InitTargets.Count),
            Plain("stats", s.Stats?.Stats.Count ?? 0),
        };
        return new DecodeReport(s.Origin, loaded.Raw.Documents, s.ConfigDump, resources, s.RawPayloads.Count, s.Diagnostics);
    }

    private static KindCount Plain(string kind, int n) => new(kind, n, []);

    private static KindCount Count(string kind, IEnumerable<ResourceMeta> metas)
    {
        var list = metas.ToList();
        var breakdown = new List<(string, int)>();
        foreach (var origin in Enum.GetValues<ResourceOrigin>())
        {
            var n = list.Count(m => m.Origin == origin);
            if (n > 0)
            {
                breakdown.Add((origin.ToString().ToLowerInvariant(), n));
            }
        }

        foreach (var state in Enum.GetValues<ResourceState>())
        {
            var n = list.Count(m => m.State == state);
            if (n > 0)
            {
                breakdown.Add((state.ToString().ToLowerInvariant(), n));
            }
        }

        return new KindCount(kind, list.Count, breakdown);
    }

    internal static string EndpointName(AdminEndpoint e) => e switch
    {
        AdminEndpoint.ConfigDump => "config_dump",
        AdminEndpoint.Clusters => "clusters",
        AdminEndpoint.Listeners => "listeners",
        AdminEndpoint.Certs => "certs",
        AdminEndpoint.ServerInfo => "server_info",
        AdminEndpoint.Stats => "stats",
        AdminEndpoint.StatsPrometheus => "stats_prometheus",
        AdminEndpoint.InitDump => "init_dump",
        AdminEndpoint.Ready => "ready",
        AdminEndpoint.Runtime => "runtime",
        AdminEndpoint.Memory => "memory",
        AdminEndpoint.HotRestartVersion => "hot_restart_version",
        _ => e.ToString(),
    };

    private static string Level(DiagnosticLevel level) => level.ToString().ToLowerInvariant();

    /// <summary>A diagnostic's sentence with the members of the source it names (<c>BUNDLE/stats.txt</c>) relative to it.</summary>
    internal string RelativeIn(string message) =>
        Origin.Length == 0 || Origin.Contains("://", StringComparison.Ordinal)
            ? message
            : message.Replace(Origin.TrimEnd('/', Path.DirectorySeparatorChar) + "/", "", StringComparison.Ordinal);

    /// <summary>
    /// A document's name relative to what was read: a bundle or folder member without the folder
    /// (<c>config_dump.json</c>), an admin response as its path (<c>/config_dump?include_eds</c>), a file read alone as its
    /// file name; anything else (one of several files named one by one) as given.
    /// </summary>
    internal string Relative(string source)
    {
        if (string.Equals(source, Origin, StringComparison.Ordinal))
        {
            return Path.GetFileName(source) is { Length: > 0 } name ? name : source;
        }

        if (source.Length > Origin.Length && source.StartsWith(Origin, StringComparison.Ordinal))
        {
            var rest = source[Origin.Length..];
            if (Origin.Contains("://", StringComparison.Ordinal))
            {
                return rest[0] is '/' or '?' ? rest : source;
            }

            if (rest[0] == '/' || rest[0] == Path.DirectorySeparatorChar)
            {
                return rest[1..];
            }

            if (Origin.EndsWith('/') || Origin.EndsWith(Path.DirectorySeparatorChar))
            {
                return rest;
            }
        }

        return source;
    }

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append("Read: ").Append(Origin).Append('\n');
        sb.Append("Documents (").Append(Documents.Count.ToString(CultureInfo.InvariantCulture)).Append("):\n");
        foreach (var d in Documents)
        {
            sb.Append("  ").Append(EndpointName(d.Endpoint)).Append("  ").Append(Relative(d.Source))
              .Append("  (").Append(d.Content.Length.ToString(CultureInfo.InvariantCulture)).Append(" bytes)\n");
        }

        if (ConfigDump is { } dump)
        {
            sb.Append("Config dump: ").Append(Relative(dump.Source)).Append(" (form: ").Append(dump.Form).Append(")\n");
            foreach (var section in dump.Sections)
            {
                sb.Append("  ").Append(section.TypeUrl).Append(" at ").Append(section.Pointer.IsRoot ? "/" : section.Pointer.Value)
                  .Append(": typed ").Append(section.Typed.ToString(CultureInfo.InvariantCulture))
                  .Append(", raw ").Append(section.Raw.ToString(CultureInfo.InvariantCulture));
                if (section.Counts.Count > 0)
                {
                    sb.Append(" (")
                      .AppendJoin(", ", section.Counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value.ToString(CultureInfo.InvariantCulture)}"))
                      .Append(')');
                }

                sb.Append('\n');
            }
        }

        sb.Append("Resources:\n");
        foreach (var r in Resources)
        {
            sb.Append("  ").Append(r.Kind).Append(' ').Append(r.Total.ToString(CultureInfo.InvariantCulture));
            if (r.Breakdown.Count > 0)
            {
                sb.Append(" (").AppendJoin(", ", r.Breakdown.Select(b => $"{b.Name} {b.Count.ToString(CultureInfo.InvariantCulture)}")).Append(')');
            }

            sb.Append('\n');
        }

        sb.Append("Kept raw: ").Append(RawPayloads.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("Diagnostics (").Append(Diagnostics.Count.ToString(CultureInfo.InvariantCulture)).Append(")").Append(Diagnostics.Count > 0 ? ":" : "").Append('\n');
        foreach (var d in Diagnostics)
        {
            sb.Append("  ").Append(Level(d.Level)).Append(' ').Append(d.Code).Append(' ')
              .Append(Relative(d.Source)).Append('#').Append(d.Pointer.Value).Append(": ").Append(RelativeIn(d.Message)).Append('\n');
        }

        return sb.ToString();
    }

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 2, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("origin", Origin);
            w.WriteStartArray("documents");
            foreach (var d in Documents)
            {
                w.WriteStartObject();
                w.WriteString("endpoint", EndpointName(d.Endpoint));
                w.WriteString("source", Relative(d.Source));
                w.WriteNumber("bytes", d.Content.Length);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WritePropertyName("configDump");
            if (ConfigDump is { } dump)
            {
                w.WriteStartObject();
                w.WriteString("source", Relative(dump.Source));
                w.WriteString("form", dump.Form);
                w.WriteStartArray("sections");
                foreach (var section in dump.Sections)
                {
                    w.WriteStartObject();
                    w.WriteString("typeUrl", section.TypeUrl);
                    w.WriteString("pointer", section.Pointer.Value);
                    w.WriteNumber("typed", section.Typed);
                    w.WriteNumber("raw", section.Raw);
                    w.WriteStartObject("counts");
                    foreach (var c in section.Counts.OrderBy(c => c.Key, StringComparer.Ordinal))
                    {
                        w.WriteNumber(c.Key, c.Value);
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteStartObject("resources");
            foreach (var r in Resources)
            {
                w.WriteStartObject(r.Kind);
                w.WriteNumber("total", r.Total);
                foreach (var (name, count) in r.Breakdown)
                {
                    w.WriteNumber(name, count);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteNumber("keptRaw", RawPayloads);
            w.WriteStartArray("diagnostics");
            foreach (var d in Diagnostics)
            {
                w.WriteStartObject();
                w.WriteString("level", Level(d.Level));
                w.WriteString("code", d.Code);
                w.WriteString("source", Relative(d.Source));
                w.WriteString("pointer", d.Pointer.Value);
                w.WriteString("message", RelativeIn(d.Message));
                if (d.TypeUrl is not null)
                {
                    w.WriteString("typeUrl", d.TypeUrl);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
