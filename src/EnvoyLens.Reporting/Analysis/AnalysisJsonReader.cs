using System.Text.Json;
using EnvoyLens.Core;

namespace EnvoyLens.Reporting.Analysis;

/// <summary>Reads back what <see cref="AnalysisJsonRenderer"/> writes (schema <c>envoylens-analysis/v1</c>), for <c>analyze --baseline</c>.</summary>
public static class AnalysisJsonReader
{
    /// <summary>
    /// The identities (<see cref="FindingIdentity"/>) of the findings of an <c>analyze -o json</c> result. A document that
    /// is not JSON or not such a result is an <see cref="EnvoyLensException"/> naming it as <paramref name="name"/>
    /// (e.g. <c>baseline 'old.json'</c>).
    /// </summary>
    public static HashSet<string> FindingIdentities(byte[] json, string name)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.GetString() != AnalysisJsonRenderer.Schema ||
                !root.TryGetProperty("findings", out var findings) || findings.ValueKind != JsonValueKind.Array)
            {
                throw new EnvoyLensException($"{name} is not an 'envoylens analyze -o json' result (schema {AnalysisJsonRenderer.Schema}).");
            }

            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var f in findings.EnumerateArray())
            {
                var resource = f.TryGetProperty("resource", out var r) && r.ValueKind == JsonValueKind.Object ? r : (JsonElement?)null;
                var args = f.TryGetProperty("arguments", out var a) && a.ValueKind == JsonValueKind.Object
                    ? a.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString() ?? ""))
                    : [];
                set.Add(FindingIdentity.Of(
                    f.GetProperty("ruleId").GetString() ?? "",
                    resource?.GetProperty("kind").GetString(),
                    resource?.GetProperty("name").GetString(),
                    f.TryGetProperty("pointer", out var p) ? p.GetString() ?? "" : "",
                    args));
            }

            return set;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new EnvoyLensException($"{name} is not an 'envoylens analyze -o json' result: {e.Message.TrimEnd('.')}.");
        }
    }
}
