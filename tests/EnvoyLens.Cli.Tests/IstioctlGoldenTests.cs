using System.Text.Json.Nodes;
using EnvoyLens.Admin;
using EnvoyLens.Decoding;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Reporting.Tables;
using EnvoyLens.Reporting.Views;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// End to end against istioctl, on every golden of the shared corpus (and the authored ambient waypoint fixture):
/// decode the config dump (SnapshotSources + SnapshotDecoder), build our tables, and compare every row istioctl prints
/// with ours, columns matched by header (<see cref="IstioctlText"/>); where our view is istioctl's, the text too.
/// <c>-o json|yaml</c> print the same resources as istioctl's, in content.
/// </summary>
public sealed class IstioctlGoldenTests
{
    public static TheoryData<string> RouteCases()
    {
        var cases = new TheoryData<string>();
        if (TestPaths.Corpus is null)
        {
            cases.Add("(corpus missing)");
            return cases;
        }

        foreach (var dir in Directory.GetDirectories(TestPaths.CorpusFile("golden", "istio-proxyconfig-routes")).Order(StringComparer.Ordinal))
        {
            cases.Add(Path.GetFileName(dir));
        }

        return cases;
    }

    [Fact]
    public void Every_golden_of_the_corpus_is_covered_by_a_test_here()
    {
        var goldens = Directory.GetDirectories(CorpusFiles.Golden()).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(["istio-proxyconfig-ecds", "istio-proxyconfig-routes"], goldens);
        Assert.Equal(Directory.GetDirectories(CorpusFiles.Golden("istio-proxyconfig-routes")).Length, RouteCases().Count);
    }

    [Theory]
    [MemberData(nameof(RouteCases))]
    public void Routes_table_agrees_with_istioctl(string caseName)
    {
        var dir = CorpusFiles.Golden("istio-proxyconfig-routes", caseName);
        AssertAgrees(dir, ViewKind.Routes);
    }

    [Fact]
    public void Ecds_table_agrees_with_istioctl()
    {
        AssertAgrees(CorpusFiles.Golden("istio-proxyconfig-ecds"), ViewKind.Ecds);
    }

    [Fact]
    public void Routes_command_prints_istioctls_table_for_a_golden_dump()
    {
        var dir = CorpusFiles.Golden("istio-proxyconfig-routes", "istio-gateway-http-route-prefix");

        var result = Cli.Run("config", "routes", Path.Combine(dir, "configdump.json"));

        Assert.Equal("", result.Err);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "output.txt")), result.Out);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("yaml")]
    public void Ecds_as_json_or_yaml_prints_the_resources_istioctl_prints(string format)
    {
        var dir = CorpusFiles.Golden("istio-proxyconfig-ecds");

        var result = Cli.Run("config", "ecds", Path.Combine(dir, "configdump.json"), "-o", format);

        Assert.Equal(0, result.ExitCode);
        var ours = format == "json" ? JsonNode.Parse(result.Out) : IstioctlText.FromYaml(result.Out);
        var golden = format == "json"
            ? JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "output.json")))
            : IstioctlText.FromYaml(File.ReadAllText(Path.Combine(dir, "output.yaml")));
        var expected = golden!["ecdsFilters"]!.AsArray().Select(e => IstioctlText.FoldKeys(e!["ecdsFilter"])).ToList();
        var printed = ours!.AsArray().Select(IstioctlText.FoldKeys).ToList();
        Assert.Equal(6, expected.Count);
        Assert.Equal(Names(expected), Names(printed));
        foreach (var resource in expected)
        {
            var name = resource!["name"]!.ToString();
            var mine = printed.Single(p => p!["name"]!.ToString() == name);
            Assert.True(JsonNode.DeepEquals(resource, mine), $"ECDS {name}: istioctl {resource.ToJsonString()}\nours {mine!.ToJsonString()}");
        }

        static List<string> Names(IEnumerable<JsonNode?> resources) => resources.Select(r => r!["name"]!.ToString()).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void All_on_an_ambient_waypoint_prints_every_row_istioctl_prints()
    {
        var dir = TestPaths.Fixture("views", "ambient-waypoint");
        var snapshot = SnapshotDecoder.Decode(SnapshotSources.Open(Path.Combine(dir, "config_dump.json")));

        var tables = ConfigViews.Build(ViewKind.All, snapshot);

        var rows = IstioctlText.AssertEveryRowMatches(File.ReadAllText(Path.Combine(dir, "istioctl-all.txt")), tables);
        Assert.Equal(1 + 3 + 5 + 1 + 2, rows);
    }

    [Fact]
    public void Header_matching_fails_when_a_row_differs()
    {
        var dir = TestPaths.Fixture("views", "ambient-waypoint");
        var snapshot = SnapshotDecoder.Decode(SnapshotSources.Open(Path.Combine(dir, "config_dump.json")));
        var tables = ConfigViews.Build(ViewKind.All, snapshot);
        var altered = File.ReadAllText(Path.Combine(dir, "istioctl-all.txt")).Replace("Cluster: encap", "Cluster: xxxxx", StringComparison.Ordinal);

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => IstioctlText.AssertEveryRowMatches(altered, tables));
    }

    private static void AssertAgrees(string dir, ViewKind view)
    {
        var raw = SnapshotSources.Open(Path.Combine(dir, "configdump.json"));
        var snapshot = SnapshotDecoder.Decode(raw);
        var tables = ConfigViews.Build(view, snapshot);
        var sw = new StringWriter();
        TableRenderer.Write(tables, OutputFormat.Table, sw);
        var expected = File.ReadAllText(Path.Combine(dir, "output.txt"));

        var compared = IstioctlText.AssertEveryRowMatches(expected, tables);
        Assert.Equal(expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1, compared);
        Assert.Equal(expected, sw.ToString());
    }
}
