using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyLens.Diff;
using EnvoyLens.Reporting.Rendering;

namespace EnvoyLens.Reporting.Diff;

/// <summary>
/// The JSON form of a <see cref="ChangeSet"/> (schema <c>envoylens-diff/v1</c>, documented in src/EnvoyLens.Diff/README.md).
/// </summary>
public static class ChangeSetJsonRenderer
{
    public const string Schema = "envoylens-diff/v1";

    public static void Render(ChangeSet changes, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(output);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, JsonOutput.Options))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("before", changes.Before);
            w.WriteString("after", changes.After);
            w.WriteBoolean("equal", changes.IsEmpty);
            w.WriteStartArray("kinds");
            foreach (var k in changes.Kinds)
            {
                w.WriteStartObject();
                w.WriteString("kind", k.Kind.ToString());
                w.WriteNumber("added", k.Added);
                w.WriteNumber("removed", k.Removed);
                w.WriteNumber("changed", k.Changed);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("summaries");
            foreach (var s in changes.Summaries)
            {
                w.WriteStringValue(s);
            }

            w.WriteEndArray();
            w.WriteStartObject("notCompared");
            w.WriteNumber("redactedValues", changes.Redacted.Values);
            w.WriteNumber("resources", changes.Redacted.Resources);
            w.WriteEndObject();
            w.WriteStartArray("changes");
            foreach (var c in changes.Changes)
            {
                w.WriteStartObject();
                w.WriteString("kind", c.Kind.ToString());
                w.WriteString("name", c.Name);
                w.WriteString("change", c.Type.ToString().ToLowerInvariant());
                w.WriteString("path", c.Path);
                WriteValue(w, "old", c.Old, c.Type == ChangeType.Rotated);
                WriteValue(w, "new", c.New, c.Type == ChangeType.Rotated);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        output.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal));
        output.Write('\n');
    }

    private static void WriteValue(Utf8JsonWriter w, string name, string? json, bool text)
    {
        if (json is null)
        {
            w.WriteNull(name);
        }
        else if (text)
        {
            w.WriteString(name, json);
        }
        else
        {
            w.WritePropertyName(name);
            JsonNode.Parse(json)!.WriteTo(w);
        }
    }
}
