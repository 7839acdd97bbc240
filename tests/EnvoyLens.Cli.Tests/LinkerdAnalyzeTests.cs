using System.Text.Json;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary><c>analyze</c> and <c>decode</c> of a linkerd2-proxy's <c>/metrics</c>.</summary>
public sealed class LinkerdAnalyzeTests
{
    private static readonly TimeProvider FixtureNow = new Clock(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));

    private static string Metrics(string rule, string variant) =>
        Path.Combine(Directory.GetDirectories(TestPaths.Fixture("rules"), rule + "-*").Single(), variant, "metrics.txt");

    [SkippableFact]
    public void Given_the_real_linkerd_capture_When_analyzed_Then_it_says_linkerd_and_runs_the_linkerd_rules_only()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");

        var result = Cli.RunAt(FixtureNow, "analyze", TestPaths.CorpusFile("stats", "linkerd-proxy-diagnostics-metrics.txt"));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Linkerd proxy (linkerd2-proxy): the Linkerd rules (EL6xxx) judge its /metrics; the Envoy rules do not apply.\n\nWARNING (2)\n  EL6005  Stats 10.42.0.63:8080\n", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT RUN", result.Out, StringComparison.Ordinal);
        Assert.EndsWith("2 finding(s): 0 error, 2 warning, 0 info (56 rules: 1 passed, 1 failed, 54 not applicable, 0 not run, 0 disabled, 0 internal error).\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_expired_identity_certificate_When_analyzed_at_an_instant_Then_it_is_an_error_with_its_expiry_time_and_exit_1()
    {
        var result = Cli.RunAt(TimeProvider.System, "analyze", Metrics("EL6001", "fail"), "--at", "2026-11-20T10:00:00Z", "-o", "json");

        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("linkerd2-proxy", doc.RootElement.GetProperty("proxy").GetProperty("kind").GetString());
        Assert.Equal("enterprise-2.16.1", doc.RootElement.GetProperty("proxy").GetProperty("version").GetString());
        var finding = doc.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("ruleId").GetString() == "EL6001");
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal("The proxy's identity certificate expired at 2026-11-19T10:00:00Z, 1d 0h before 2026-11-20T10:00:00Z", finding.GetProperty("message").GetString());
    }

    [Fact]
    public void Given_the_same_capture_at_an_instant_before_expiry_When_analyzed_Then_EL6001_passes()
    {
        var result = Cli.RunAt(TimeProvider.System, "analyze", Metrics("EL6001", "fail"), "--at", "2026-11-19T00:00:00Z", "-o", "json");

        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("passed", doc.RootElement.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "EL6001").GetProperty("status").GetString());
    }

    [Fact]
    public void Given_a_linkerd_metrics_file_When_decoded_Then_the_proxy_kind_version_and_what_was_read_are_reported()
    {
        var text = Cli.RunAt(FixtureNow, "decode", Metrics("EL6001", "pass"));
        var json = Cli.RunAt(FixtureNow, "decode", Metrics("EL6001", "pass"), "-o", "json");

        Assert.Equal(0, text.ExitCode);
        var lines = text.Out.Split('\n');
        Assert.Equal("Proxy: linkerd2-proxy enterprise-2.16.1 (from proxy_build_info)", lines[1]);
        Assert.Contains("  metrics  metrics.txt  (", text.Out, StringComparison.Ordinal);
        Assert.Contains("  linkerdAuthorizations 2", lines);
        Assert.Contains("  linkerdControlResponses 1", lines);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal("linkerd2-proxy", doc.RootElement.GetProperty("proxy").GetProperty("kind").GetString());
        Assert.Equal("metrics", doc.RootElement.GetProperty("documents")[0].GetProperty("endpoint").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("resources").GetProperty("linkerdRequests").GetProperty("total").GetInt32());
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
