using System.Reflection;
using System.Text.Json;
using EnvoyLens.Admin;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Decoding.Endpoints;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Analysis;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Cli.Services;

/// <summary>Output forms of <c>envoylens analyze</c>.</summary>
internal enum AnalyzeFormat
{
    Text,
    Json,
    Sarif,
}

/// <summary>
/// What <c>envoylens analyze</c> was asked for. <paramref name="FailOn"/> null means never fail on findings;
/// <paramref name="Baseline"/> a previous <c>-o json</c> result whose findings are not reported again;
/// <paramref name="StatsBefore"/> an earlier capture (file or bundle) whose <c>/stats</c> turns counters into rates.
/// </summary>
internal sealed record AnalyzeRequest(SourceSpec Source, AnalyzeFormat Format, Severity? FailOn, AnalysisOptions Options, string? Baseline = null, string? StatsBefore = null)
{
    /// <summary>Text output prints every finding, all evidence and every rule that did not run (<c>-v</c>).</summary>
    public bool Verbose { get; init; }

    /// <summary>SARIF artifact URIs are relative to this directory (<c>--sarif-root</c>); null for the working directory.</summary>
    public string? SarifRoot { get; init; }
}

/// <summary>
/// <c>envoylens analyze</c>: loads the capture, runs every rule of <see cref="RulePacks.Catalog"/> and writes the findings as
/// text, JSON (schema <c>envoylens-analysis/v1</c>, see src/EnvoyLens.Rules/README.md) or SARIF 2.1.0. Exit code 1 when
/// a finding (after the baseline) is at or above <c>--fail-on</c>, else 0.
/// </summary>
internal sealed class AnalyzeService(SnapshotLoader loader, TimeProvider clock)
{
    public const string Schema = AnalysisJsonRenderer.Schema;

    internal static string ToolVersion { get; } =
        typeof(AnalyzeService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public int Run(AnalyzeRequest request, TextWriter output)
    {
        var baseline = request.Baseline is null ? null : ReadBaseline(request.Baseline);
        var loaded = loader.Load(request.Source);
        var snapshot = request.StatsBefore is null ? loaded.Snapshot : WithEarlierStats(loaded, request.StatsBefore);
        var context = new RuleContext(snapshot, clock, RuleContext.InputsOf(loaded.Raw, loaded.Snapshot));
        var report = RulePacks.Catalog.Runner().Run(context, request.Options);
        var result = ToResult(snapshot.Origin, report) with { Available = context.Available };
        if (baseline is not null)
        {
            var fresh = result.Findings.Where(f => !baseline.Contains(FindingIdentity.Of(f))).ToList();
            result = result with { Findings = fresh, Baseline = request.Baseline, BaselineSuppressed = result.Findings.Count - fresh.Count };
        }

        output.Write(request.Format switch
        {
            AnalyzeFormat.Json => AnalysisJsonRenderer.Render(result),
            AnalyzeFormat.Sarif => SarifRenderer.Render(result, ToolVersion, SarifOptionsFor(request, loaded.Raw, result.Findings)),
            _ => AnalysisTextRenderer.Render(result, request.Verbose),
        });
        return request.FailOn is { } threshold && result.Findings.Any(f => f.Severity >= threshold) ? ExitCodes.Findings : ExitCodes.Ok;
    }

    /// <summary>
    /// Where SARIF places results: URIs relative to <c>--sarif-root</c> (else the working directory), and for every
    /// finding whose source is a JSON document of the capture, the line and column of its pointer's value.
    /// </summary>
    internal static SarifOptions SarifOptionsFor(AnalyzeRequest request, RawSnapshot raw, IReadOnlyList<Finding> findings)
    {
        var root = request.SarifRoot is { } given ? Path.GetFullPath(given) : Environment.CurrentDirectory;
        if (request.SarifRoot is not null && !Directory.Exists(root))
        {
            throw new EnvoyLensException($"--sarif-root '{request.SarifRoot}' is not a directory.");
        }

        var regions = new Dictionary<string, IReadOnlyDictionary<string, SourceRegion>>(StringComparer.Ordinal);
        foreach (var bySource in findings.Where(f => f.Source is not null).GroupBy(f => f.Source!, StringComparer.Ordinal))
        {
            if (raw.Documents.FirstOrDefault(d => string.Equals(d.Source, bySource.Key, StringComparison.Ordinal)) is { } document)
            {
                regions[bySource.Key] = SourceRegions.Locate(document.Content, bySource.Select(f => f.Pointer));
            }
        }

        return new SarifOptions { Root = root, Regions = regions };
    }

    /// <summary>The runner's report as the renderers draw it, with the descriptors of every rule the CLI knows.</summary>
    internal static AnalysisResult ToResult(string origin, AnalysisReport report) =>
        new(origin, report.Findings, report.Outcomes.Select(o => new AnalysisRuleResult(o.RuleId, Status(o.Status), o.Reason, o.FindingCount)).ToList(), RulePacks.Catalog.Descriptors);

    public static AnalyzeFormat ParseFormat(string? value) => value?.ToLowerInvariant() switch
    {
        null or "text" => AnalyzeFormat.Text,
        "json" => AnalyzeFormat.Json,
        "sarif" => AnalyzeFormat.Sarif,
        _ => throw new EnvoyLensException($"--output must be text, json or sarif, not '{value}'."),
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

    /// <summary>
    /// The identities (<see cref="FindingIdentity"/>) of the findings of a previous <c>-o json</c> result. A file that is
    /// missing, not JSON or not such a result is an <see cref="EnvoyLensException"/> naming it.
    /// </summary>
    internal static HashSet<string> ReadBaseline(string path)
    {
        if (!File.Exists(path))
        {
            throw new EnvoyLensException($"cannot read baseline '{path}': no such file.");
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.GetString() != Schema ||
                !root.TryGetProperty("findings", out var findings) || findings.ValueKind != JsonValueKind.Array)
            {
                throw new EnvoyLensException($"baseline '{path}' is not an 'envoylens analyze -o json' result (schema {Schema}).");
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
            throw new EnvoyLensException($"baseline '{path}' is not an 'envoylens analyze -o json' result: {e.Message.TrimEnd('.')}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvoyLensException($"cannot read baseline '{path}': {e.Message.TrimEnd('.')}.");
        }
    }

    /// <summary>
    /// The snapshot with the <c>/stats</c> of an earlier capture (a stats file or a bundle) as its earlier sample; the
    /// capture times come from the bundles' manifests when both have one.
    /// </summary>
    internal static EnvoySnapshot WithEarlierStats(LoadedSnapshot current, string path)
    {
        if (current.Snapshot.Stats is null)
        {
            throw new EnvoyLensException($"--stats-before needs stats in the capture being analyzed, and '{current.Snapshot.Origin}' holds none.");
        }

        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new EnvoyLensException($"cannot read --stats-before '{path}': no such file or bundle.");
        }

        // The earlier capture's own latest sample, chosen exactly as decoding chooses it; the current sample keeps its time.
        var raw = SnapshotSources.Open(path);
        var earlier = SnapshotDecoder.DecodeStats(raw)
            ?? throw new EnvoyLensException($"--stats-before '{path}' holds no /stats output.");
        return current.Snapshot.WithStats(current.Snapshot.Stats.WithEarlier(earlier.WithEarlier(null)));
    }

    private static string RuleId(string id, string option)
    {
        var normalized = id.Trim().ToUpperInvariant();
        return RulePacks.Catalog.Rules.Any(r => r.Descriptor.Id == normalized)
            ? normalized
            : throw new EnvoyLensException($"{option} names '{id}', which is not a rule id; run 'envoylens rules' to list the rules.");
    }

    internal static string Level(Severity s) => AnalysisResult.Level(s);

    private static string Status(RuleStatus s) => s switch
    {
        RuleStatus.Passed => AnalysisResult.Passed,
        RuleStatus.Failed => AnalysisResult.Failed,
        RuleStatus.NotApplicable => AnalysisResult.NotApplicable,
        RuleStatus.NotRun => AnalysisResult.NotRun,
        RuleStatus.Disabled => AnalysisResult.Disabled,
        _ => AnalysisResult.InternalError,
    };
}
