using System.Text;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Analysis;

namespace EnvoyLens.Reporting.Tests.Analysis;

public sealed class AnalysisJsonReaderTests
{
    private static readonly RuleDescriptor Rule = new(
        "EL1002", "Route targets a cluster that does not exist", RuleCategory.References, Severity.Error,
        "Route {route} sends traffic to cluster '{cluster}'", "why", "fix it", RuleInputs.ConfigDump);

    private static Finding Finding(string cluster, ResourceRef? resource) =>
        new(Rule.Id, Severity.Error, resource, JsonPointer.Parse("/configs/2/routes/0"), "m", "fix it",
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["cluster"] = cluster, ["route"] = "r" },
            new SortedDictionary<string, string>(StringComparer.Ordinal));

    [Fact]
    public void Given_a_rendered_analysis_When_read_back_Then_it_yields_the_identity_of_every_finding()
    {
        var findings = new[] { Finding("a", new ResourceRef(ResourceKind.RouteConfig, "web")), Finding("b", null) };
        var json = AnalysisJsonRenderer.Render(new AnalysisResult("capture", findings, [new AnalysisRuleResult(Rule.Id, AnalysisResult.Failed, null, 2)], [Rule]));

        var identities = AnalysisJsonReader.FindingIdentities(Encoding.UTF8.GetBytes(json), "baseline 'x.json'");

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
}
