using System.Text.Json;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// Admin outputs saved one by one (<c>--file</c> repeated, or a folder without manifest.json) are one capture, so the
/// stats and certificate rules run for file users too; and <c>decode</c> names documents relative to the source.
/// </summary>
public sealed class LooseSourceTests : IDisposable
{
    private static readonly string Reviews = TestPaths.Fixture("snapshots", "reviews");
    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-loose-tests-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private static string Member(string name) => Path.Combine(Reviews, name);

    private string LooseCopyOfReviews()
    {
        var folder = Path.Combine(_dir, "reviews-saved");
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { "config_dump.json", "clusters.json", "listeners.json", "certs.json", "server_info.json", "stats.txt", "init_dump.json", "ready.txt" })
        {
            File.Copy(Member(name), Path.Combine(folder, name));
        }

        return folder;
    }

    private static Dictionary<string, string> RuleStatus(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("rules").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("status").GetString()!, StringComparer.Ordinal);
    }

    private static List<string> FindingKeys(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => $"{f.GetProperty("ruleId").GetString()} {f.GetProperty("resource")} {f.GetProperty("pointer").GetString()} {f.GetProperty("message").GetString()}")
            .ToList();
    }

    [Fact]
    public void Given_a_config_dump_stats_and_certs_named_with_file_When_analyzed_Then_the_stats_and_certificate_rules_run()
    {
        var alone = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", "--file", Member("config_dump.json"), "-o", "json", "--fail-on", "never");
        var together = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", "--file", Member("config_dump.json"), "--file", Member("stats.txt"), "--file", Member("certs.json"),
            "-o", "json", "--fail-on", "never");

        Assert.Equal(0, together.ExitCode);
        Assert.Equal("", together.Err);
        var before = RuleStatus(alone.Out);
        var after = RuleStatus(together.Out);
        foreach (var statsRule in new[] { "EL2003", "EL2004", "EL5001", "EL5004", "EL4009" })
        {
            Assert.Equal("notRun", before[statsRule]);
            Assert.NotEqual("notRun", after[statsRule]);
        }

        // The ejected ratings v2 host is seen in the stats too.
        Assert.Contains(FindingKeys(together.Out), k => k.StartsWith("EL5004 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_two_stats_files_When_named_with_file_Then_exit_2_naming_both()
    {
        var result = Cli.Run("decode", "--file", Member("stats.txt"), "--file", Member("config_dump.json"), "--file", Member("stats_prometheus.txt"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"envoylens: {Member("stats.txt")} and {Member("stats_prometheus.txt")} both hold /stats output; name only one of them.\n", result.Err);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void Given_a_folder_of_loose_outputs_When_analyzed_Then_stderr_says_so_and_the_findings_equal_the_bundle()
    {
        var folder = LooseCopyOfReviews();

        var bundle = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", Reviews, "-o", "json");
        var loose = Cli.RunAt(AnalyzeTestKit.FixtureNow, "analyze", folder, "-o", "json");

        Assert.Equal(bundle.ExitCode, loose.ExitCode);
        Assert.Equal(
            $"envoylens: {folder} has no manifest.json; reading its 8 files as separate admin outputs (certs.json as certs, clusters.json as clusters, " +
            "config_dump.json as config_dump, init_dump.json as init_dump, listeners.json as listeners, ready.txt as ready, server_info.json as server_info, stats.txt as stats).\n",
            loose.Err);
        Assert.Equal(FindingKeys(bundle.Out), FindingKeys(loose.Out));
        Assert.Equal(RuleStatus(bundle.Out), RuleStatus(loose.Out));
    }

    [Fact]
    public void Given_a_folder_with_an_unreadable_member_When_read_Then_exit_2_naming_it()
    {
        var folder = LooseCopyOfReviews();
        var clusters = Path.Combine(folder, "clusters.json");
        File.WriteAllText(clusters, "{\"cluster_statuses\": [{\"name\": ");

        var result = Cli.Run("config", "clusters", folder);

        Assert.Equal(2, result.ExitCode);
        var lines = result.Err.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"envoylens: cannot read '{clusters}': ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_bundle_When_decoded_Then_documents_are_named_relative_to_it()
    {
        var result = Cli.Run("decode", Reviews);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n');
        Assert.Equal("Read: " + Reviews, lines[0]);
        Assert.Contains("  config_dump  config_dump.json  (201161 bytes)", lines);
        Assert.Contains("Config dump: config_dump.json (form: ", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Reviews + "/", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_single_file_When_decoded_as_json_Then_its_document_is_named_by_its_file_name()
    {
        var result = Cli.Run("decode", Member("config_dump.json"), "-o", "json");

        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(Member("config_dump.json"), doc.RootElement.GetProperty("origin").GetString());
        Assert.Equal("config_dump.json", doc.RootElement.GetProperty("documents")[0].GetProperty("source").GetString());
        Assert.Equal("config_dump.json", doc.RootElement.GetProperty("configDump").GetProperty("source").GetString());
    }
}
