using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL5001UpstreamConnectFailuresTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL5001");

    [Fact]
    public void Given_connect_failures_of_a_cluster_whose_name_has_dots_When_checked_Then_the_cluster_is_resolved_from_the_config_and_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL5001");

        Assert.Equal("EL5001", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL5001").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, "outbound|9080||api.default.svc.cluster.local"), finding.Resource);
        Assert.Equal("/configs/1/dynamic_active_clusters/0/cluster", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("cluster", "outbound|9080||api.default.svc.cluster.local"),
            ("counters", "upstream_cx_connect_fail 7, upstream_cx_connect_timeout 2"),
            ("period", "since the proxy started"));
    }

    [Fact]
    public void Given_two_stats_samples_30s_apart_When_checked_Then_the_counters_speak_of_the_interval_and_its_rate()
    {
        var context = RuleFixtures.Context("EL5001", "fail");
        var current = context.Snapshot.Stats!;
        var t1 = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        var earlier = new StatsSnapshot(
            current.Stats.Select(s => s.Name.EndsWith(".upstream_cx_connect_fail", StringComparison.Ordinal) ? s with { Value = 4 } : s).ToList(),
            "stats-before.txt",
            current.Format) { CapturedAt = t1.AddSeconds(-30) };
        var snapshot = context.Snapshot.WithStats(current.WithEarlier(earlier, t1));
        var rule = RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL5001");

        var report = new RuleRunner([rule]).Run(new RuleContext(snapshot, context.Clock, context.Available));

        var finding = Assert.Single(report.Findings);
        RuleFixtures.AssertArguments(
            finding,
            ("cluster", "outbound|9080||api.default.svc.cluster.local"),
            ("counters", "upstream_cx_connect_fail 3"),
            ("period", "in the 30s between the two stats samples (0.1/s)"));
    }

    [Fact]
    public void Given_two_samples_with_no_increase_When_checked_Then_lifetime_totals_are_not_reported()
    {
        var context = RuleFixtures.Context("EL5001", "fail");
        var current = context.Snapshot.Stats!;
        var snapshot = context.Snapshot.WithStats(current.WithEarlier(current));
        var rule = RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL5001");

        var report = new RuleRunner([rule]).Run(new RuleContext(snapshot, context.Clock, context.Available));

        Assert.Empty(report.Findings);
    }

    [Fact]
    public void Given_an_Istio_cluster_When_reported_Then_evidence_names_service_port_and_direction()
    {
        var finding = RuleFixtures.SingleFailure("EL5001");

        Assert.Equal("api.default.svc.cluster.local", finding.Evidence["service_fqdn"]);
        Assert.Equal("9080", finding.Evidence["service_port"]);
        Assert.Equal("outbound", finding.Evidence["direction"]);
        Assert.Equal("UF", finding.Evidence["response_flag"]);
    }

    [Fact]
    public void Given_an_earlier_sample_without_the_counter_When_checked_Then_the_total_since_start_is_reported_not_a_false_rate()
    {
        var context = RuleFixtures.Context("EL5001", "fail");
        var earlier = new StatsSnapshot([], "stats-before.txt", "prometheus");
        var snapshot = context.Snapshot.WithStats(context.Snapshot.Stats!.WithEarlier(earlier));
        var rule = RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL5001");

        var report = new RuleRunner([rule]).Run(new RuleContext(snapshot, context.Clock, context.Available));

        Assert.Equal("since the proxy started", Assert.Single(report.Findings).Arguments["period"]);
    }
}
