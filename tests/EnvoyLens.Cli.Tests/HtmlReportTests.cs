using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// <c>-o html</c>: one self-contained page, escaped by construction, deterministic for the same input and <c>--at</c>,
/// with as many findings and certificate bars as the JSON outputs list.
/// </summary>
public sealed partial class HtmlReportTests : IDisposable
{
    private const string At = "2026-11-20T10:00:00Z";

    private static readonly string Reviews = TestPaths.Fixture("snapshots", "reviews");

    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-html-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Refresh with <c>ENVOYLENS_UPDATE_GOLDEN=1 dotnet test tests/EnvoyLens.Cli.Tests --filter FullyQualifiedName~HtmlReport</c>.</summary>
    [Theory]
    [InlineData("analyze-reviews.html", "analyze")]
    [InlineData("certs-reviews.html", "certs")]
    public void Given_the_reviews_bundle_and_an_instant_When_rendered_as_html_Then_the_page_matches_its_golden_file_byte_for_byte(string golden, string command)
    {
        // Paths are the checkout's: the golden file holds them relative to its root.
        var first = Cli.Run(command, "--bundle", Reviews, "-o", "html", "--at", At) is var r ? r with { Out = r.Out.Replace(TestPaths.RepoRoot, "REPO", StringComparison.Ordinal) } : null!;
        var second = Cli.Run(command, "--bundle", Reviews, "-o", "html", "--at", At) is var s ? s with { Out = s.Out.Replace(TestPaths.RepoRoot, "REPO", StringComparison.Ordinal) } : null!;
        var path = Path.Combine(TestPaths.RepoRoot, "tests", "EnvoyLens.Cli.Tests", "Golden", golden);
        if (Environment.GetEnvironmentVariable("ENVOYLENS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, first.Out);
        }

        Assert.Equal("", first.Err);
        Assert.Equal(first.Out, second.Out);
        Assert.True(File.Exists(path), $"No golden file {golden}; run with ENVOYLENS_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(path), first.Out);
    }

    [Fact]
    public void Given_the_reviews_bundle_When_analyzed_as_html_Then_it_is_self_contained_and_shows_as_many_findings_as_the_json_result()
    {
        var html = Cli.Run("analyze", "--bundle", Reviews, "-o", "html", "--at", At);
        var json = Cli.Run("analyze", "--bundle", Reviews, "-o", "json", "--at", At);

        Assert.Equal(json.ExitCode, html.ExitCode);
        using var doc = JsonDocument.Parse(json.Out);
        var findings = doc.RootElement.GetProperty("findings").GetArrayLength();
        Assert.True(findings > 0);
        Assert.Equal(findings, Regex.Count(html.Out, "<article class=\"finding\""));
        Assert.Contains($"<span id=\"findings-count\">{findings}</span>", html.Out, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", html.Out, StringComparison.Ordinal);

        // No external asset: nothing is loaded from anywhere (only the SVG namespace names a URL).
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html.Out);
        Assert.DoesNotContain("<link", html.Out, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html.Out, "<script"));

        // Every rule a finding links to has its section in the embedded reference.
        foreach (Match m in Regex.Matches(html.Out, "href=\"#(rule-EL[0-9]{4})\""))
        {
            Assert.Contains($"id=\"{m.Groups[1].Value}\"", html.Out, StringComparison.Ordinal);
        }

        // A finding's resource opens its normalized configuration, the YAML diff --full prints.
        var link = ResourceLink().Match(html.Out);
        Assert.True(link.Success);
        Assert.Matches($"<details class=\"config\" id=\"{link.Groups[1].Value}\"><summary>[^<]+</summary><pre>", html.Out);
        Assert.Contains("id=\"certificate-timeline\"", html.Out, StringComparison.Ordinal);
        Assert.Contains("id=\"traffic-map-full\"", html.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_reviews_bundle_When_certs_are_rendered_as_html_Then_there_is_one_bar_and_one_row_per_certificate_of_the_json_list()
    {
        var html = Cli.Run("certs", "--bundle", Reviews, "-o", "html", "--at", At);
        var json = Cli.Run("certs", "--bundle", Reviews, "-o", "json", "--at", At);

        Assert.Equal(0, html.ExitCode);
        var rows = JsonNode.Parse(json.Out)!["certificates"]!.AsArray().Count;
        Assert.True(rows > 0);
        Assert.Equal(rows, Regex.Count(html.Out, "class=\"cert-bar\""));
        var table = html.Out[html.Out.IndexOf("id=\"certificate-table\"", StringComparison.Ordinal)..];
        Assert.Equal(rows + 1, Regex.Count(table[..table.IndexOf("</table>", StringComparison.Ordinal)], "<tr>"));
        Assert.Contains("data-status=\"rotation-overdue\"", html.Out, StringComparison.Ordinal);
        Assert.Contains("data-status=\"ca-expiring\"", html.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_later_instant_When_certs_are_rendered_as_html_Then_every_certificate_that_ended_before_it_is_drawn_expired()
    {
        var html = Cli.Run("certs", "--bundle", Reviews, "-o", "html", "--at", "2040-01-01T00:00:00Z");

        Assert.Equal(6, Regex.Count(html.Out, "data-status=\"expired\""));
        Assert.Contains("judged 2040-01-01T00:00:00Z", html.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_dump_whose_names_hold_markup_and_quotes_When_analyzed_as_html_Then_they_appear_as_text_only()
    {
        var dump = HostileDump();

        var result = Cli.Run("analyze", dump, "-o", "html", "--at", At);

        Assert.True(result.ExitCode is 0 or 1, result.Err);
        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\" onmouseover=\"", result.Out, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(result.Out, "<script"));
        Assert.Contains("web&#39;&quot;&lt;b&gt;&quot; onmouseover=&quot;alert(1)", result.Out, StringComparison.Ordinal);
    }

    /// <summary>EL1002's failing dump with its missing cluster named like a script and its route config like an attribute break-out.</summary>
    private string HostileDump()
    {
        var dump = JsonNode.Parse(File.ReadAllText(AnalyzeTestKit.RuleDump("EL1002", "fail")))!;
        Rename(dump, new Dictionary<string, string>
        {
            ["api-canary"] = "<script>alert(\"x\")</script>",
            ["web"] = "web'\"<b>\" onmouseover=\"alert(1)",
        });
        var path = Path.Combine(_dir, "config_dump.json");
        File.WriteAllText(path, dump.ToJsonString());
        return path;
    }

    private static void Rename(JsonNode node, Dictionary<string, string> names)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var s) && names.TryGetValue(s, out var renamed))
                    {
                        o[key] = renamed;
                    }
                    else if (value is not null)
                    {
                        Rename(value, names);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    if (item is not null)
                    {
                        Rename(item, names);
                    }
                }

                break;
        }
    }

    [GeneratedRegex("<a class=\"resource-link\" href=\"#(config-[0-9]+)\"")]
    private static partial Regex ResourceLink();
}

/// <summary><c>diff -o html</c> and <c>trace -o html</c>: golden pages, and as many rows and hops as their JSON.</summary>
public sealed class DiffAndTraceHtmlTests
{
    private static readonly string Reviews = TestPaths.Fixture("snapshots", "reviews");

    private const string Ratings = "http://ratings.default.svc.cluster.local:9080/ratings/0";

    private static string Side(string fixture, string side) => TestPaths.Fixture("diff", fixture, side + ".json");

    /// <summary>Refresh with <c>ENVOYLENS_UPDATE_GOLDEN=1 dotnet test tests/EnvoyLens.Cli.Tests --filter FullyQualifiedName~DiffAndTraceHtml</c>.</summary>
    [Theory]
    [InlineData("diff-weighted-shift.html", "diff", "weighted-shift")]
    [InlineData("diff-secret-rotated.html", "diff", "secret-rotated")]
    [InlineData("trace-ratings.html", "trace", null)]
    public void Given_a_fixture_When_rendered_as_html_Then_the_page_matches_its_golden_file(string golden, string command, string? fixture)
    {
        string[] args = command == "diff" ? ["diff", Side(fixture!, "before"), Side(fixture!, "after"), "-o", "html"] : ["trace", Reviews, Ratings, "-o", "html"];
        var result = Cli.RunAt(AnalyzeTestKit.FixtureNow, args);
        var page = result.Out.Replace(TestPaths.RepoRoot, "REPO", StringComparison.Ordinal);
        var path = Path.Combine(TestPaths.RepoRoot, "tests", "EnvoyLens.Cli.Tests", "Golden", golden);
        if (Environment.GetEnvironmentVariable("ENVOYLENS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, page);
        }

        Assert.Equal("", result.Err);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(page, Cli.RunAt(AnalyzeTestKit.FixtureNow, args).Out.Replace(TestPaths.RepoRoot, "REPO", StringComparison.Ordinal));
        Assert.True(File.Exists(path), $"No golden file {golden}; run with ENVOYLENS_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(path), page);
    }

    [Fact]
    public void Given_an_instant_When_a_trace_is_rendered_as_html_Then_the_page_is_judged_at_it_whatever_the_clock()
    {
        var early = Cli.RunAt(AnalyzeTestKit.FixtureNow, "trace", Reviews, Ratings, "-o", "html", "--at", "2026-11-20T10:00:00Z");
        var late = Cli.RunAt(new FixedClock(AnalyzeTestKit.FixtureNow.GetUtcNow().AddDays(3)), "trace", Reviews, Ratings, "-o", "html", "--at", "2026-11-20T10:00:00Z");

        Assert.Equal(0, early.ExitCode);
        Assert.Equal(early.Out, late.Out);
        Assert.Contains("<dt>Judged at</dt><dd>2026-11-20T10:00:00Z", early.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_instant_that_is_not_a_date_When_traced_Then_one_sentence_and_exit_2()
    {
        var result = Cli.Run("trace", Reviews, Ratings, "--at", "yesterday");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--at 'yesterday' is not a date and time", result.Err, StringComparison.Ordinal);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Theory]
    [InlineData("weighted-shift")]
    [InlineData("outlier-lost")]
    [InlineData("rbac-gained")]
    public void Given_a_diff_fixture_When_rendered_as_html_Then_it_has_a_row_per_changed_path_and_every_summary_sentence(string fixture)
    {
        var html = Cli.Run("diff", Side(fixture, "before"), Side(fixture, "after"), "-o", "html", "--exit-code");
        var json = JsonNode.Parse(Cli.Run("diff", Side(fixture, "before"), Side(fixture, "after"), "-o", "json").Out)!;

        Assert.Equal(1, html.ExitCode);
        var changes = json["changes"]!.AsArray();
        var fieldChanges = changes.Count(c => c!["path"]!.GetValue<string>().Length > 0);
        Assert.Equal(fieldChanges, Regex.Count(html.Out, "<tr data-change="));
        foreach (var sentence in json["summaries"]!.AsArray())
        {
            Assert.Contains("<li>" + Reporting.Html.HtmlWriter.Escape(sentence!.GetValue<string>()) + "</li>", html.Out, StringComparison.Ordinal);
        }

        Assert.Single(Regex.Matches(html.Out, "<script"));
    }

    [Fact]
    public void Given_full_and_html_When_diffed_Then_exit_2_with_one_sentence_and_no_page()
    {
        var result = Cli.Run("diff", Side("outlier-lost", "before"), Side("outlier-lost", "after"), "--full", "outbound|9080||ratings.default.svc.cluster.local", "-o", "html");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal("envoylens: --full prints one resource's unified diff as text and has no HTML form; leave out -o html, or --full for the HTML page of every change.\n", result.Err);
    }

    [Fact]
    public void Given_a_request_that_stops_When_traced_as_html_Then_the_stopping_hop_is_the_one_highlighted_and_the_exit_code_is_the_traces()
    {
        var html = Cli.Run("trace", Reviews, "http://nosuch.example:9080/", "--address", "10.96.121.33", "-o", "html");
        var json = JsonNode.Parse(Cli.Run("trace", Reviews, "http://nosuch.example:9080/", "--address", "10.96.121.33", "-o", "json").Out)!;

        Assert.Equal(1, html.ExitCode);
        Assert.Equal(json["hops"]!.AsArray().Count, Regex.Count(html.Out, "<div class=\"hop[ \"]"));
        Assert.Single(Regex.Matches(html.Out, "class=\"hop stop\""));
        Assert.Contains("[stops here]", html.Out, StringComparison.Ordinal);
    }
}
