using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EnvoyLens.Reporting.Diff;

/// <summary>
/// Block-style YAML of one resource's normalized form, for <c>envoylens diff --full</c>. Strings are double-quoted
/// (JSON escapes are valid YAML), so no value can be misread as a number, boolean or null; keys stay plain when
/// they are plain identifiers and are quoted otherwise (<c>"@type"</c> too: <c>@</c> cannot start a plain YAML scalar). Key order is the caller's (the normalized form is sorted).
/// </summary>
public static partial class NormalizedYaml
{
    /// <summary>The YAML text of <paramref name="node"/>, ending with a newline; null for null (an absent resource).</summary>
    public static string? Render(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        var sb = new StringBuilder();
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                WriteObject(sb, o, 0, string.Empty);
                break;
            case JsonArray a when a.Count > 0:
                WriteArray(sb, a, 0);
                break;
            default:
                sb.Append(Scalar(node)).Append('\n');
                break;
        }

        return sb.ToString();
    }

    private static void WriteObject(StringBuilder sb, JsonObject o, int indent, string firstPrefix)
    {
        var pad = new string(' ', indent);
        var first = true;
        foreach (var (key, value) in o)
        {
            sb.Append(first ? firstPrefix : pad).Append(Key(key)).Append(':');
            first = false;
            WriteMember(sb, value, indent);
        }
    }

    private static void WriteMember(StringBuilder sb, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject child when child.Count > 0:
                sb.Append('\n');
                WriteObject(sb, child, indent + 2, new string(' ', indent + 2));
                break;
            case JsonArray items when items.Count > 0:
                sb.Append('\n');
                WriteArray(sb, items, indent);
                break;
            default:
                sb.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static void WriteArray(StringBuilder sb, JsonArray items, int indent)
    {
        var pad = new string(' ', indent);
        foreach (var item in items)
        {
            switch (item)
            {
                case JsonObject o when o.Count > 0:
                    WriteObject(sb, o, indent + 2, pad + "- ");
                    break;
                case JsonArray nested when nested.Count > 0:
                    sb.Append(pad).Append("-\n");
                    WriteArray(sb, nested, indent + 2);
                    break;
                default:
                    sb.Append(pad).Append("- ").Append(Scalar(item)).Append('\n');
                    break;
            }
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        _ => node.ToJsonString(),
    };

    private static string Key(string key) => PlainKey().IsMatch(key) ? key : Quote(key);

    private static string Quote(string s) => "\"" + JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(s) + "\"";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.@/-]*$")]
    private static partial Regex PlainKey();
}
