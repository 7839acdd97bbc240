using System.Text.Json;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary><c>envoylens diff</c> end to end on the authored pairs under fixtures/diff: output forms, exit codes, errors, help.</summary>
public sealed class DiffCommandTests
{
    private static string Side(string fixture, string side) => TestPaths.Fixture("diff", fixture, side + ".json");

    private static CliResult Diff(string fixture, params string[] options) =>
        Cli.Run(["diff", Side(fixture, "before"), Side(fixture, "after"), .. options]);

    [Fact]
    public void Given_a_changed_cluster_When_diffed_as_text_Then_the_output_is_the_fixture_golden_below_the_origin_lines()
    {
        var result = Diff("outlier-lost");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Err);
        var lines = result.Out.Split('\n');
        Assert.Equal("before: " + Side("outlier-lost", "before"), lines[0]);
        Assert.Equal("after:  " + Side("outlier-lost", "after"), lines[1]);
        var golden = File.ReadAllText(TestPaths.Fixture("diff", "outlier-lost", "expected.txt")).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(string.Join('\n', golden.Split('\n').Skip(2)), string.Join('\n', lines.Skip(2)));
    }

    [Theory]
    [InlineData("outlier-lost", 1)]
    [InlineData("rbac-gained", 1)]
    [InlineData("secret-rotated", 1)]
    [InlineData("noise-only", 0)]
    public void Given_exit_code_When_diffed_Then_0_means_equal_and_1_means_different(string fixture, int expected)
    {
        var result = Diff(fixture, "--exit-code");

        Assert.Equal(expected, result.ExitCode);
        Assert.Equal("", result.Err);
        Assert.Equal(expected == 0, result.Out.Contains("No differences.", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_json_output_When_a_weighted_route_shifts_Then_the_change_set_names_kind_name_path_old_and_new()
    {
        var result = Diff("weighted-shift", "-o", "json", "--exit-code");

        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("envoylens-diff/v1", root.GetProperty("schema").GetString());
        Assert.False(root.GetProperty("equal").GetBoolean());
        Assert.Equal(Side("weighted-shift", "before"), root.GetProperty("before").GetString());
        var changes = root.GetProperty("changes").EnumerateArray().ToList();
        var weight = changes.Single(c => c.GetProperty("change").GetString() == "changed");
        Assert.Equal("Route", weight.GetProperty("kind").GetString());
        Assert.Equal("/route/weighted_clusters/clusters/outbound|9080|v1|reviews.default.svc.cluster.local/weight", weight.GetProperty("path").GetString());
        Assert.Equal((100, 80), (weight.GetProperty("old").GetInt32(), weight.GetProperty("new").GetInt32()));
        Assert.Contains(root.GetProperty("summaries").EnumerateArray(), s => s.GetString()!.Contains("20% to subset v3", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_equal_captures_When_diffed_as_json_Then_equal_is_true_and_there_are_no_changes()
    {
        var result = Diff("noise-only", "-o", "json", "--exit-code");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.True(doc.RootElement.GetProperty("equal").GetBoolean());
        Assert.Equal(0, doc.RootElement.GetProperty("changes").GetArrayLength());
    }

    [Fact]
    public void Given_full_When_diffed_Then_one_resource_is_shown_as_a_unified_diff_with_removals_before_additions()
    {
        var result = Diff("outlier-lost", "--full", "cluster:outbound|9080||ratings.default.svc.cluster.local", "--exit-code");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("--- " + Side("outlier-lost", "before") + " Cluster outbound|9080||ratings.default.svc.cluster.local\n+++ ", result.Out, StringComparison.Ordinal);
        Assert.Contains("\n-connect_timeout: \"10s\"\n+connect_timeout: \"5s\"\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("\n-outlier_detection:\n-  base_ejection_time: \"30s\"\n-  consecutive_5xx: 5\n", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\n+outlier_detection", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_full_and_json_When_diffed_Then_exit_2_with_one_sentence_and_no_text_diff()
    {
        var result = Diff("outlier-lost", "--full", "cluster:outbound|9080||ratings.default.svc.cluster.local", "-o", "json");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal("envoylens: --full prints one resource's unified diff as text and has no JSON form; leave out -o json, or --full for the JSON change set of every resource.\n", result.Err);
    }

    [Fact]
    public void Given_full_naming_an_absent_resource_When_diffed_Then_exit_2_with_one_sentence()
    {
        var result = Diff("outlier-lost", "--full", "no-such-cluster");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal("envoylens: --full names 'no-such-cluster', which neither capture holds; give a resource name, optionally as kind:name.\n", result.Err);
    }

    [Fact]
    public void Given_a_missing_side_When_diffed_Then_exit_2_with_the_loaders_sentence_even_with_exit_code()
    {
        var missing = Path.Combine(Path.GetTempPath(), "envoylens-diff-" + Guid.NewGuid().ToString("N") + ".json");

        var result = Cli.Run("diff", Side("noise-only", "before"), missing, "--exit-code");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal($"envoylens: cannot read '{missing}': no such file.\n", result.Err);
    }

    [Theory]
    [InlineData("{\"configs\": [", "is truncated")]
    [InlineData("{}", "is not a config dump")]
    public void Given_an_unreadable_side_When_diffed_Then_exit_2_with_one_sentence_naming_the_file(string content, string what)
    {
        var dir = Directory.CreateTempSubdirectory("envoylens-diff-");
        try
        {
            var bad = Path.Combine(dir.FullName, "config_dump.json");
            File.WriteAllText(bad, content);

            var result = Cli.Run("diff", bad, Side("noise-only", "after"), "--exit-code");

            Assert.Equal(2, result.ExitCode);
            Assert.Equal("", result.Out);
            Assert.StartsWith($"envoylens: cannot read '{bad}': {bad} {what}", result.Err, StringComparison.Ordinal);
            Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
            Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Diff_help_matches_its_golden_file()
    {
        var result = Cli.Run("diff", "--help");
        var golden = Path.Combine(TestPaths.RepoRoot, "tests", "EnvoyLens.Cli.Tests", "Golden", "envoylens-diff.txt");
        if (Environment.GetEnvironmentVariable("ENVOYLENS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, result.Out);
        }

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(golden), "No golden file envoylens-diff.txt; run with ENVOYLENS_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(golden), result.Out);
    }
}
