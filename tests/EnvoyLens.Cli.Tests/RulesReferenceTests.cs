using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary>RULES.md is generated from the descriptors of every rule pack and must stay current; <c>rules ID</c> explains one rule.</summary>
public sealed class RulesReferenceTests
{
    private const string Refresh = "dotnet run --project src/EnvoyLens.Cli -- rules --markdown > RULES.md";

    [Fact]
    public void RULES_md_matches_the_rule_descriptors()
    {
        var generated = Cli.Run("rules", "--markdown").Out;
        var path = Path.Combine(TestPaths.RepoRoot, "RULES.md");
        if (Environment.GetEnvironmentVariable("ENVOYLENS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"RULES.md is missing; create it with: {Refresh}");
        Assert.True(File.ReadAllText(path) == generated, $"RULES.md is stale; refresh it with: {Refresh} (or ENVOYLENS_UPDATE_GOLDEN=1 dotnet test tests/EnvoyLens.Cli.Tests).");
    }

    [Fact]
    public void Every_listed_rule_has_a_section_with_the_fixed_headings_in_RULES_md()
    {
        var markdown = Cli.Run("rules", "--markdown").Out;
        var ids = Cli.Run("rules").Out.TrimEnd('\n').Split('\n').Skip(1).Select(l => l[..6]).ToList();

        Assert.All(ids, id =>
        {
            var start = markdown.IndexOf($"\n## {id}\n", StringComparison.Ordinal);
            Assert.True(start >= 0, $"RULES.md has no section for {id}.");
            var end = markdown.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
            var section = end < 0 ? markdown[start..] : markdown[start..end];
            Assert.Contains("### Why it matters", section, StringComparison.Ordinal);
            Assert.Contains("### How to fix it", section, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Given_a_rule_id_When_rules_runs_Then_inputs_rationale_remediation_and_an_example_are_shown()
    {
        var result = Cli.Run("rules", "EL5001");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("EL5001: Upstream connection failures\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("Reads:             a config dump and /stats (also /clusters when present)\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("\nExample\n  Cluster outbound|9080||api.default.svc.cluster.local failed to connect to its hosts since the proxy started: ", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_rule_that_also_reads_clusters_When_explained_or_listed_as_json_Then_the_optional_input_is_shown()
    {
        var text = Cli.Run("rules", "EL1004");
        var json = Cli.Run("rules", "EL1004", "-o", "json");
        var all = Cli.Run("rules", "-o", "json");

        Assert.Contains("Reads:             a config dump (also /clusters when present)\n", text.Out, StringComparison.Ordinal);
        using var one = System.Text.Json.JsonDocument.Parse(json.Out);
        Assert.Equal("a config dump", one.RootElement.GetProperty("reads").GetString());
        Assert.Equal("/clusters", one.RootElement.GetProperty("optionalReads").GetString());
        using var list = System.Text.Json.JsonDocument.Parse(all.Out);
        var el1001 = list.RootElement.EnumerateArray().Single(r => r.GetProperty("id").GetString() == "EL1001");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, el1001.GetProperty("optionalReads").ValueKind);
    }
}
