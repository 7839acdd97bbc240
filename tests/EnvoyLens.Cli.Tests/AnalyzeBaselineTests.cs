namespace EnvoyLens.Cli.Tests;

/// <summary><c>envoylens analyze --baseline FILE</c>: only findings not in a previous JSON result are reported.</summary>
public sealed class AnalyzeBaselineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-baseline-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Baseline(string dump, params string[] options)
    {
        var path = Path.Combine(_dir, "baseline.json");
        File.WriteAllText(path, Cli.RunAt(AnalyzeTestKit.FixtureNow, ["analyze", dump, "-o", "json", "--fail-on", "never", .. options]).Out);
        return path;
    }

    [Fact]
    public void Given_a_baseline_holding_the_finding_When_analyzed_again_Then_nothing_is_reported_and_exit_is_0()
    {
        var dump = AnalyzeTestKit.RuleDump("EL1002", "fail");

        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", dump, "--baseline", Baseline(dump));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("No new findings; 1 known finding(s) from the baseline not shown (", result.Out.TrimEnd('\n').Split('\n')[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_baseline_of_the_clean_capture_When_the_broken_one_is_analyzed_Then_the_new_finding_is_reported()
    {
        var baseline = Baseline(AnalyzeTestKit.RuleDump("EL1002", "pass"));

        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", AnalyzeTestKit.RuleDump("EL1002", "fail"), "--baseline", baseline, "-o", "json");

        Assert.Equal(1, result.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(result.Out);
        Assert.Equal("EL1002", Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray()).GetProperty("ruleId").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("summary").GetProperty("baseline").GetProperty("suppressed").GetInt32());
    }

    [Fact]
    public void Given_a_baseline_made_at_another_severity_When_analyzed_Then_the_finding_is_still_known()
    {
        var dump = AnalyzeTestKit.RuleDump("EL1002", "fail");
        var baseline = Baseline(dump, "--severity", "EL1002=info");

        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", dump, "--baseline", baseline);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("EL1002  RouteConfig", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all", "is not an 'envoylens analyze -o json' result: ")]
    [InlineData("{\"schema\": \"something-else\", \"findings\": []}", "is not an 'envoylens analyze -o json' result (schema envoylens-analysis/v1).")]
    public void Given_an_unreadable_baseline_When_analyzed_Then_exit_2_with_one_sentence_naming_it(string content, string expected)
    {
        var path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, content);

        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", AnalyzeTestKit.RuleDump("EL1002", "fail"), "--baseline", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith($"envoylens: baseline '{path}' ", result.Err, StringComparison.Ordinal);
        Assert.Contains(expected, result.Err, StringComparison.Ordinal);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Given_stats_before_a_capture_without_stats_When_analyzed_Then_exit_2_with_one_sentence()
    {
        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", AnalyzeTestKit.RuleDump("EL1002", "fail"), "--stats-before", AnalyzeTestKit.RuleDump("EL1002", "pass"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("envoylens: --stats-before needs stats in the capture being analyzed", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_stats_before_without_stats_output_When_analyzed_Then_exit_2_naming_it()
    {
        var bundle = EnvoyLens.TestKit.TestPaths.Fixture("snapshots", "reviews");
        var dump = AnalyzeTestKit.RuleDump("EL1002", "pass");

        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", bundle, "--stats-before", dump);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"envoylens: --stats-before '{dump}' holds no /stats output.\n", result.Err);
    }
}
