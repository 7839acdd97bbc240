using System.Globalization;
using EnvoyLens.Admin;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Analysis;
using EnvoyLens.Reporting.Html;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Cli.Services;

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

    /// <summary>The instant the rules judge at (<c>--at</c>); null for the command's clock.</summary>
    public TimeProvider? At { get; init; }
}

/// <summary>
/// <c>envoylens analyze</c>: loads the capture, runs every rule of <see cref="RulePacks.Catalog"/> and writes the findings as
/// text, JSON (schema <c>envoylens-analysis/v1</c>, see src/EnvoyLens.Rules/README.md) or SARIF 2.1.0. Exit code 1 when
/// a finding (after the baseline) is at or above <c>--fail-on</c>, else 0.
/// </summary>
internal sealed class AnalyzeService(SnapshotLoader loader, TimeProvider clock)
{
    public int Run(AnalyzeRequest request, TextWriter output)
    {
        var baseline = request.Baseline is null ? null : ReadBaseline(request.Baseline);
        var loaded = loader.Load(request.Source);
        var snapshot = request.StatsBefore is null ? loaded.Snapshot : WithEarlierStats(loaded, request.StatsBefore);
        var at = request.At ?? clock;
        var context = new RuleContext(snapshot, at, RuleContext.InputsOf(loaded.Raw, loaded.Snapshot));
        var report = RulePacks.Catalog.Runner().Run(context, request.Options);
        var result = ToResult(snapshot.Origin, report) with
        {
            Available = context.Available,
            Proxy = snapshot.Proxy,
            ProxyVersion = snapshot.Linkerd?.Version ?? snapshot.ServerInfo?.Version,
        };
        if (baseline is not null)
        {
            var fresh = result.Findings.Where(f => !baseline.Contains(FindingIdentity.Of(f))).ToList();
            result = result with { Findings = fresh, Baseline = request.Baseline, BaselineSuppressed = result.Findings.Count - fresh.Count };
        }

        var exit = request.FailOn is { } threshold && result.Findings.Any(f => f.Severity >= threshold) ? ExitCodes.Findings : ExitCodes.Ok;
        output.Write(request.Format switch
        {
            AnalyzeFormat.Json => AnalysisJsonRenderer.Render(result),
            AnalyzeFormat.Sarif => SarifRenderer.Render(result, ToolInfo.Version, SarifOptionsFor(request, loaded.Raw, result.Findings)),
            AnalyzeFormat.Html => AnalysisHtmlRenderer.Render(HtmlInput(request, loaded with { Snapshot = snapshot }, result, at.GetUtcNow(), exit)),
            _ => AnalysisTextRenderer.Render(result, request.Verbose),
        });
        return exit;
    }

    /// <summary>What the HTML page draws: the result, its header and verdict, the findings' resources as normalized YAML, certificates and the snapshot.</summary>
    private static AnalysisHtmlInput HtmlInput(AnalyzeRequest request, LoadedSnapshot loaded, AnalysisResult result, DateTimeOffset at, int exit)
    {
        var count = result.Findings.Count.ToString(CultureInfo.InvariantCulture) + (result.Findings.Count == 1 ? " finding" : " findings");
        var verdict = request.FailOn is not { } threshold
            ? $"{count}; no --fail-on threshold: exit {exit.ToString(CultureInfo.InvariantCulture)}"
            : exit == ExitCodes.Findings
                ? $"FAIL: findings at or above {AnalysisResult.Level(threshold)} ({count} in all): exit {exit.ToString(CultureInfo.InvariantCulture)}"
                : $"PASS: nothing at or above {AnalysisResult.Level(threshold)} ({count} in all): exit {exit.ToString(CultureInfo.InvariantCulture)}";
        return new AnalysisHtmlInput(HtmlReports.Header("analyze", request.Source, loaded, at, verdict), result)
        {
            Configs = HtmlReports.Configs(request.Source, loaded.Raw, result.Findings.Where(f => f.Resource is not null).Select(f => f.Resource!.Value)),
            Certificates = CertificateInventory.From(loaded.Snapshot),
            Snapshot = loaded.Snapshot,
        };
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

    /// <summary>The finding identities of a previous <c>-o json</c> result; a file that is missing or unreadable is an error naming it.</summary>
    internal static HashSet<string> ReadBaseline(string path)
    {
        if (!File.Exists(path))
        {
            throw new EnvoyLensException($"cannot read baseline '{path}': no such file.");
        }

        try
        {
            return AnalysisJsonReader.FindingIdentities(File.ReadAllBytes(path), $"baseline '{path}'");
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
