using System.Text.Json;
using EnvoyLens.Fixtures.Mesh;
using EnvoyLens.TestKit;
using Microsoft.Playwright;

namespace EnvoyLens.Reporting.Browser.Tests;

/// <summary>
/// <c>analyze -o html</c> of the sample bundle opened in Chromium: it loads without a console error or a network
/// request, shows as many findings as the JSON result holds, its severity and text filters hide and show rows, it draws
/// a bar per certificate and a traffic-map node per cluster with findings.
/// </summary>
public sealed class AnalyzeReportTests : IClassFixture<Browser>, IDisposable
{
    private const string At = "2026-11-20T10:00:00Z";

    private readonly Browser _browser;
    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-browser-").FullName;

    public AnalyzeReportTests(Browser browser) => _browser = browser;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Given_the_reviews_report_When_opened_Then_it_loads_cleanly_and_counts_the_findings_of_the_json_result()
    {
        var errors = new List<string>();
        var report = Reports.Write(_dir, "report.html", "analyze", "--bundle", Reports.Reviews, "-o", "html", "--at", At);

        // The page names the bundle as given; the screenshot shows it as a path in the repository.
        File.WriteAllText(report, File.ReadAllText(report).Replace(TestPaths.RepoRoot + Path.DirectorySeparatorChar, "", StringComparison.Ordinal));
        var page = await _browser.Open(report, errors);
        using var json = JsonDocument.Parse(Reports.Run("analyze", "--bundle", Reports.Reviews, "-o", "json", "--at", At).Out);
        var findings = json.RootElement.GetProperty("findings").GetArrayLength();

        Assert.True(findings > 0);
        Assert.Equal(findings.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("#findings-count").TextContentAsync());
        Assert.Equal(findings, await page.Locator("article.finding:visible").CountAsync());
        Assert.Equal("envoylens analyze: " + Path.Combine("fixtures", "snapshots", "reviews"), await page.TitleAsync());

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Reports.Artifacts(), "analyze-report.png"), FullPage = false });
        if (Environment.GetEnvironmentVariable("ENVOYLENS_UPDATE_SCREENSHOT") == "1")
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.RepoRoot, "docs", "report.png"), FullPage = false });
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task Given_the_reviews_report_When_a_severity_is_unticked_and_ticked_again_Then_its_rows_are_hidden_and_shown()
    {
        var errors = new List<string>();
        var page = await _browser.Open(Reports.Write(_dir, "report.html", "analyze", "--bundle", Reports.Reviews, "-o", "html", "--at", At), errors);
        var all = await page.Locator("article.finding").CountAsync();
        var warnings = await page.Locator("article.finding[data-severity=warning]").CountAsync();
        Assert.True(warnings > 0 && warnings < all);

        await page.Locator("#filter-warning").UncheckAsync();

        Assert.Equal(0, await page.Locator("article.finding[data-severity=warning]:visible").CountAsync());
        Assert.Equal(all - warnings, await page.Locator("article.finding:visible").CountAsync());
        Assert.Equal((all - warnings).ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("#shown-count").TextContentAsync());
        Assert.False(await page.Locator("#severity-warning").IsVisibleAsync());

        await page.Locator("#filter-warning").CheckAsync();

        Assert.Equal(warnings, await page.Locator("article.finding[data-severity=warning]:visible").CountAsync());
        Assert.Equal(all, await page.Locator("article.finding:visible").CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Given_the_reviews_report_When_filtered_by_a_rule_id_Then_only_that_rules_findings_stay()
    {
        var errors = new List<string>();
        var page = await _browser.Open(Reports.Write(_dir, "report.html", "analyze", "--bundle", Reports.Reviews, "-o", "html", "--at", At), errors);
        using var json = JsonDocument.Parse(Reports.Run("analyze", "--bundle", Reports.Reviews, "-o", "json", "--at", At).Out);
        var el3103 = json.RootElement.GetProperty("findings").EnumerateArray().Count(f => f.GetProperty("ruleId").GetString() == "EL3103");
        Assert.True(el3103 > 0);

        await page.Locator("#text-filter").FillAsync("el3103");

        Assert.Equal(el3103, await page.Locator("article.finding:visible").CountAsync());
        Assert.Equal(el3103, await page.Locator("article.finding[data-rule=EL3103]:visible").CountAsync());

        await page.Locator("#text-filter").FillAsync("");

        Assert.Equal(json.RootElement.GetProperty("findings").GetArrayLength(), await page.Locator("article.finding:visible").CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Given_the_reviews_report_When_a_findings_resource_is_clicked_Then_its_normalized_configuration_opens()
    {
        var errors = new List<string>();
        var page = await _browser.Open(Reports.Write(_dir, "report.html", "analyze", "--bundle", Reports.Reviews, "-o", "html", "--at", At), errors);
        var link = page.Locator("a.resource-link").First;
        var target = (await link.GetAttributeAsync("href"))!.TrimStart('#');
        var config = page.Locator($"[id='{target}'] pre");
        Assert.False(await config.IsVisibleAsync());

        await link.ClickAsync();

        Assert.True(await config.IsVisibleAsync());
        Assert.Contains("name: ", await config.TextContentAsync(), StringComparison.Ordinal);

        await page.Locator("a.rule-link").First.ClickAsync();
        Assert.EndsWith("#rule-EL1005", page.Url, StringComparison.Ordinal);
        Assert.True(await page.Locator("#rule-EL1005").IsVisibleAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Given_the_reviews_report_When_opened_Then_there_is_one_bar_per_certificate_and_one_map_node_per_cluster_with_findings()
    {
        var errors = new List<string>();
        var page = await _browser.Open(Reports.Write(_dir, "report.html", "analyze", "--bundle", Reports.Reviews, "-o", "html", "--at", At), errors);
        using var certs = JsonDocument.Parse(Reports.Run("certs", "--bundle", Reports.Reviews, "-o", "json", "--at", At).Out);
        using var json = JsonDocument.Parse(Reports.Run("analyze", "--bundle", Reports.Reviews, "-o", "json", "--at", At).Out);
        var clusters = json.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("resource").ValueKind == JsonValueKind.Object && f.GetProperty("resource").GetProperty("kind").GetString() == "Cluster")
            .Select(f => f.GetProperty("resource").GetProperty("name").GetString()!)
            .ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(clusters);

        Assert.Equal(certs.RootElement.GetProperty("certificates").GetArrayLength(), await page.Locator("#certificate-timeline rect.cert-bar").CountAsync());
        var nodes = page.Locator("#traffic-map-full g.node.cluster.has-finding");
        Assert.Equal(clusters.Count, await nodes.CountAsync());
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < await nodes.CountAsync(); i++)
        {
            names.Add((await nodes.Nth(i).GetAttributeAsync("data-name"))!);
        }

        Assert.Equal(clusters.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.Equal(1, await page.Locator("#certificate-timeline #judged-instant").CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Given_a_mesh_too_big_for_the_whole_map_When_opened_Then_the_map_is_collapsed_and_the_button_expands_and_collapses_it()
    {
        var dump = Path.Combine(_dir, "mesh.json");
        using (var stream = File.Create(dump))
        {
            MeshGenerator.Write(stream, new MeshSpec(60));
        }

        var errors = new List<string>();
        var page = await _browser.Open(Reports.Write(_dir, "mesh.html", "analyze", dump, "-o", "html", "--at", At), errors);
        using var json = JsonDocument.Parse(Reports.Run("analyze", dump, "-o", "json", "--at", At).Out);
        var clusters = json.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("resource").ValueKind == JsonValueKind.Object && f.GetProperty("resource").GetProperty("kind").GetString() == "Cluster")
            .Select(f => f.GetProperty("resource").GetProperty("name").GetString()!)
            .ToHashSet(StringComparer.Ordinal);
        var full = page.Locator("#traffic-map-full");
        var collapsed = page.Locator("#traffic-map-collapsed");
        var button = page.Locator("#expand-map");
        Assert.True(await page.Locator("#traffic-map-full g.node").CountAsync() > Html.TrafficMap.CollapseAbove);
        Assert.True(await collapsed.IsVisibleAsync());
        Assert.False(await full.IsVisibleAsync());
        Assert.True(await page.Locator("#traffic-map-collapsed g.node").CountAsync() < await page.Locator("#traffic-map-full g.node").CountAsync());

        await button.ClickAsync();

        Assert.True(await full.IsVisibleAsync());
        Assert.False(await collapsed.IsVisibleAsync());
        Assert.Equal(clusters.Count, await page.Locator("#traffic-map-full g.node.cluster.has-finding").CountAsync());
        Assert.Equal("Show only what has findings", await button.TextContentAsync());

        await button.ClickAsync();

        Assert.False(await full.IsVisibleAsync());
        Assert.True(await collapsed.IsVisibleAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Given_the_generated_50_MB_dump_When_analyzed_as_html_Then_the_page_is_under_5_MB_collapsed_and_opens_cleanly()
    {
        var dump = Path.Combine(_dir, "mesh.json");
        using (var stream = File.Create(dump))
        {
            MeshGenerator.Write(stream, MeshSpec.ForApproximateBytes(50_000_000));
        }

        var report = Reports.Write(_dir, "mesh.html", "analyze", dump, "-o", "html", "--at", At);
        File.Delete(dump);
        var size = new FileInfo(report).Length;
        Assert.True(size < 5_000_000, $"The report of the 50 MB dump is {size} bytes.");

        var errors = new List<string>();
        var page = await _browser.Open(report, errors);

        Assert.True(await page.Locator("#traffic-map-collapsed").IsVisibleAsync());
        var drawn = await page.Locator("#traffic-map-collapsed g.node.cluster.has-finding").CountAsync();
        Assert.InRange(drawn, 1, Html.TrafficMap.MaxSeeds);
        Assert.True(await page.Locator("#compacted").IsVisibleAsync());
        await page.Locator("#filter-info").UncheckAsync();
        Assert.Equal(0, await page.Locator("article.finding[data-severity=info]:visible").CountAsync());
        Assert.Empty(errors);
    }
}
