using System.Globalization;
using System.Text;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Rendering;

namespace EnvoyLens.Reporting.Decode;

/// <summary>The text and JSON forms of <c>envoylens decode</c>.</summary>
public static class DecodeReportRenderer
{
    /// <summary><c>decode</c>'s text: documents, the config dump's sections, resource counts and every diagnostic.</summary>
    public static string Text(DecodeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append("Read: ").Append(report.Origin).Append('\n');
        sb.Append("Proxy: ").Append(report.ProxyLine).Append('\n');
        sb.Append("Documents (").Append(report.FilesRead.ToString(CultureInfo.InvariantCulture)).Append("):\n");
        foreach (var d in report.Documents)
        {
            sb.Append("  ").Append(DecodeReport.EndpointName(d.Endpoint)).Append("  ").Append(report.Relative(d.Source))
              .Append("  (").Append(d.Content.Length.ToString(CultureInfo.InvariantCulture)).Append(" bytes)\n");
        }

        if (report.ControlPlane is { } cp)
        {
            sb.Append("  ").Append(RawSnapshot.ControlPlaneEndpoint).Append("  ").Append(report.Relative(cp.Source))
              .Append("  (").Append(cp.Content.Length.ToString(CultureInfo.InvariantCulture)).Append(" bytes)\n");
        }

        if (report.ConfigDump is { } dump)
        {
            sb.Append("Config dump: ").Append(report.Relative(dump.Source)).Append(" (form: ").Append(dump.Form).Append(")\n");
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
        foreach (var r in report.Resources)
        {
            sb.Append("  ").Append(r.Kind).Append(' ').Append(r.Total.ToString(CultureInfo.InvariantCulture));
            if (r.Breakdown.Count > 0)
            {
                sb.Append(" (").AppendJoin(", ", r.Breakdown.Select(b => $"{b.Name} {b.Count.ToString(CultureInfo.InvariantCulture)}")).Append(')');
            }

            sb.Append('\n');
        }

        sb.Append("Kept raw: ").Append(report.RawPayloads.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("Diagnostics (").Append(report.Diagnostics.Count.ToString(CultureInfo.InvariantCulture)).Append(")").Append(report.Diagnostics.Count > 0 ? ":" : "").Append('\n');
        foreach (var d in report.Diagnostics)
        {
            sb.Append("  ").Append(Level(d.Level)).Append(' ').Append(d.Code).Append(' ')
              .Append(report.Relative(d.Source)).Append('#').Append(d.Pointer.Value).Append(": ").Append(report.RelativeIn(d.Message)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary><c>decode -o json</c>: the same facts as data.</summary>
    public static string Json(DecodeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonOutput.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("origin", report.Origin);
            w.WriteStartObject("proxy");
            w.WriteString("kind", report.Proxy.Name());
            if (report.ProxyVersion is { } version)
            {
                w.WriteString("version", version);
            }
            else
            {
                w.WriteNull("version");
            }

            w.WriteEndObject();
            w.WriteStartArray("documents");
            foreach (var d in report.Documents)
            {
                w.WriteStartObject();
                w.WriteString("endpoint", DecodeReport.EndpointName(d.Endpoint));
                w.WriteString("source", report.Relative(d.Source));
                w.WriteNumber("bytes", d.Content.Length);
                w.WriteEndObject();
            }

            if (report.ControlPlane is { } cp)
            {
                w.WriteStartObject();
                w.WriteString("endpoint", RawSnapshot.ControlPlaneEndpoint);
                w.WriteString("source", report.Relative(cp.Source));
                w.WriteNumber("bytes", cp.Content.Length);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WritePropertyName("configDump");
            if (report.ConfigDump is { } dump)
            {
                w.WriteStartObject();
                w.WriteString("source", report.Relative(dump.Source));
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
            foreach (var r in report.Resources)
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
            w.WriteNumber("keptRaw", report.RawPayloads);
            w.WriteStartArray("diagnostics");
            foreach (var d in report.Diagnostics)
            {
                w.WriteStartObject();
                w.WriteString("level", Level(d.Level));
                w.WriteString("code", d.Code);
                w.WriteString("source", report.Relative(d.Source));
                w.WriteString("pointer", d.Pointer.Value);
                w.WriteString("message", report.RelativeIn(d.Message));
                if (d.TypeUrl is not null)
                {
                    w.WriteString("typeUrl", d.TypeUrl);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static string Level(DiagnosticLevel level) => level.ToString().ToLowerInvariant();
}
