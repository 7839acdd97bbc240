using EnvoyLens.Core;
using EnvoyLens.Reporting.Analysis;
using EnvoyLens.Reporting.Rendering;

namespace EnvoyLens.Reporting.Scan;

/// <summary>
/// <c>envoylens scan -o sarif</c>: SARIF 2.1.0, one run; every pod's findings are results whose logical location is
/// <c>NAMESPACE/POD</c> (and the resource), and every pod that could not be read is a tool execution notification.
/// </summary>
public static class ScanSarifRenderer
{
    public static string Render(ScanResult result, IReadOnlyList<RuleDescriptor> descriptors, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(descriptors);
        var used = result.Pods.SelectMany(p => p.Findings).Select(f => f.RuleId).ToHashSet(StringComparer.Ordinal);
        var rules = descriptors.Where(d => used.Contains(d.Id)).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        var index = rules.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        return JsonOutput.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("$schema", SarifRenderer.SchemaUri);
            w.WriteString("version", "2.1.0");
            w.WriteStartArray("runs");
            w.WriteStartObject();
            w.WriteStartObject("tool");
            w.WriteStartObject("driver");
            w.WriteString("name", SarifRenderer.ToolName);
            w.WriteString("version", toolVersion);
            w.WriteStartArray("rules");
            foreach (var d in rules)
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteString("name", SarifRenderer.RuleName(d));
                w.WriteStartObject("shortDescription");
                w.WriteString("text", d.Title);
                w.WriteEndObject();
                w.WriteStartObject("help");
                w.WriteString("text", d.Remediation);
                w.WriteEndObject();
                w.WriteStartObject("defaultConfiguration");
                w.WriteString("level", SarifRenderer.Level(d.DefaultSeverity));
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("invocations");
            w.WriteStartObject();
            w.WriteBoolean("executionSuccessful", !result.Interrupted);
            w.WriteStartArray("toolExecutionNotifications");
            foreach (var pod in result.Pods.Where(p => !p.WasRead))
            {
                w.WriteStartObject();
                w.WriteString("level", pod.Failed ? "error" : "note");
                w.WriteStartObject("message");
                w.WriteString("text", $"{pod.Key} ({pod.State}): {pod.Reason}");
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("results");
            foreach (var pod in result.Pods)
            {
                foreach (var f in pod.Findings)
                {
                    w.WriteStartObject();
                    w.WriteString("ruleId", f.RuleId);
                    if (index.TryGetValue(f.RuleId, out var i))
                    {
                        w.WriteNumber("ruleIndex", i);
                    }

                    w.WriteString("level", SarifRenderer.Level(f.Severity));
                    w.WriteStartObject("message");
                    w.WriteString("text", $"{pod.Key}: {f.Message}");
                    w.WriteEndObject();
                    w.WriteStartArray("locations");
                    w.WriteStartObject();
                    w.WriteStartArray("logicalLocations");
                    w.WriteStartObject();
                    w.WriteString("fullyQualifiedName", f.Resource is null ? pod.Key : pod.Key + "/" + f.Resource);
                    w.WriteString("kind", "resource");
                    w.WriteEndObject();
                    w.WriteEndArray();
                    w.WriteEndObject();
                    w.WriteEndArray();
                    w.WriteStartObject("properties");
                    w.WriteString("pod", pod.Key);
                    w.WriteString("pointer", f.Pointer);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
