using System.Globalization;
using System.Text;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Rendering;

namespace EnvoyLens.Reporting.Scan;

/// <summary>
/// <c>envoylens scan -o json</c>, schema <c>envoylens-scan/v1</c> (documented in OUTPUT.md), and the reader of it that
/// <c>scan merge</c> uses. Pods sorted by namespace and name; mesh-wide findings recomputed from the pods.
/// </summary>
public static class ScanJson
{
    public const string Schema = "envoylens-scan/v1";

    public static string Render(ScanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return JsonOutput.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteStartObject("scope");
            w.WriteString("namespace", result.Scope.Namespace);
            w.WriteBoolean("allNamespaces", result.Scope.Namespace is null);
            w.WriteString("selector", result.Scope.Selector);
            if (result.Scope.ShardCount is { } count && result.Scope.ShardIndex is { } index)
            {
                w.WriteStartObject("shard");
                w.WriteNumber("index", index);
                w.WriteNumber("count", count);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("shard");
            }

            w.WriteEndObject();
            w.WriteString("at", Time(result.At));
            w.WriteStartObject("summary");
            w.WriteNumber("pods", result.Pods.Count);
            w.WriteNumber("planned", result.Planned);
            w.WriteNumber("read", result.Pods.Count(p => p.WasRead));
            w.WriteNumber("failed", result.FailedCount);
            w.WriteNumber("withoutProxy", result.WithoutProxy);
            w.WriteNumber("error", result.Count(Severity.Error));
            w.WriteNumber("warning", result.Count(Severity.Warning));
            w.WriteNumber("info", result.Count(Severity.Info));
            w.WriteBoolean("interrupted", result.Interrupted);
            w.WriteEndObject();
            w.WriteStartArray("pods");
            foreach (var pod in result.Pods)
            {
                WritePod(w, pod);
            }

            w.WriteEndArray();
            w.WriteStartArray("mesh");
            foreach (var m in MeshAnalysis.Of(result.Pods))
            {
                w.WriteStartObject();
                w.WriteString("kind", m.Kind);
                w.WriteString("subject", m.Subject);
                w.WriteString("message", m.Message);
                w.WriteStartArray("pods");
                foreach (var p in m.Pods)
                {
                    w.WriteStringValue(p);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static void WritePod(Utf8JsonWriter w, ScanPod pod)
    {
        w.WriteStartObject();
        w.WriteString("namespace", pod.Namespace);
        w.WriteString("name", pod.Name);
        w.WriteString("workload", pod.Workload);
        w.WriteStartObject("proxy");
        w.WriteString("kind", pod.ProxyKind);
        w.WriteString("container", pod.Container);
        w.WriteString("version", pod.Version);
        w.WriteEndObject();
        w.WriteString("state", pod.State);
        w.WriteString("reason", pod.Reason);
        w.WriteBoolean("read", pod.WasRead);
        w.WriteBoolean("failed", pod.Failed);
        w.WriteStartObject("counts");
        w.WriteNumber("error", pod.Count(Severity.Error));
        w.WriteNumber("warning", pod.Count(Severity.Warning));
        w.WriteNumber("info", pod.Count(Severity.Info));
        w.WriteEndObject();
        w.WriteString("soonestCertExpiry", pod.SoonestCertExpiry is { } e ? Time(e) : null);
        w.WriteStartArray("trustRoots");
        foreach (var r in pod.TrustRoots)
        {
            w.WriteStringValue(r);
        }

        w.WriteEndArray();
        w.WriteString("configFingerprint", pod.ConfigFingerprint);
        w.WriteString("bundle", pod.Bundle);
        w.WriteStartArray("findings");
        foreach (var f in pod.Findings)
        {
            w.WriteStartObject();
            w.WriteString("ruleId", f.RuleId);
            w.WriteString("severity", Level(f.Severity));
            w.WriteString("resource", f.Resource);
            w.WriteString("pointer", f.Pointer);
            w.WriteString("message", f.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// Reads a result this renderer wrote; <paramref name="name"/> names it in the one-sentence error of anything else
    /// (not JSON, another schema, a missing field).
    /// </summary>
    public static ScanResult Read(ReadOnlySpan<byte> json, string name)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new EnvoyLensException($"{name} is not JSON: {e.Message.TrimEnd('.')}.", e);
        }

        using (document)
        {
            try
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.GetString() != Schema)
                {
                    throw new EnvoyLensException($"{name} is not a scan result (schema {Schema}); give files written by 'envoylens scan -o json'.");
                }

                var scope = root.GetProperty("scope");
                var shard = scope.GetProperty("shard");
                var summary = root.GetProperty("summary");
                var pods = root.GetProperty("pods").EnumerateArray().Select(ReadPod).ToList();
                return new ScanResult(
                    new ScanScope(
                        OptionalString(scope, "namespace"),
                        OptionalString(scope, "selector"),
                        shard.ValueKind == JsonValueKind.Object ? shard.GetProperty("index").GetInt32() : null,
                        shard.ValueKind == JsonValueKind.Object ? shard.GetProperty("count").GetInt32() : null),
                    DateTimeOffset.Parse(root.GetProperty("at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                    pods,
                    summary.GetProperty("planned").GetInt32(),
                    summary.GetProperty("withoutProxy").GetInt32())
                {
                    Interrupted = summary.GetProperty("interrupted").GetBoolean(),
                };
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new EnvoyLensException($"{name} is not a complete scan result: {e.Message.TrimEnd('.')}.", e);
            }
        }
    }

    private static ScanPod ReadPod(JsonElement p)
    {
        var proxy = p.GetProperty("proxy");
        return new ScanPod(p.GetProperty("namespace").GetString()!, p.GetProperty("name").GetString()!)
        {
            Workload = OptionalString(p, "workload"),
            ProxyKind = OptionalString(proxy, "kind"),
            Container = OptionalString(proxy, "container"),
            Version = OptionalString(proxy, "version"),
            State = p.GetProperty("state").GetString()!,
            Reason = OptionalString(p, "reason"),
            SoonestCertExpiry = OptionalString(p, "soonestCertExpiry") is { } e ? DateTimeOffset.Parse(e, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null,
            TrustRoots = p.GetProperty("trustRoots").EnumerateArray().Select(r => r.GetString()!).ToList(),
            ConfigFingerprint = OptionalString(p, "configFingerprint"),
            Bundle = OptionalString(p, "bundle"),
            Findings = p.GetProperty("findings").EnumerateArray().Select(f => new ScanFinding(
                f.GetProperty("ruleId").GetString()!,
                ParseLevel(f.GetProperty("severity").GetString()),
                OptionalString(f, "resource"),
                f.GetProperty("pointer").GetString()!,
                f.GetProperty("message").GetString()!)).ToList(),
        };
    }

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static Severity ParseLevel(string? word) => word switch
    {
        "error" => Severity.Error,
        "warning" => Severity.Warning,
        "info" => Severity.Info,
        _ => throw new FormatException($"'{word}' is not a severity"),
    };

    private static string Level(Severity s) => s.ToString().ToLowerInvariant();

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
