using EnvoyLens.Admin;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;
using EnvoyLens.TestKit;

namespace EnvoyLens.Rules.Tests.Rules;

/// <summary>The Linkerd rules (EL6xxx) on their fixtures, on the real linkerd2-proxy capture, and beside the Envoy rules.</summary>
public sealed class LinkerdRulesTests
{
    [Fact]
    public void Given_an_expired_identity_certificate_When_checked_Then_it_is_an_error_with_its_expiry_time()
    {
        var finding = RuleFixtures.SingleFailure("EL6001");

        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Stats, "identity_cert_expiration_timestamp_seconds"), finding.Resource);
        RuleFixtures.AssertArguments(finding, ("expiry", "2026-11-19T10:00:00Z"), ("age", "1d 0h"), ("at", "2026-11-20T10:00:00Z"));
        Assert.EndsWith("metrics.txt", finding.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_expired_certificate_judged_before_its_expiry_When_checked_Then_it_is_not_expired_but_expiring()
    {
        var before = new FixedClock(new DateTimeOffset(2026, 11, 19, 8, 0, 0, TimeSpan.Zero));

        Assert.Empty(RuleFixtures.Run("EL6001", "fail", before).Findings);
        var expiring = Assert.Single(RuleFixtures.Run("EL6002", "fail", new FixedClock(new DateTimeOffset(2026, 11, 20, 11, 0, 0, TimeSpan.Zero))).Findings);
        Assert.Equal("1h 0m", expiring.Arguments["remaining"]);
    }

    [Fact]
    public void Given_a_proxy_that_never_obtained_a_certificate_When_checked_Then_the_refresh_count_is_named()
    {
        var finding = RuleFixtures.SingleFailure("EL6003");

        Assert.Equal("The proxy has never obtained an identity certificate: identity_cert_refresh_count is 0", finding.Message);
    }

    [Fact]
    public void Given_denied_inbound_requests_When_checked_Then_the_server_policy_and_client_are_named()
    {
        var finding = RuleFixtures.SingleFailure("EL6004");

        Assert.Equal("default:all-authenticated", finding.Arguments["server"]);
        Assert.Equal("none matched", finding.Arguments["policy"]);
        Assert.Equal("12", finding.Arguments["count"]);
        Assert.Equal("without identity (no_tls_from_remote)", finding.Arguments["client"]);
    }

    [Fact]
    public void Given_plain_text_traffic_to_an_application_port_When_checked_Then_the_admin_port_is_left_out_and_the_reason_named()
    {
        var finding = RuleFixtures.SingleFailure("EL6005");

        Assert.Equal("10.42.0.63:8080", finding.Arguments["target"]);
        Assert.Equal("no_tls_from_remote", finding.Arguments["reason"]);
        Assert.Equal("none", finding.Arguments["mtls"]);
    }

    [SkippableFact]
    public void Given_the_real_linkerd_proxy_capture_When_analyzed_Then_it_is_a_linkerd_proxy_and_only_the_linkerd_rules_judge_it()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var raw = SnapshotSources.Open(TestPaths.CorpusFile("stats", "linkerd-proxy-diagnostics-metrics.txt"));
        var snapshot = SnapshotDecoder.Decode(raw);

        var report = RulePacks.Catalog.Runner().Run(new RuleContext(snapshot, FixedClock.FixtureNow, RuleContext.InputsOf(raw, snapshot)));

        Assert.Equal(ProxyKind.Linkerd2Proxy, snapshot.Proxy);
        var envoy = report.Outcomes.Where(o => !o.RuleId.StartsWith("EL6", StringComparison.Ordinal));
        Assert.All(envoy, o => Assert.Equal(RuleStatus.NotApplicable, o.Status));
        Assert.All(envoy, o => Assert.Equal("it judges Envoy proxies, and the capture is of a Linkerd proxy (linkerd2-proxy)", o.Reason));

        // 8080 got plain text only and 8090 a request without identity beside 3147 mTLS ones; 4191 (probes) is left out.
        var findings = report.Findings.Where(f => f.RuleId == "EL6005").Select(f => f.Message).ToList();
        Assert.Equal(
        [
            "7 inbound http requests to 10.42.0.63:8080 arrived without a client identity since the proxy started (no_tls_reason no_tls_from_remote); none to it were mTLS",
            "1 inbound http requests to 10.42.0.63:8090 arrived without a client identity since the proxy started (no_tls_reason no_tls_from_remote); 3147 to it were mTLS",
        ], findings);
        Assert.Equal(RuleStatus.NotApplicable, report.Outcomes.Single(o => o.RuleId == "EL6001").Status);
        Assert.Equal(RuleStatus.Passed, report.Outcomes.Single(o => o.RuleId == "EL6004").Status);
    }

    [Fact]
    public void Given_an_envoy_capture_When_analyzed_Then_the_linkerd_rules_are_not_applicable_not_not_run()
    {
        var snapshot = RuleFixtures.Decode(TestPaths.Fixture("snapshots", "reviews"));

        var report = RulePacks.Catalog.Runner().Run(new RuleContext(snapshot, FixedClock.FixtureNow));

        var linkerd = report.Outcomes.Where(o => o.RuleId.StartsWith("EL6", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, linkerd.Count);
        Assert.All(linkerd, o => Assert.Equal(RuleStatus.NotApplicable, o.Status));
        Assert.All(linkerd, o => Assert.Equal("it judges Linkerd proxies, and the capture is of an Envoy proxy", o.Reason));
    }

    [Fact]
    public void Given_one_sample_When_the_failure_share_rule_runs_Then_it_says_it_needs_two()
    {
        var folder = RuleFixtures.Folder("EL6008", "fail");
        var raw = SnapshotSources.Open(Path.Combine(folder, "metrics.2.txt"));
        var snapshot = SnapshotDecoder.Decode(raw);
        var rule = RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL6008");

        var outcome = new RuleRunner([rule]).Run(new RuleContext(snapshot, FixedClock.FixtureNow)).Outcomes.Single();

        Assert.Equal(RuleStatus.NotApplicable, outcome.Status);
        Assert.Equal("it needs two samples of /metrics (snapshot --interval)", outcome.Reason);
    }

    [Fact]
    public void Given_two_samples_When_the_failure_share_is_judged_Then_only_the_interval_counts()
    {
        // Lifetime: 10 failures of 140 (7%); the pass fixture's 40 failures are all before the first sample.
        var finding = RuleFixtures.SingleFailure("EL6008");

        Assert.Equal("25%", finding.Arguments["share"]);
        Assert.Equal("status_code 503: 10", finding.Arguments["statuses"]);
        RuleFixtures.AssertPasses("EL6008");
    }
}
