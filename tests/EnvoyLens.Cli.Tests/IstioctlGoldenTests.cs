using System.Text.RegularExpressions;
using EnvoyLens.Admin;
using EnvoyLens.Decoding;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Reporting.Views;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// End to end against istioctl: decode the config dump of each golden case (SnapshotSources + SnapshotDecoder),
/// render our table, and compare with istioctl's output.txt row by row (columns split on runs of 2+ spaces)
/// and then as exact text.
/// </summary>
public sealed partial class IstioctlGoldenTests
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

    private static void AssertAgrees(string dir, ViewKind view)
    {
        var raw = SnapshotSources.Open(Path.Combine(dir, "configdump.json"));
        var snapshot = SnapshotDecoder.Decode(raw);
        var sw = new StringWriter();
        TableRenderer.Write(ConfigViews.Build(view, snapshot), OutputFormat.Table, sw);
        var expected = File.ReadAllText(Path.Combine(dir, "output.txt"));

        Assert.Equal(Rows(expected), Rows(sw.ToString()));
        Assert.Equal(expected, sw.ToString());
    }

    private static List<string[]> Rows(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => ColumnGap().Split(line.TrimEnd()).ToArray())
            .ToList();

    [GeneratedRegex(" {2,}")]
    private static partial Regex ColumnGap();
}
