using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Cli.Services;

/// <summary>Output forms of <c>envoylens analyze</c>.</summary>
internal enum AnalyzeFormat
{
    Text,
    Json,
}

/// <summary>What <c>envoylens analyze</c> was asked for. <paramref name="FailOn"/> null means never fail on findings.</summary>
internal sealed record AnalyzeRequest(SourceSpec Source, AnalyzeFormat Format, Severity? FailOn, AnalysisOptions Options);

/// <summary>
/// <c>envoylens analyze</c>: loads the capture, runs every built-in rule and writes the findings. Exit code 1 when a
/// finding is at or above <c>--fail-on</c>, else 0. The JSON form (schema <c>envoylens-analysis/v1</c>) is:
/// <code>
/// { "schema": "envoylens-analysis/v1", "origin": "...",
///   "summary": { "findings": n, "error": n, "warning": n, "info": n,
///                "rules": { "passed": n, "failed": n, "notApplicable": n, "notRun": n, "disabled": n, "internalError": n } },
///   "findings": [ { "ruleId", "severity": "error|warning|info", "resource": { "kind", "name" } | null, "source": string|null,
///                   "pointer", "message", "remediation", "arguments": { name: value }, "evidence": { name: value } } ],
///   "rules": [ { "id", "title", "status": "passed|failed|notApplicable|notRun|disabled|internalError", "reason": string|null, "findings": n } ] }
/// </code>
/// Findings are ordered by severity (most severe first), rule id, resource and pointer; rules by id; object keys of
/// arguments and evidence by name. Fields are only ever added to this schema.
/// </summary>
internal sealed class AnalyzeService(SnapshotLoader loader, TimeProvider clock)
{
    public const string Schema = "envoylens-analysis/v1";

    public int Run(AnalyzeRequest request, TextWriter output)
    {
        var loaded = loader.Load(request.Source);
        var context = new RuleContext(loaded.Snapshot, clock, RuleContext.InputsOf(loaded.Raw, loaded.Snapshot));
        var report = RuleRunner.BuiltIn().Run(context, request.Options);
        output.Write(request.Format == AnalyzeFormat.Json ? ToJson(loaded.Snapshot.Origin, report) : ToText(report));
        return request.FailOn is { } threshold && report.HasFindingsAtOrAbove(threshold) ? ExitCodes.Findings : ExitCodes.Ok;
    }

    public static AnalyzeFormat ParseFormat(string? value) => value?.ToLowerInvariant() switch
    {
        null or "text" => AnalyzeFormat.Text,
        "json" => AnalyzeFormat.Json,
        _ => throw new EnvoyLensException($"--output must be text or json, not '{value}'."),
    };

    /// <summary>Parses <c>--fail-on</c>; null for <c>never</c>.</summary>
    public static Severity? ParseFailOn(string? value) => value?.ToLowerInvariant() switch
    {
        null or "error" => Severity.Error,
        "warning" => Severity.Warning,
        "info" => Severity.Info,
        "never" => null,
        _ => throw new EnvoyLensException($"--fail-on must be error, warning, info or never, not '{value}'."),
    };

    /// <summary>Builds the rule selection from <c>--enable</c>, <c>--disable</c> and <c>--severity ID=LEVEL</c>, checking every id against the catalog.</summary>
    public static AnalysisOptions ParseOptions(IEnumerable<string> enable, IEnumerable<string> disable, IEnumerable<string> severity)
    {
        var enabled = enable.Select(id => RuleId(id, "--enable")).ToHashSet(StringComparer.Ordinal);
        var disabled = disable.Select(id => RuleId(id, "--disable")).ToHashSet(StringComparer.Ordinal);
        var both = enabled.Intersect(disabled, StringComparer.Ordinal).Order(StringComparer.Ordinal).FirstOrDefault();
        if (both is not null)
        {
            throw new EnvoyLensException($"rule {both} is named in both --enable and --disable; name it in one of them.");
        }

        var overrides = new Dictionary<string, Severity>(StringComparer.Ordinal);
        foreach (var item in severity)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new EnvoyLensException($"--severity '{item}' must have the form ID=LEVEL, e.g. EL1004=error.");
            }

            var level = item[(eq + 1)..].ToLowerInvariant() switch
            {
                "error" => Severity.Error,
                "warning" => Severity.Warning,
                "info" => Severity.Info,
                _ => throw new EnvoyLensException($"--severity '{item}' names level '{item[(eq + 1)..]}'; use error, warning or info."),
            };
            overrides[RuleId(item[..eq], "--severity")] = level;
        }

        return new AnalysisOptions { Enable = enabled, Disable = disabled, SeverityOverrides = overrides };
    }

    private static string RuleId(string id, string option)
    {
        var normalized = id.Trim().ToUpperInvariant();
        return RuleCatalog.BuiltIn.Any(r => r.Descriptor.Id == normalized)
            ? normalized
            : throw new EnvoyLensException($"{option} names '{id}', which is not a rule id; run 'envoylens rules' to list the rules.");
    }

    internal static string Level(Severity s) => s.ToString().ToLowerInvariant();

    internal static string ToText(AnalysisReport report)
    {
        var sb = new StringBuilder();
        foreach (var group in report.Findings.GroupBy(f => f.Severity))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{Level(group.Key).ToUpperInvariant()} ({group.Count()})\n");
            foreach (var f in group)
            {
                var where = f.Resource is { } r ? $"{r.Kind} {r.Name}" : "proxy";
                sb.Append(CultureInfo.InvariantCulture, $"  {f.RuleId}  {where}\n");
                sb.Append(CultureInfo.InvariantCulture, $"    {f.Message}\n");
                if (!f.Pointer.IsRoot || f.Source is not null)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"    at: {f.Source ?? ""}#{f.Pointer}\n");
                }

                if (f.Evidence.Count > 0)
                {
                    sb.Append("    evidence: ").Append(string.Join(", ", f.Evidence.Select(e => $"{e.Key}={e.Value}"))).Append('\n');
                }

                sb.Append(CultureInfo.InvariantCulture, $"    fix: {f.Remediation}\n");
            }

            sb.Append('\n');
        }

        var notRun = report.Outcomes.Where(o => o.Status == RuleStatus.NotRun).ToList();
        if (notRun.Count > 0)
        {
            sb.Append("NOT RUN\n");
            foreach (var o in notRun)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {o.RuleId}  {Title(o.RuleId)}: {o.Reason}\n");
            }

            sb.Append('\n');
        }

        sb.Append(Summary(report)).Append('\n');
        return sb.ToString();
    }

    /// <summary>The one-line summary: finding counts by severity and rule outcomes.</summary>
    internal static string Summary(AnalysisReport report)
    {
        int N(RuleStatus s) => report.Outcomes.Count(o => o.Status == s);
        var findings = report.Findings.Count == 0
            ? "No findings"
            : string.Create(CultureInfo.InvariantCulture, $"{report.Findings.Count} finding(s): {report.Count(Severity.Error)} error, {report.Count(Severity.Warning)} warning, {report.Count(Severity.Info)} info");
        return string.Create(CultureInfo.InvariantCulture,
            $"{findings} ({report.Outcomes.Count} rules: {N(RuleStatus.Passed)} passed, {N(RuleStatus.Failed)} failed, {N(RuleStatus.NotApplicable)} not applicable, {N(RuleStatus.NotRun)} not run, {N(RuleStatus.Disabled)} disabled, {N(RuleStatus.InternalError)} internal error).");
    }

    private static string Title(string id) => RuleCatalog.Find(id)?.Title ?? id;

    private static string Status(RuleStatus s) => s switch
    {
        RuleStatus.NotApplicable => "notApplicable",
        RuleStatus.NotRun => "notRun",
        RuleStatus.InternalError => "internalError",
        _ => s.ToString().ToLowerInvariant(),
    };

    internal static string ToJson(string origin, AnalysisReport report)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 2, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("origin", origin);
            w.WriteStartObject("summary");
            w.WriteNumber("findings", report.Findings.Count);
            foreach (var s in new[] { Severity.Error, Severity.Warning, Severity.Info })
            {
                w.WriteNumber(Level(s), report.Count(s));
            }

            w.WriteStartObject("rules");
            foreach (var s in Enum.GetValues<RuleStatus>())
            {
                w.WriteNumber(Status(s), report.Outcomes.Count(o => o.Status == s));
            }

            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("findings");
            foreach (var f in report.Findings)
            {
                w.WriteStartObject();
                w.WriteString("ruleId", f.RuleId);
                w.WriteString("severity", Level(f.Severity));
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
            foreach (var o in report.Outcomes)
            {
                w.WriteStartObject();
                w.WriteString("id", o.RuleId);
                w.WriteString("title", Title(o.RuleId));
                w.WriteString("status", Status(o.Status));
                w.WriteString("reason", o.Reason);
                w.WriteNumber("findings", o.FindingCount);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }
}
