using System.Globalization;
using System.Text.Json.Nodes;
using EnvoyLens.Cli.Services;
using EnvoyLens.Core;

namespace EnvoyLens.Cli.Tests.Scan;

/// <summary><c>scan --shard I/N</c> and <c>scan merge</c> against the Kubernetes API test server.</summary>
public sealed class ScanShardTests
{
    [Fact]
    public async Task Given_three_shards_When_scanned_and_merged_Then_each_pod_is_in_exactly_one_shard_and_the_merge_equals_one_scan()
    {
        await using var fleet = await ScanFleet.StartAsync(healthy: 40);
        string[] args = ["scan", "-A", "--kubeconfig", fleet.Kubeconfig, "--at", ScanFleet.At, "--timeout-per-pod", "10s", "--qps", "0", "-o", "json"];
        var whole = await Task.Run(() => Cli.Run(args));
        Assert.Equal((1, string.Empty), (whole.ExitCode, whole.Err));

        var files = new List<string>();
        var seen = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var shard = await Task.Run(() => Cli.Run([.. args, "--shard", i.ToString(CultureInfo.InvariantCulture) + "/3"]));
            Assert.Equal(string.Empty, shard.Err);
            var root = JsonNode.Parse(shard.Out)!;
            Assert.Equal(i, (int)root["scope"]!["shard"]!["index"]!);
            var pods = root["pods"]!.AsArray().Select(p => (string)p!["namespace"]! + "/" + (string)p["name"]!).ToList();
            Assert.NotEmpty(pods);
            seen.AddRange(pods);
            var file = fleet.Path($"shard-{i.ToString(CultureInfo.InvariantCulture)}.json");
            await File.WriteAllTextAsync(file, shard.Out);
            files.Add(file);
        }

        Assert.Equal(fleet.ProxyPods.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(seen.Count, seen.Distinct(StringComparer.Ordinal).Count());

        var merged = Cli.Run(["scan", "merge", .. files, "-o", "json"]);
        Assert.Equal((1, string.Empty), (merged.ExitCode, merged.Err));
        Assert.Equal(whole.Out, merged.Out);

        // The table and SARIF of a merge are those of the merged JSON, whichever order the shards come in.
        var reversed = Cli.Run(["scan", "merge", .. Enumerable.Reverse(files), "-o", "sarif"]);
        var wholeFile = fleet.Path("whole.json");
        await File.WriteAllTextAsync(wholeFile, whole.Out);
        Assert.Equal(Cli.Run("scan", "merge", wholeFile, "-o", "sarif").Out, reversed.Out);
        Assert.Equal(Cli.Run("scan", "merge", wholeFile).Out, Cli.Run(["scan", "merge", .. files]).Out);
        Assert.Equal(Cli.Run("scan", "merge", wholeFile, "-o", "html").Out, Cli.Run(["scan", "merge", .. files, "-o", "html"]).Out);
    }

    [Fact]
    public async Task Given_a_fleet_When_scanned_as_html_Then_the_page_has_a_row_per_pod_the_failing_pods_and_the_mesh_findings_of_the_json_result()
    {
        await using var fleet = await ScanFleet.StartAsync(healthy: 8);
        string[] args = ["scan", "-A", "--kubeconfig", fleet.Kubeconfig, "--at", ScanFleet.At, "--timeout-per-pod", "10s", "--qps", "0"];
        var json = await Task.Run(() => Cli.Run([.. args, "-o", "json"]));
        var file = fleet.Path("result.json");
        await File.WriteAllTextAsync(file, json.Out);

        var html = Cli.Run("scan", "merge", file, "-o", "html");

        Assert.Equal((1, string.Empty), (html.ExitCode, html.Err));
        var root = JsonNode.Parse(json.Out)!;
        var pods = root["pods"]!.AsArray();
        Assert.Equal(pods.Count, System.Text.RegularExpressions.Regex.Count(html.Out, "<tr class=\"pod\""));
        Assert.Equal(pods.Count(p => (bool)p!["failed"]!), System.Text.RegularExpressions.Regex.Count(html.Out, "data-failed=\"true\""));
        Assert.Equal(root["mesh"]!.AsArray().Count, System.Text.RegularExpressions.Regex.Count(html.Out, "<li class=\"mesh-finding\""));
        Assert.DoesNotContain("http://", html.Out.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("exit 1", html.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_two_of_three_shards_When_merged_Then_the_missing_shard_is_named_and_the_exit_is_2()
    {
        var dir = Directory.CreateTempSubdirectory("envoylens-scan-merge-").FullName;
        try
        {
            var file = Path.Combine(dir, "s0.json");
            File.WriteAllText(file, """{"schema":"envoylens-scan/v1","scope":{"namespace":null,"allNamespaces":true,"selector":null,"shard":{"index":0,"count":3}},"at":"2026-11-20T10:00:00Z","summary":{"planned":0,"withoutProxy":0,"interrupted":false},"pods":[],"mesh":[]}""");
            var result = Cli.Run("scan", "merge", file);
            Assert.Equal((2, "envoylens: shard 1/3, 2/3 is missing; merge every shard's result.\n"), (result.ExitCode, result.Err));

            var other = Path.Combine(dir, "other.json");
            File.WriteAllText(other, """{"schema":"envoylens-analysis/v1"}""");
            Assert.Equal($"envoylens: scan result '{other}' is not a scan result (schema envoylens-scan/v1); give files written by 'envoylens scan -o json'.\n", Cli.Run("scan", "merge", other).Err);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("default/reviews-v1-6c8d7b9f4-x2x7q")]
    [InlineData("team-3/svc-2-5f6d7c8b9-0001b")]
    public void Given_a_pod_key_When_hashed_Then_the_hash_is_FNV1a_and_every_shard_count_puts_it_in_exactly_one_shard(string key)
    {
        // FNV-1a 64 computed independently over the UTF-8 bytes.
        var expected = 0xcbf29ce484222325UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(key))
        {
            expected = (expected ^ b) * 0x100000001b3UL;
        }

        Assert.Equal(expected, Shard.Hash(key));
        foreach (var n in new[] { 1, 2, 3, 7, 64 })
        {
            Assert.Single(Enumerable.Range(0, n), i => new Shard(i, n).Contains(key));
        }
    }

    [Fact]
    public void Given_an_indexed_job_environment_When_no_shard_is_given_Then_the_job_index_and_count_are_the_shard()
    {
        var env = new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = "2", ["ENVOYLENS_SHARD_COUNT"] = "5" };
        Assert.Equal(new Shard(2, 5), Shard.Resolve(null, k => env.GetValueOrDefault(k)));
        Assert.Equal(new Shard(1, 4), Shard.Resolve("1/4", k => env.GetValueOrDefault(k)));
        Assert.Null(Shard.Resolve(null, _ => null));
        var missing = Assert.Throws<EnvoyLensException>(() => Shard.Resolve(null, k => k == "JOB_COMPLETION_INDEX" ? "0" : null));
        Assert.Equal("JOB_COMPLETION_INDEX is set (0) but ENVOYLENS_SHARD_COUNT is not; set it to the Job's completions, or give --shard I/N.", missing.Message);
        Assert.Equal("--shard '3/3' must be I/N with 0 <= I < N, e.g. 0/4.", Assert.Throws<EnvoyLensException>(() => Shard.Parse("3/3")).Message);
    }

    [Fact]
    public void Given_no_reachable_api_server_When_scanned_Then_one_sentence_and_exit_2()
    {
        var dir = Directory.CreateTempSubdirectory("envoylens-scan-noapi-").FullName;
        try
        {
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            File.WriteAllText(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: gone
                  cluster:
                    server: http://127.0.0.1:9
                contexts:
                - name: gone
                  context:
                    cluster: gone
                    user: gone
                current-context: gone
                users:
                - name: gone
                  user:
                    token: t
                """);
            var result = Cli.Run("scan", "-A", "--kubeconfig", kubeconfig);
            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith("envoylens: the Kubernetes API at http://127.0.0.1:9 cannot be reached while listing pods in all namespaces: ", result.Err, StringComparison.Ordinal);
            Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
            Assert.Equal(string.Empty, result.Out);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
