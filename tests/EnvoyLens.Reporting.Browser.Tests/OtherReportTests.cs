using System.Text.Json;
using EnvoyLens.TestKit;

namespace EnvoyLens.Reporting.Browser.Tests;

/// <summary><c>certs</c>, <c>diff</c> and <c>trace</c> with <c>-o html</c> opened in Chromium: clean loads, and what is drawn matches their JSON.</summary>
public sealed class OtherReportTests : IClassFixture<Browser>, IDisposable
{
    private const string At = "2026-11-20T10:00:00Z";

    private readonly Browser _browser;
    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-browser-").FullName;

    public OtherReportTests(Browser browser) => _browser = browser;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Given_the_reviews_certificates_When_opened_Then_each_has_a_bar_and_a_table_row()
    {
        var errors = new List<string>();
        var page = await _browser.Open(Reports.Write(_dir, "certs.html", "certs", "--bundle", Reports.Reviews, "-o", "html", "--at", At), errors);
        using var json = JsonDocument.Parse(Reports.Run("certs", "--bundle", Reports.Reviews, "-o", "json", "--at", At).Out);
        var count = json.RootElement.GetProperty("certificates").GetArrayLength();

        Assert.True(count > 0);
        Assert.Equal(count, await page.Locator("#certificate-timeline rect.cert-bar").CountAsync());
        Assert.Equal(count, await page.Locator("#certificate-table tr:has(td)").CountAsync());
        Assert.Equal(0, await page.Locator("#traffic-map").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Reports.Artifacts(), "certs-report.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Given_a_weighted_shift_When_the_diff_is_opened_Then_every_changed_path_is_a_side_by_side_row_and_a_resource_collapses()
    {
        var before = TestPaths.Fixture("diff", "weighted-shift", "before.json");
        var after = TestPaths.Fixture("diff", "weighted-shift", "after.json");
        var errors = new List<string>();
        var page = await _browser.Open(Reports.Write(_dir, "diff.html", "diff", before, after, "-o", "html"), errors);
        using var json = JsonDocument.Parse(Reports.Run("diff", before, after, "-o", "json").Out);
        var paths = json.RootElement.GetProperty("changes").EnumerateArray().Count(c => c.GetProperty("path").GetString()!.Length > 0);

        Assert.True(paths > 0);
        Assert.Equal(paths, await page.Locator("table.side-by-side tr[data-change]:visible").CountAsync());
        Assert.Equal(json.RootElement.GetProperty("summaries").GetArrayLength(), await page.Locator("#summaries li").CountAsync());

        await page.Locator("details.resource-diff > summary").First.ClickAsync();

        Assert.Equal(0, await page.Locator("details.resource-diff").First.Locator("tr[data-change]:visible").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Reports.Artifacts(), "diff-report.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Given_a_request_for_an_unknown_host_When_the_trace_is_opened_Then_its_hops_form_a_path_with_the_stop_highlighted()
    {
        string[] args = ["trace", Reports.Reviews, "http://nosuch.example:9080/", "--address", "10.96.121.33"];
        var errors = new List<string>();
        var page = await _browser.Open(Reports.Write(_dir, "trace.html", [.. args, "-o", "html"]), errors);
        using var json = JsonDocument.Parse(Reports.Run([.. args, "-o", "json"]).Out);

        var hops = json.RootElement.GetProperty("hops").GetArrayLength();
        Assert.Equal(hops, await page.Locator("#hops div.hop").CountAsync());
        var stop = page.Locator("#hops div.hop.stop");
        Assert.Equal(1, await stop.CountAsync());
        Assert.Equal("stopped", await stop.GetAttributeAsync("data-status"));
        Assert.Equal("rgb(255, 235, 233)", await stop.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Reports.Artifacts(), "trace-report.png"), FullPage = true });
        Assert.Empty(errors);
    }
}
