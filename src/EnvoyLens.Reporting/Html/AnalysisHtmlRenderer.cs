using System.Globalization;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Analysis;

namespace EnvoyLens.Reporting.Html;

/// <summary>
/// What <c>analyze -o html</c> draws: the analysis result, the header, the normalized configuration (YAML, as
/// <c>diff --full</c> prints it, already redacted) of the resources findings name, the capture's certificates and its
/// snapshot for the traffic map. The caller computes everything; rendering reads only this.
/// </summary>
public sealed record AnalysisHtmlInput(ReportHeader Header, AnalysisResult Result)
{
    /// <summary>Normalized YAML by resource; a finding whose resource is here links to it.</summary>
    public IReadOnlyDictionary<ResourceRef, string> Configs { get; init; } = new Dictionary<ResourceRef, string>();

    /// <summary>Every certificate of the capture, for the timeline and table; null to leave the section out.</summary>
    public CertificateInventory? Certificates { get; init; }

    /// <summary>The capture, for the traffic map; null to leave the section out.</summary>
    public EnvoySnapshot? Snapshot { get; init; }
}

/// <summary>
/// <c>analyze -o html</c>: one self-contained page with the findings (grouped by severity, then area; filtered by
/// severity and text client-side), the rule reference they link to, the normalized configuration of every resource a
/// finding names, the certificate timeline and the traffic map.
/// </summary>
public static class AnalysisHtmlRenderer
{
    /// <summary>Findings of one rule shown in full (evidence and fix); the rest of that rule's are one line each.</summary>
    public const int FullFindingsPerRule = 100;

    /// <summary>Resources whose configuration the page embeds (the first named by findings, in report order).</summary>
    public const int MaxConfigs = 100;

    /// <summary>Characters of one resource's YAML the page embeds; a longer one is cut with a note.</summary>
    public const int MaxConfigChars = 40_000;

    public static string Render(AnalysisHtmlInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = input.Result;
        var summary = new List<(string, string)>
        {
            ("Findings", string.Create(CultureInfo.InvariantCulture, $"{result.Findings.Count} ({Count(result.Count(Severity.Error), "error")}, {Count(result.Count(Severity.Warning), "warning")}, {result.Count(Severity.Info)} info)")),
            ("Rules", string.Join(", ", AnalysisResult.Statuses.Select(s => (s, n: result.CountRules(s))).Where(x => x.n > 0).Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.n} {x.s}")))),
        };
        if (result.Baseline is { } baseline)
        {
            summary.Add(("Baseline", string.Create(CultureInfo.InvariantCulture, $"{baseline}: {result.BaselineSuppressed} findings already known, not shown")));
        }

        var w = HtmlPage.Begin(input.Header, summary);
        var anchors = ConfigAnchors(input);
        WriteFindings(w, result, anchors);
        if (input.Certificates is { } inventory)
        {
            CertificateTimeline.Write(w, inventory, input.Header.At ?? throw new ArgumentException("An analysis report is judged at an instant.", nameof(input)));
        }

        if (input.Snapshot is { } snapshot)
        {
            TrafficMap.Write(w, snapshot, result.Findings);
        }

        WriteConfigs(w, input, anchors);
        WriteRules(w, result);
        return HtmlPage.End(w);
    }

    /// <summary>The anchor of each resource a finding names and whose configuration is known, numbered in report order.</summary>
    private static Dictionary<ResourceRef, string> ConfigAnchors(AnalysisHtmlInput input)
    {
        var anchors = new Dictionary<ResourceRef, string>();
        foreach (var f in input.Result.Findings)
        {
            if (anchors.Count < MaxConfigs && f.Resource is { } r && input.Configs.ContainsKey(r) && !anchors.ContainsKey(r))
            {
                anchors[r] = "config-" + anchors.Count.ToString(CultureInfo.InvariantCulture);
            }
        }

        return anchors;
    }

    private static void WriteFindings(HtmlWriter w, AnalysisResult result, Dictionary<ResourceRef, string> anchors)
    {
        w.Open("section", ("id", "findings")).Element("h2", "Findings").Line();
        w.Open("div", ("class", "controls"));
        w.Markup("Show: ");
        foreach (var severity in new[] { Severity.Error, Severity.Warning, Severity.Info })
        {
            var level = AnalysisResult.Level(severity);
            w.Open("label").Void("input", ("type", "checkbox"), ("class", "sev-filter"), ("value", level), ("checked", "checked"), ("id", "filter-" + level))
                .Text(" " + level).Close("label");
        }

        w.Void("input", ("type", "search"), ("id", "text-filter"), ("placeholder", "Filter by text (rule, resource, message...)"), ("aria-label", "Filter findings by text"));
        w.Open("span", ("class", "note")).Markup(" ")
            .Element("span", result.Findings.Count.ToString(CultureInfo.InvariantCulture), ("id", "shown-count"))
            .Text(" of ")
            .Element("span", result.Findings.Count.ToString(CultureInfo.InvariantCulture), ("id", "findings-count"))
            .Text(" findings shown").Close("span");
        w.Close("div").Line();
        if (result.Findings.Count == 0)
        {
            w.Element("p", "No findings.", ("class", "note"));
        }

        var compact = result.Findings.GroupBy(f => f.RuleId, StringComparer.Ordinal).Where(g => g.Count() > FullFindingsPerRule).ToList();
        if (compact.Count > 0)
        {
            w.Element("p", string.Create(CultureInfo.InvariantCulture,
                $"Large report: beyond the first {FullFindingsPerRule} findings of a rule ({string.Join(", ", compact.Select(g => $"{g.Key}: {g.Count()}"))}), each finding is one line " +
                $"(resource and message); 'analyze -o json' holds their evidence. Configuration is embedded for the first {MaxConfigs} resources named."), ("class", "note"), ("id", "compacted"));
        }

        var shownInFull = new Dictionary<string, int>(StringComparer.Ordinal);
        var categories = result.Descriptors.ToDictionary(d => d.Id, d => d.Category, StringComparer.Ordinal);
        foreach (var bySeverity in result.Findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key))
        {
            var level = AnalysisResult.Level(bySeverity.Key);
            w.Open("details", ("class", "group finding-group"), ("open", "open"), ("data-severity", level), ("id", "severity-" + level));
            w.Element("summary", string.Create(CultureInfo.InvariantCulture, $"{Plural(level)} ({bySeverity.Count()})"));
            foreach (var byArea in bySeverity.GroupBy(f => categories.GetValueOrDefault(f.RuleId, RuleCategory.Engine)).OrderBy(g => g.Key))
            {
                w.Open("div", ("class", "finding-group"), ("data-area", byArea.Key.ToString()));
                w.Element("h3", string.Create(CultureInfo.InvariantCulture, $"{Area(byArea.Key)} ({byArea.Count()})"));
                foreach (var f in byArea.Order(Finding.ReportOrder))
                {
                    var n = shownInFull.GetValueOrDefault(f.RuleId);
                    shownInFull[f.RuleId] = n + 1;
                    if (n < FullFindingsPerRule)
                    {
                        WriteFinding(w, result, f, anchors);
                    }
                    else
                    {
                        WriteCompact(w, f);
                    }
                }

                w.Close("div").Line();
            }

            w.Close("details").Line();
        }

        w.Close("section").Line();
    }

    private static void WriteFinding(HtmlWriter w, AnalysisResult result, Finding f, Dictionary<ResourceRef, string> anchors)
    {
        var level = AnalysisResult.Level(f.Severity);
        w.Open("article", ("class", "finding"), ("data-severity", level), ("data-rule", f.RuleId));
        w.Open("div").Element("span", level, ("class", "badge " + level)).Markup(" ")
            .Element("a", f.RuleId, ("class", "rule-link"), ("href", "#rule-" + f.RuleId)).Markup(" ")
            .Text(result.Title(f.RuleId)).Close("div");
        w.Element("p", f.Message, ("class", "message"));
        w.Open("dl");
        w.Element("dt", "Resource").Open("dd");
        if (f.Resource is not { } resource)
        {
            w.Text("the proxy as a whole");
        }
        else if (anchors.TryGetValue(resource, out var anchor))
        {
            w.Element("a", resource.ToString(), ("class", "resource-link"), ("href", "#" + anchor), ("title", "Show its normalized configuration"));
        }
        else
        {
            w.Element("span", resource.ToString(), ("class", "resource"));
        }

        w.Close("dd");
        w.Element("dt", "Pointer").Open("dd").Element("code", f.Pointer.Value.Length == 0 ? "/" : f.Pointer.Value)
            .Text(f.Source is { } source ? " in " + source : "").Close("dd");
        if (f.Evidence.Count > 0)
        {
            w.Element("dt", "Evidence").Open("dd").Open("ul");
            foreach (var (key, value) in f.Evidence.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                w.Open("li").Element("code", key).Text(": " + value).Close("li");
            }

            w.Close("ul").Close("dd");
        }

        w.Element("dt", "Fix").Element("dd", f.Remediation);
        w.Close("dl").Close("article").Line();
    }

    private static void WriteCompact(HtmlWriter w, Finding f)
    {
        w.Open("article", ("class", "finding compact"), ("data-severity", AnalysisResult.Level(f.Severity)), ("data-rule", f.RuleId))
            .Element("a", f.RuleId, ("class", "rule-link"), ("href", "#rule-" + f.RuleId)).Markup(" ")
            .Element("code", f.Resource?.ToString() ?? "proxy").Markup(" ").Text(f.Message).Close("article").Line();
    }

    private static void WriteConfigs(HtmlWriter w, AnalysisHtmlInput input, Dictionary<ResourceRef, string> anchors)
    {
        if (anchors.Count == 0)
        {
            return;
        }

        w.Open("section", ("id", "configs")).Element("h2", "Configuration of the resources with findings").Line();
        w.Element("p", "Normalized as 'envoylens diff --full' prints it: defaults omitted, keys sorted, secrets redacted.", ("class", "note"));
        foreach (var (resource, anchor) in anchors.OrderBy(a => a.Value.Length).ThenBy(a => a.Value, StringComparer.Ordinal))
        {
            w.Open("details", ("class", "config"), ("id", anchor)).Element("summary", resource.ToString())
                .Element("pre", Cut(input.Configs[resource], resource)).Close("details").Line();
        }

        w.Close("section").Line();
    }

    private static string Cut(string yaml, ResourceRef resource) =>
        yaml.Length <= MaxConfigChars
            ? yaml
            : string.Concat(yaml.AsSpan(0, yaml.LastIndexOf('\n', MaxConfigChars) + 1),
                string.Create(CultureInfo.InvariantCulture, $"# ... cut at {MaxConfigChars} of {yaml.Length} characters; 'envoylens config' with -o yaml prints {resource} in full.\n"));

    private static void WriteRules(HtmlWriter w, AnalysisResult result)
    {
        w.Open("section", ("id", "rules")).Element("h2", "Rule reference").Line();
        var statuses = result.Rules.ToDictionary(r => r.Id, r => r.Status, StringComparer.Ordinal);
        foreach (var d in result.Descriptors.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            w.Open("div", ("class", "rule"), ("id", "rule-" + d.Id));
            w.Element("h3", $"{d.Id} {d.Title}");
            w.Open("p", ("class", "note")).Text(string.Create(CultureInfo.InvariantCulture,
                $"{Area(d.Category)}; default severity {AnalysisResult.Level(d.DefaultSeverity)}; reads {Inputs(d.Inputs)}; this run: {statuses.GetValueOrDefault(d.Id, "not run")}.")).Close("p");
            w.Element("p", d.Rationale);
            w.Open("p").Element("strong", "Fix: ").Text(d.Remediation).Close("p");
            w.Close("div").Line();
        }

        w.Close("section").Line();
    }

    private static string Count(int n, string word) => string.Create(CultureInfo.InvariantCulture, $"{n} {word}{(n == 1 ? "" : "s")}");

    private static string Inputs(RuleInputs inputs) =>
        inputs == RuleInputs.None ? "nothing beyond the model" : string.Join(", ", RuleInputNames.Of(inputs));

    private static string Plural(string level) => level switch
    {
        "error" => "Errors",
        "warning" => "Warnings",
        _ => "Info",
    };

    /// <summary>How an area is named on the page.</summary>
    public static string Area(RuleCategory category) => category switch
    {
        RuleCategory.Engine => "Engine",
        RuleCategory.References => "References",
        RuleCategory.State => "State and control plane",
        RuleCategory.Config => "Configuration",
        RuleCategory.Certificates => "Certificates and TLS identity",
        RuleCategory.Stats => "Stats",
        _ => category.ToString(),
    };
}
