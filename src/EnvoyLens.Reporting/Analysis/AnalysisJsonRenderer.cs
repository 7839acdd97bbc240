using System.Text;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Rendering;

namespace EnvoyLens.Reporting.Analysis;

/// <summary>
/// <c>envoylens analyze -o json</c>, schema <c>envoylens-analysis/v1</c> (documented in src/EnvoyLens.Rules/README.md):
/// findings in report order, rules by id, argument and evidence keys sorted. Fields are only ever added.
/// </summary>
public static class AnalysisJsonRenderer
{
    public const string Schema = "envoylens-analysis/v1";

    public static string Render(AnalysisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonOutput.Options))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("origin", result.Origin);
            w.WriteStartObject("proxy");
            w.WriteString("kind", result.Proxy.Name());
            if (result.ProxyVersion is { } version)
            {
                w.WriteString("version", version);
            }
            else
            {
                w.WriteNull("version");
            }

            w.WriteEndObject();
            w.WriteStartObject("summary");
            w.WriteNumber("findings", result.Findings.Count);
            foreach (var s in new[] { Severity.Error, Severity.Warning, Severity.Info })
            {
                w.WriteNumber(AnalysisResult.Level(s), result.Count(s));
            }

            w.WriteStartObject("rules");
            foreach (var s in AnalysisResult.Statuses)
            {
                w.WriteNumber(s, result.CountRules(s));
            }

            w.WriteEndObject();
            if (result.Baseline is not null)
            {
                w.WriteStartObject("baseline");
                w.WriteString("file", result.Baseline);
                w.WriteNumber("suppressed", result.BaselineSuppressed);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartArray("findings");
            foreach (var f in result.Findings)
            {
                w.WriteStartObject();
                w.WriteString("ruleId", f.RuleId);
                w.WriteString("severity", AnalysisResult.Level(f.Severity));
                if (f.Resource is { } r)
                {
                    w.WriteStartObject("resource");
                    w.WriteString("kind", r.Kind.ToString());
                    w.WriteString("name", r.Name);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("resource");
                }

                w.WriteString("source", f.Source);
                w.WriteString("pointer", f.Pointer.Value);
                w.WriteString("message", f.Message);
                w.WriteString("remediation", f.Remediation);
                WriteMap(w, "arguments", f.Arguments);
                WriteMap(w, "evidence", f.Evidence);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("rules");
            foreach (var o in result.Rules)
            {
                w.WriteStartObject();
                w.WriteString("id", o.Id);
                w.WriteString("title", result.Title(o.Id));
                w.WriteString("status", o.Status);
                w.WriteString("reason", o.Reason);
                w.WriteNumber("findings", o.Findings);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    internal static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }
}
