using System.Text.Json;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary><c>envoylens analyze</c> and <c>envoylens rules</c>: exit codes, output forms, rule selection, errors.</summary>
public sealed class AnalyzeCommandTests
{
    private static readonly TimeProvider FixtureNow = new Clock(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));

    private static string RuleDump(string folder, string variant) =>
        Directory.GetFiles(Directory.GetDirectories(TestPaths.Fixture("rules"), folder + "-*").Single(), "config_dump.json", new EnumerationOptions { RecurseSubdirectories = true })
            .Single(f => Path.GetFileName(Path.GetDirectoryName(f)) == variant);

    [Fact]
    public void Given_a_clean_dump_When_analyzed_Then_exit_0_and_the_summary_says_no_findings()
    {
        var result = Cli.RunAt(FixtureNow, "analyze", RuleDump("EL3001", "pass"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Err);
        Assert.StartsWith("No findings (", result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_error_finding_When_analyzed_Then_exit_1_and_text_groups_it_under_ERROR_with_its_fix()
    {
        var result = Cli.RunAt(FixtureNow, "analyze", RuleDump("EL3001", "fail"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("ERROR (1)\n  EL3001  Listener http_8080_copy\n    Listener http_8080_copy binds 0.0.0.0:8080, which listener http_8080 already binds\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("    fix: ", result.Out, StringComparison.Ordinal);
        Assert.Contains("\nNOT RUN: 14 rules need /stats, /server_info, /certs, the control plane's view (snapshot --control-plane): capture with `envoylens snapshot` (with --control-plane or --istiod) to run them (-v lists them).\n", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("  EL2003", result.Out, StringComparison.Ordinal);
        Assert.EndsWith(
            "\n1 finding(s): 1 error, 0 warning, 0 info (56 rules: 12 passed, 1 failed, 29 not applicable, 14 not run, 0 disabled, 0 internal error).\n",
            result.Out,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Given_verbose_When_analyzed_Then_every_rule_that_did_not_run_is_listed_with_its_reason()
    {
        var result = Cli.RunAt(FixtureNow, "analyze", RuleDump("EL3001", "fail"), "-v");

        Assert.Contains("NOT RUN\n  EL2003  ", result.Out, StringComparison.Ordinal);
        Assert.Equal(14, result.Out.Split('\n').Count(l => l.EndsWith(", which the capture does not hold", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public void Given_a_corpus_dump_with_many_findings_of_one_rule_When_analyzed_as_text_Then_they_print_as_one_entry_and_json_keeps_them_all()
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus (../shared/corpus) is not present.");
        var (dump, count) = Directory.GetFiles(TestPaths.CorpusFile("config_dump")).Order(StringComparer.Ordinal)
            .Select(d => (d, Count: JsonDocument.Parse(Cli.RunAt(FixtureNow, "analyze", d, "-o", "json", "--fail-on", "never").Out).RootElement
                .GetProperty("findings").EnumerateArray().Count(f => f.GetProperty("ruleId").GetString() == "EL3006")))
            .MaxBy(x => x.Count);
        Assert.True(count > EnvoyLens.Reporting.Analysis.AnalysisTextRenderer.RepeatThreshold, $"{dump}: {count}");

        var text = Cli.RunAt(FixtureNow, "analyze", dump, "--fail-on", "never").Out;
        var verbose = Cli.RunAt(FixtureNow, "analyze", dump, "--fail-on", "never", "-v").Out;

        // Each entry is one finding or "N findings..."; together they are every finding, in far fewer lines.
        var entries = text.Split('\n').Where(l => l.StartsWith("  EL3006  ", StringComparison.Ordinal)).ToList();
        var counted = entries.Sum(e => System.Text.RegularExpressions.Regex.Match(e, @"^  EL3006  (?:.*?: )?(\d+) findings") is { Success: true } m
            ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : 1);
        Assert.Equal(count, counted);
        Assert.True(entries.Count <= 4, string.Join('\n', entries));
        Assert.Equal(count, verbose.Split('\n').Count(l => l.StartsWith("  EL3006  ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(new string[0], 0)]
    [InlineData(new[] { "--fail-on", "warning" }, 1)]
    [InlineData(new[] { "--fail-on", "info" }, 1)]
    [InlineData(new[] { "--severity", "EL3005=error" }, 1)]
    [InlineData(new[] { "--severity", "EL3005=error", "--fail-on", "never" }, 0)]
    public void Given_a_warning_finding_When_fail_on_and_severity_vary_Then_the_exit_code_follows(string[] options, int expected)
    {
        // EL3005 (shadowed route) reports at warning by default.
        var result = Cli.RunAt(FixtureNow, ["analyze", RuleDump("EL3005", "fail"), .. options]);

        Assert.Equal(expected, result.ExitCode);
        Assert.Contains("EL3005  RouteConfig web", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_disabled_rule_When_analyzed_Then_its_finding_is_gone_and_exit_is_0()
    {
        var result = Cli.RunAt(FixtureNow, "analyze", RuleDump("EL3001", "fail"), "--disable", "el3001");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("EL3001  Listener", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_json_output_When_analyzed_Then_the_documented_schema_carries_rule_resource_pointer_and_arguments()
    {
        var result = Cli.RunAt(FixtureNow, "analyze", RuleDump("EL1002", "fail"), "-o", "json");

        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("envoylens-analysis/v1", root.GetProperty("schema").GetString());
        Assert.Equal(1, root.GetProperty("summary").GetProperty("error").GetInt32());
        var finding = root.GetProperty("findings")[0];
        Assert.Equal("EL1002", finding.GetProperty("ruleId").GetString());
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal("RouteConfig", finding.GetProperty("resource").GetProperty("kind").GetString());
        Assert.Equal("web", finding.GetProperty("resource").GetProperty("name").GetString());
        Assert.Equal("/configs/2/dynamic_route_configs/0/route_config/virtual_hosts/0/routes/0", finding.GetProperty("pointer").GetString());
        Assert.Equal("api-canary", finding.GetProperty("arguments").GetProperty("cluster").GetString());
        Assert.Equal(56, root.GetProperty("rules").GetArrayLength()); // 36 built-in rules, 11 certificate rules and 9 Linkerd rules
        Assert.Contains(root.GetProperty("rules").EnumerateArray(), r => r.GetProperty("id").GetString() == "EL2004" && r.GetProperty("status").GetString() == "notRun");
    }

    [Theory]
    [InlineData(new[] { "--disable", "EL9999" }, "envoylens: --disable names 'EL9999', which is not a rule id; run 'envoylens rules' to list the rules.\n")]
    [InlineData(new[] { "--severity", "EL1001" }, "envoylens: --severity 'EL1001' must have the form ID=LEVEL, e.g. EL1004=error.\n")]
    [InlineData(new[] { "--fail-on", "sometimes" }, "envoylens: --fail-on must be error, warning, info or never, not 'sometimes'.\n")]
    [InlineData(new[] { "-o", "xml" }, "envoylens: --output must be text, json, sarif or html, not 'xml'.\n")]
    [InlineData(new[] { "--baseline", "no-such-baseline.json" }, "envoylens: cannot read baseline 'no-such-baseline.json': no such file.\n")]
    public void Given_a_misused_option_When_analyzed_Then_exit_2_with_one_sentence(string[] options, string expected)
    {
        var result = Cli.RunAt(FixtureNow, ["analyze", RuleDump("EL3001", "pass"), .. options]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, result.Err);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void Given_a_missing_file_When_analyzed_Then_exit_2()
    {
        var result = Cli.Run("analyze", Path.Combine(TestPaths.Fixtures, "no-such-dump.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("envoylens: cannot read '", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_reviews_bundle_When_analyzed_Then_the_ejected_ratings_host_is_reported_and_no_rule_failed_internally()
    {
        var result = Cli.RunAt(FixtureNow, "analyze", TestPaths.Fixture("snapshots", "reviews"), "-o", "json");

        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(0, doc.RootElement.GetProperty("summary").GetProperty("rules").GetProperty("internalError").GetInt32());
        Assert.Contains(doc.RootElement.GetProperty("findings").EnumerateArray(), f =>
            f.GetProperty("ruleId").GetString() == "EL1005" && f.GetProperty("resource").GetProperty("name").GetString() == "outbound|9080|v2|ratings.default.svc.cluster.local");
    }

    [Fact]
    public void Given_the_reviews_bundle_When_analyzed_Then_the_seeded_egress_credential_problems_are_reported()
    {
        var result = Cli.RunAt(FixtureNow, "analyze", TestPaths.Fixture("snapshots", "reviews"), "-o", "json");

        using var doc = JsonDocument.Parse(result.Out);
        var certificateFindings = doc.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("ruleId").GetString()!.StartsWith("EL4", StringComparison.Ordinal))
            .Select(f => (Rule: f.GetProperty("ruleId").GetString(), Resource: f.GetProperty("resource").GetProperty("name").GetString(), f.GetProperty("message").GetString()))
            .ToList();
        Assert.Equal([("EL4003", "kubernetes://egress-cert"), ("EL4004", "kubernetes://egress-cert")], certificateFindings.Select(f => (f.Rule, f.Resource)));
        Assert.Contains("has used 89% of its lifetime (41 days left)", certificateFindings[0].Item3, StringComparison.Ordinal);
        Assert.Contains("'O=Example Partner Inc,CN=Example Partner Issuing CA G2'", certificateFindings[1].Item3, StringComparison.Ordinal);
        Assert.Contains("expires at 2027-01-05T00:00:00Z, in 45 days (under 60 days)", certificateFindings[1].Item3, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Given_every_corpus_config_dump_When_analyzed_Then_none_has_an_internal_error_finding()
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus (../shared/corpus) is not present.");
        foreach (var dump in Directory.GetFiles(TestPaths.CorpusFile("config_dump")).Order(StringComparer.Ordinal))
        {
            var result = Cli.RunAt(FixtureNow, "analyze", dump, "-o", "json", "--fail-on", "never");

            Assert.True(result.ExitCode == 0, $"{Path.GetFileName(dump)}: exit {result.ExitCode}: {result.Err}");
            using var doc = JsonDocument.Parse(result.Out);
            Assert.DoesNotContain(doc.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "EL0001");
        }
    }

    [Fact]
    public void Given_no_id_When_rules_runs_Then_every_rule_is_listed_by_id()
    {
        var result = Cli.Run("rules");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.TrimEnd('\n').Split('\n');
        Assert.StartsWith("ID      SEVERITY  CATEGORY", lines[0], StringComparison.Ordinal);
        Assert.Equal(57, lines.Length - 1);
        Assert.StartsWith("EL1001  error     references    HCM names a route configuration that does not exist", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_id_When_rules_runs_Then_the_rule_is_explained()
    {
        var result = Cli.Run("rules", "el2004");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("EL2004: Not connected to the control plane\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("Reads:             /stats\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("Why it matters\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("How to fix it\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_unknown_id_When_rules_runs_Then_exit_2_with_one_sentence()
    {
        var result = Cli.Run("rules", "EL9999");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: there is no rule 'EL9999'; run 'envoylens rules' to list the rules.\n", result.Err);
    }

    [Theory]
    [InlineData("analyze")]
    [InlineData("rules")]
    public void Help_text_matches_its_golden_file(string command)
    {
        var result = Cli.Run(command, "--help");
        var golden = Path.Combine(TestPaths.RepoRoot, "tests", "EnvoyLens.Cli.Tests", "Golden", $"envoylens-{command}.txt");
        if (Environment.GetEnvironmentVariable("ENVOYLENS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, result.Out);
        }

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(golden), $"No golden file envoylens-{command}.txt; run with ENVOYLENS_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(golden), result.Out);
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
