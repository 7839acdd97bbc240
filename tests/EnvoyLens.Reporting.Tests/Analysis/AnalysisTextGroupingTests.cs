using EnvoyLens.Core;
using EnvoyLens.Reporting.Analysis;

namespace EnvoyLens.Reporting.Tests.Analysis;

/// <summary>The text of <c>analyze</c> prints what one fix would change once; verbose output prints everything.</summary>
public sealed class AnalysisTextGroupingTests
{
    private static readonly RuleDescriptor Breakers = new()
    {
        Id = "EL3104",
        Title = "Cluster keeps default circuit breakers",
        Category = RuleCategory.Config,
        DefaultSeverity = Severity.Warning,
        MessageTemplate = "Cluster {cluster} keeps the default circuit breakers",
        Rationale = "why",
        Remediation = "set them",
        Inputs = RuleInputs.ConfigDump,
    };

    private static readonly RuleDescriptor Timeout = new()
    {
        Id = "EL3006",
        Title = "Route timeout disabled",
        Category = RuleCategory.Config,
        DefaultSeverity = Severity.Info,
        MessageTemplate = "Route {route} has its timeout disabled",
        Rationale = "why",
        Remediation = "set a timeout",
        Inputs = RuleInputs.ConfigDump,
    };

    private static readonly RuleDescriptor Stats = new()
    {
        Id = "EL5001",
        Title = "Upstream connect failures",
        Category = RuleCategory.Stats,
        DefaultSeverity = Severity.Warning,
        MessageTemplate = "Cluster {cluster} failed to connect",
        Rationale = "why",
        Remediation = "look",
        Inputs = RuleInputs.ConfigDump | RuleInputs.Stats,
    };

    private static readonly RuleDescriptor Version = new()
    {
        Id = "EL2006",
        Title = "Proxy version skew",
        Category = RuleCategory.State,
        DefaultSeverity = Severity.Warning,
        MessageTemplate = "Proxy runs {version}",
        Rationale = "why",
        Remediation = "look",
        Inputs = RuleInputs.ConfigDump | RuleInputs.ServerInfo,
    };

    private static Finding Make(RuleDescriptor rule, ResourceKind kind, string name, int index, params (string Key, string Value)[] evidence) =>
        new(rule.Id, rule.DefaultSeverity, new ResourceRef(kind, name), JsonPointer.Parse($"/configs/1/items/{index}"), $"{rule.Id} about {name}", rule.Remediation,
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["name"] = name },
            new SortedDictionary<string, string>(evidence.ToDictionary(e => e.Key, e => e.Value), StringComparer.Ordinal)) { Source = "config_dump.json" };

    private static AnalysisResult Result(IEnumerable<Finding> findings, params AnalysisRuleResult[] extra)
    {
        var list = findings.OrderBy(f => f, Finding.ReportOrder).ToList();
        var rules = new[] { Breakers, Timeout }.Select(d => new AnalysisRuleResult(d.Id, AnalysisResult.Failed, null, list.Count(f => f.RuleId == d.Id))).Concat(extra).ToList();
        return new AnalysisResult("capture", list, rules, [Breakers, Timeout, Stats, Version]) { Available = RuleInputs.ConfigDump };
    }

    private static IEnumerable<Finding> ThreeSubsetsOfOneDestinationRule() =>
        new[] { "v1", "v2", "v3" }.Select((subset, i) => Make(Breakers, ResourceKind.Cluster, $"outbound|9080|{subset}|reviews.default.svc.cluster.local", i,
            ("istio_resource", "DestinationRule default/reviews"), ("subset", subset)));

    [Fact]
    public void Given_three_findings_behind_one_DestinationRule_When_rendered_Then_they_print_once_with_the_count_and_the_resources()
    {
        var text = AnalysisTextRenderer.Render(Result(ThreeSubsetsOfOneDestinationRule()));

        Assert.StartsWith(
            "WARNING (3)\n" +
            "  EL3104  DestinationRule default/reviews: 3 findings: Cluster outbound|9080|v1|reviews.default.svc.cluster.local, " +
            "Cluster outbound|9080|v2|reviews.default.svc.cluster.local, Cluster outbound|9080|v3|reviews.default.svc.cluster.local\n" +
            "    first: EL3104 about outbound|9080|v1|reviews.default.svc.cluster.local\n" +
            "    at: config_dump.json#/configs/1/items/0\n" +
            "    evidence: istio_resource=DestinationRule default/reviews, subset=v1\n" +
            "    fix: set them\n\n",
            text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Given_two_findings_of_different_Istio_resources_When_rendered_Then_each_prints_alone()
    {
        var findings = new[]
        {
            Make(Breakers, ResourceKind.Cluster, "outbound|9080||ratings.default.svc.cluster.local", 0, ("istio_resource", "DestinationRule default/ratings")),
            Make(Breakers, ResourceKind.Cluster, "outbound|9080||details.default.svc.cluster.local", 1, ("istio_resource", "DestinationRule default/details")),
        };

        var text = AnalysisTextRenderer.Render(Result(findings));

        Assert.Contains("  EL3104  Cluster outbound|9080||details.default.svc.cluster.local\n    EL3104 about outbound|9080||details", text, StringComparison.Ordinal);
        Assert.Contains("  EL3104  Cluster outbound|9080||ratings.default.svc.cluster.local\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("findings:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_many_findings_of_one_rule_without_a_shared_source_When_rendered_Then_one_entry_names_the_first_resources_and_the_rest_as_a_count()
    {
        var findings = Enumerable.Range(0, 169).Select(i => Make(Timeout, ResourceKind.RouteConfig, $"route-{i % 12:D2}", i));

        var text = AnalysisTextRenderer.Render(Result(findings));

        var lines = text.Split('\n');
        Assert.Equal("INFO (169)", lines[0]);
        Assert.Equal("  EL3006  169 findings in 12 resources: RouteConfig route-00, RouteConfig route-01, RouteConfig route-02 and 9 more", lines[1]);
        Assert.Equal("    first: EL3006 about route-00", lines[2]);
        Assert.Single(lines, l => l.StartsWith("  EL3006", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_three_findings_of_one_rule_without_a_shared_source_When_rendered_Then_each_prints_alone()
    {
        var findings = Enumerable.Range(0, AnalysisTextRenderer.RepeatThreshold).Select(i => Make(Timeout, ResourceKind.RouteConfig, $"route-{i}", i));

        var text = AnalysisTextRenderer.Render(Result(findings));

        Assert.Equal(3, text.Split('\n').Count(l => l.StartsWith("  EL3006  RouteConfig route-", StringComparison.Ordinal)));
    }

    [Fact]
    public void Given_verbose_When_rendered_Then_every_finding_prints_with_all_of_its_evidence()
    {
        var longValue = new string('x', 200);
        var findings = ThreeSubsetsOfOneDestinationRule().Select(f => f with
        {
            Evidence = new SortedDictionary<string, string>(f.Evidence.ToDictionary(), StringComparer.Ordinal) { ["long"] = longValue },
        });

        var text = AnalysisTextRenderer.Render(Result(findings), verbose: true);

        Assert.Equal(3, text.Split('\n').Count(l => l.StartsWith("  EL3104  Cluster outbound|9080|", StringComparison.Ordinal)));
        Assert.Equal(3, text.Split('\n').Count(l => l.Contains("long=" + longValue, StringComparison.Ordinal)));
    }

    [Fact]
    public void Given_long_evidence_When_rendered_Then_it_fits_one_short_line_and_says_what_was_left_out()
    {
        var evidence = Enumerable.Range(0, 8).Select(i => ($"key{i}", new string((char)('a' + i), 30))).Append(("huge", new string('z', 500))).ToArray();
        var text = AnalysisTextRenderer.Render(Result([Make(Timeout, ResourceKind.RouteConfig, "web", 0, evidence)]));

        var line = text.Split('\n').Single(l => l.StartsWith("    evidence: ", StringComparison.Ordinal));
        Assert.True(line.Length <= AnalysisTextRenderer.EvidenceWidth, line);
        Assert.StartsWith("    evidence: huge=zzzz", line, StringComparison.Ordinal);
        Assert.Contains("...", line, StringComparison.Ordinal);
        Assert.Matches(@" \(\+\d more, -v\)$", line);
    }

    [Fact]
    public void Given_rules_that_did_not_run_When_rendered_Then_they_collapse_to_one_line_naming_what_they_need()
    {
        var notRun = new[]
        {
            new AnalysisRuleResult(Stats.Id, AnalysisResult.NotRun, "needs /stats, which the capture does not hold", 0),
            new AnalysisRuleResult(Version.Id, AnalysisResult.NotRun, "needs /server_info, which the capture does not hold", 0),
        };

        var text = AnalysisTextRenderer.Render(Result([], notRun));
        var verbose = AnalysisTextRenderer.Render(Result([], notRun), verbose: true);

        Assert.Contains("\nNOT RUN: 2 rules need /stats, /server_info: capture with `envoylens snapshot` to run them (-v lists them).\n", "\n" + text, StringComparison.Ordinal);
        Assert.DoesNotContain("EL5001", text, StringComparison.Ordinal);
        Assert.Contains("NOT RUN\n  EL5001  Upstream connect failures: needs /stats, which the capture does not hold\n  EL2006  Proxy version skew: needs /server_info", verbose, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_grouped_text_When_the_same_result_is_rendered_as_json_Then_json_keeps_every_finding()
    {
        var result = Result(ThreeSubsetsOfOneDestinationRule());

        using var doc = System.Text.Json.JsonDocument.Parse(AnalysisJsonRenderer.Render(result));

        Assert.Equal(3, doc.RootElement.GetProperty("findings").GetArrayLength());
    }
}
