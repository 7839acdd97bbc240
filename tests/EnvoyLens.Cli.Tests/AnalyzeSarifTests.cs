using System.Text.Json;
using EnvoyLens.TestKit;
using NJsonSchema;

namespace EnvoyLens.Cli.Tests;

/// <summary><c>envoylens analyze -o sarif</c>: valid SARIF 2.1.0, rule metadata from the descriptors, a rule id and a location on every result.</summary>
public sealed class AnalyzeSarifTests
{
    private static async Task<JsonSchema> SarifSchema()
    {
        var schemas = TestPaths.Schemas;
        Skip.If(schemas is null, "The shared schemas (../shared/schemas) are not present.");
        return await JsonSchema.FromFileAsync(Path.Combine(schemas, "sarif-schema-2.1.0.json"));
    }

    public static TheoryData<string> Captures() => new(
        AnalyzeTestKit.RuleDump("EL1002", "fail"),
        AnalyzeTestKit.RuleDump("EL3006", "fail"),
        TestPaths.Fixture("snapshots", "reviews"));

    [SkippableTheory]
    [MemberData(nameof(Captures))]
    public async Task Given_a_capture_When_analyzed_as_sarif_Then_the_output_validates_against_the_SARIF_2_1_0_schema(string capture)
    {
        var schema = await SarifSchema();

        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", capture, "-o", "sarif");

        Assert.Equal("", result.Err);
        var errors = schema.Validate(result.Out);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
        using var doc = JsonDocument.Parse(result.Out);
        var run = doc.RootElement.GetProperty("runs")[0];
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        Assert.All(results, r =>
        {
            Assert.False(string.IsNullOrEmpty(r.GetProperty("ruleId").GetString()));
            Assert.True(r.GetProperty("locations").GetArrayLength() >= 1);
        });
    }

    [Fact]
    public void Given_findings_When_rendered_as_sarif_Then_rules_come_from_the_descriptors_and_ruleIndex_points_at_the_results_rule()
    {
        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", AnalyzeTestKit.RuleDump("EL1002", "fail"), "-o", "sarif");

        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("2.1.0", doc.RootElement.GetProperty("version").GetString());
        var run = doc.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(Cli.Run("rules").Out.TrimEnd('\n').Split('\n').Length - 1, rules.Count);
        var el1002 = rules.Single(r => r.GetProperty("id").GetString() == "EL1002");
        Assert.Equal("RouteTargetsAClusterThatDoesNotExist", el1002.GetProperty("name").GetString());
        Assert.Equal("error", el1002.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        Assert.Equal("references", el1002.GetProperty("properties").GetProperty("category").GetString());
        Assert.False(string.IsNullOrEmpty(el1002.GetProperty("fullDescription").GetProperty("text").GetString()));
        Assert.False(string.IsNullOrEmpty(el1002.GetProperty("help").GetProperty("text").GetString()));

        var finding = Assert.Single(run.GetProperty("results").EnumerateArray());
        Assert.Equal("EL1002", finding.GetProperty("ruleId").GetString());
        Assert.Equal("EL1002", rules[finding.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
        var logical = finding.GetProperty("locations")[0].GetProperty("logicalLocations")[0];
        Assert.Equal("web", logical.GetProperty("name").GetString());
        Assert.Equal("RouteConfig", logical.GetProperty("kind").GetString());
        Assert.Equal("/configs/2/dynamic_route_configs/0/route_config/virtual_hosts/0/routes/0", logical.GetProperty("fullyQualifiedName").GetString());
        Assert.EndsWith("/EL1002-route-missing-cluster/fail/config_dump.json",
            finding.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_sarif_root_When_rendered_Then_the_uri_is_relative_to_it_and_the_region_is_where_the_pointers_value_starts()
    {
        var dump = AnalyzeTestKit.RuleDump("EL1002", "fail");

        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", dump, "-o", "sarif", "--sarif-root", TestPaths.RepoRoot);

        using var doc = JsonDocument.Parse(result.Out);
        var physical = Assert.Single(doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray())
            .GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("fixtures/rules/EL1002-route-missing-cluster/fail/config_dump.json", physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
        var region = physical.GetProperty("region");
        var (line, column) = (region.GetProperty("startLine").GetInt32(), region.GetProperty("startColumn").GetInt32());

        // The value read from that line and column on is the value the pointer names in the parsed document.
        var lines = File.ReadAllLines(dump);
        var rest = string.Join('\n', new[] { lines[line - 1][(column - 1)..] }.Concat(lines.Skip(line)));
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(rest));
        using var atRegion = JsonDocument.ParseValue(ref reader);
        using var whole = JsonDocument.Parse(File.ReadAllBytes(dump));
        var expected = whole.RootElement;
        foreach (var token in "/configs/2/dynamic_route_configs/0/route_config/virtual_hosts/0/routes/0".Split('/').Skip(1))
        {
            expected = expected.ValueKind == JsonValueKind.Array ? expected[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)] : expected.GetProperty(token);
        }

        Assert.Equal(JsonValueKind.Object, expected.ValueKind);
        Assert.True(JsonElement.DeepEquals(expected, atRegion.RootElement), atRegion.RootElement.GetRawText());
    }

    [Fact]
    public void Given_a_source_outside_the_working_directory_When_rendered_Then_the_uri_is_an_absolute_file_uri()
    {
        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", AnalyzeTestKit.RuleDump("EL1002", "fail"), "-o", "sarif", "--sarif-root", Path.Combine(TestPaths.RepoRoot, "src"));

        using var doc = JsonDocument.Parse(result.Out);
        var uri = doc.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("locations")[0]
            .GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString();
        Assert.Equal(new Uri(AnalyzeTestKit.RuleDump("EL1002", "fail")).AbsoluteUri, uri);
    }

    [Fact]
    public void Given_a_sarif_root_that_is_not_a_directory_When_analyzed_Then_exit_2_with_one_sentence()
    {
        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", AnalyzeTestKit.RuleDump("EL1002", "fail"), "-o", "sarif", "--sarif-root", "no-such-dir");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: --sarif-root 'no-such-dir' is not a directory.\n", result.Err);
    }

    [Fact]
    public void Given_an_info_finding_When_rendered_as_sarif_Then_its_level_is_note()
    {
        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", AnalyzeTestKit.RuleDump("EL3006", "fail"), "-o", "sarif", "--fail-on", "never");

        using var doc = JsonDocument.Parse(result.Out);
        var finding = Assert.Single(doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
        Assert.Equal("note", finding.GetProperty("level").GetString());
    }

    /// <summary>Refresh with <c>ENVOYLENS_UPDATE_GOLDEN=1 dotnet test tests/EnvoyLens.Cli.Tests</c>.</summary>
    [Fact]
    public void Sarif_output_of_the_EL1002_fail_fixture_matches_its_golden_file()
    {
        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", AnalyzeTestKit.RuleDump("EL1002", "fail"), "-o", "sarif", "--sarif-root", TestPaths.RepoRoot);
        var text = result.Out.Replace(new Uri(TestPaths.RepoRoot).AbsoluteUri.TrimEnd('/'), "file:///REPO", StringComparison.Ordinal)
            .Replace(TestPaths.RepoRoot, "REPO", StringComparison.Ordinal);
        var golden = Path.Combine(TestPaths.RepoRoot, "tests", "EnvoyLens.Cli.Tests", "Golden", "analyze-EL1002-fail.sarif");
        if (Environment.GetEnvironmentVariable("ENVOYLENS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, text);
        }

        Assert.True(File.Exists(golden), "No golden file analyze-EL1002-fail.sarif; run with ENVOYLENS_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(golden), text);
    }
}
