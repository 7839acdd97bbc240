using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn.State;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL2008ControlPlaneStaleTests
{
    [Fact]
    public void Given_a_type_STALE_for_two_minutes_at_capture_When_checked_Then_it_is_under_the_threshold_and_not_reported() =>
        RuleFixtures.AssertPasses("EL2008");

    [Fact]
    public void Given_a_type_STALE_for_twenty_minutes_at_capture_When_checked_Then_it_is_reported_with_its_duration()
    {
        var finding = RuleFixtures.SingleFailure("EL2008");

        Assert.Equal("EL2008", finding.RuleId);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Bootstrap, "sidecar~10.244.1.15~reviews-v1-6c8d7b9f4-x2x7q.default~default.svc.cluster.local"), finding.Resource);
        Assert.Equal("/proxy/types/3", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("control_plane", "istiod-7d9c8f6b5-abcde"),
            ("type", "RDS"),
            ("how_long", "for 20 minutes (since 2026-11-20T09:40:00Z)"),
            ("version", "2026-11-20T09:40:00Z/41"));
    }

    [Fact]
    public void Given_the_wall_clock_far_after_the_capture_When_checked_Then_the_duration_is_still_judged_from_the_capture_time()
    {
        var finding = RuleFixtures.SingleFailure("EL2008", new FixedClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal("for 20 minutes (since 2026-11-20T09:40:00Z)", finding.Arguments["how_long"]);
        Assert.Empty(RuleFixtures.Run("EL2008", "pass", new FixedClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero))).Findings);
    }

    [Fact]
    public void Given_a_STALE_type_without_a_since_time_When_checked_Then_it_is_reported_without_a_duration()
    {
        var report = RuleFixtures.Run("EL2008", "no-since");

        var finding = Assert.Single(report.Findings);
        Assert.Equal("/proxy/types/3", finding.Pointer.Value);
        Assert.Equal("(for how long the capture does not say)", finding.Arguments["how_long"]);
        Assert.Equal("2026-11-20T09:58:00Z/42", finding.Arguments["version"]);
    }

    [Theory]
    [InlineData(5, "5 minutes")]
    [InlineData(119, "119 minutes")]
    [InlineData(180, "3 hours")]
    [InlineData(60 * 72, "3 days")]
    public void Durations_are_said_in_minutes_hours_or_days(int minutes, string expected) =>
        Assert.Equal(expected, EL2008ControlPlaneStale.Duration(TimeSpan.FromMinutes(minutes)));
}
