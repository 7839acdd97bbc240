using System.Text;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Analysis;

namespace EnvoyLens.Reporting.Tests.Analysis;

public sealed class AnalysisRenderersTests
{
    private static readonly RuleDescriptor Rule = new(
        "EL1002", "Route targets a cluster that does not exist", RuleCategory.References, Severity.Error,
        "Route {route} sends traffic to cluster '{cluster}'", "why", "fix it", RuleInputs.ConfigDump);

    private static Finding Finding(Severity severity = Severity.Error, string message = "m", string cluster = "outbound|9080||a.b.svc", string? source = "config_dump.json") =>
        new(Rule.Id, severity, new ResourceRef(ResourceKind.RouteConfig, "web"), JsonPointer.Parse("/configs/2/routes/0"), message, "fix it",
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["cluster"] = cluster, ["route"] = "r" },
            new SortedDictionary<string, string>(StringComparer.Ordinal)) { Source = source };

    private static AnalysisResult Result(params Finding[] findings) =>
        new("capture", findings, [new AnalysisRuleResult(Rule.Id, findings.Length == 0 ? AnalysisResult.Passed : AnalysisResult.Failed, null, findings.Length)], [Rule]);

    [Fact]
    public void Given_two_findings_that_differ_only_in_severity_and_wording_Then_their_identity_is_the_same()
    {
        Assert.Equal(FindingIdentity.Of(Finding(Severity.Error, "one")), FindingIdentity.Of(Finding(Severity.Info, "two", source: "elsewhere.json")));
        Assert.NotEqual(FindingIdentity.Of(Finding()), FindingIdentity.Of(Finding(cluster: "other")));
        Assert.Equal(32, FindingIdentity.Fingerprint(Finding()).Length);
    }

    [Fact]
    public void Given_a_rendered_analysis_When_read_back_Then_it_yields_the_identity_of_every_finding()
    {
        var findings = new[] { Finding(cluster: "a"), Finding(cluster: "b") };

        var identities = AnalysisJsonReader.FindingIdentities(Encoding.UTF8.GetBytes(AnalysisJsonRenderer.Render(Result(findings))), "baseline 'x.json'");

        Assert.Equal(findings.Select(FindingIdentity.Of).Order(StringComparer.Ordinal), identities.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{\"schema\":\"envoylens-diff/v1\",\"findings\":[]}", "baseline 'x.json' is not an 'envoylens analyze -o json' result (schema envoylens-analysis/v1).")]
    [InlineData("{\"schema\":", "baseline 'x.json' is not an 'envoylens analyze -o json' result: ")]
    public void Given_a_document_that_is_no_analysis_result_When_read_Then_the_error_names_it(string json, string start)
    {
        var e = Assert.Throws<EnvoyLensException>(() => AnalysisJsonReader.FindingIdentities(Encoding.UTF8.GetBytes(json), "baseline 'x.json'"));

        Assert.StartsWith(start, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("config_dump.json", "config_dump.json")]
    [InlineData("bundle dir/stats|x.txt", "bundle%20dir/stats%7Cx.txt")]
    [InlineData("bundle/clusters.json", "bundle/clusters.json")]
    public void Sources_become_URI_references(string source, string expected)
    {
        Assert.Equal(expected, SarifRenderer.ArtifactUri(source));
    }

    [Fact]
    public void An_absolute_path_becomes_a_file_URI()
    {
        var path = Path.Combine(Path.GetTempPath(), "dump.json");

        Assert.StartsWith("file:///", SarifRenderer.ArtifactUri(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Severities_map_to_SARIF_levels_and_titles_to_rule_names()
    {
        Assert.Equal(["error", "warning", "note"], new[] { Severity.Error, Severity.Warning, Severity.Info }.Select(SarifRenderer.Level));
        Assert.Equal("RouteTargetsAClusterThatDoesNotExist", SarifRenderer.RuleName(Rule));
    }

    [Fact]
    public void Given_one_finding_When_rendered_as_sarif_Then_the_result_names_rule_index_level_and_both_locations()
    {
        using var doc = JsonDocument.Parse(SarifRenderer.Render(Result(Finding(Severity.Info)), "1.2.3"));

        var run = doc.RootElement.GetProperty("runs")[0];
        Assert.Equal("1.2.3", run.GetProperty("tool").GetProperty("driver").GetProperty("version").GetString());
        var result = run.GetProperty("results")[0];
        Assert.Equal(0, result.GetProperty("ruleIndex").GetInt32());
        Assert.Equal("note", result.GetProperty("level").GetString());
        var location = result.GetProperty("locations")[0];
        Assert.Equal("config_dump.json", location.GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal("/configs/2/routes/0", location.GetProperty("logicalLocations")[0].GetProperty("fullyQualifiedName").GetString());
        Assert.Equal("outbound|9080||a.b.svc", result.GetProperty("properties").GetProperty("arguments").GetProperty("cluster").GetString());
    }

    [Fact]
    public void Given_a_baseline_When_summarised_Then_the_summary_speaks_of_new_findings_and_the_known_ones()
    {
        var result = Result(Finding()) with { Baseline = "before.json", BaselineSuppressed = 2 };

        Assert.Equal(
            "1 new finding(s): 1 error, 0 warning, 0 info; 2 known finding(s) from the baseline not shown (1 rules: 0 passed, 1 failed, 0 not applicable, 0 not run, 0 disabled, 0 internal error).",
            AnalysisTextRenderer.Summary(result));
        using var doc = JsonDocument.Parse(AnalysisJsonRenderer.Render(result));
        Assert.Equal(2, doc.RootElement.GetProperty("summary").GetProperty("baseline").GetProperty("suppressed").GetInt32());
    }
}
