using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL2001WarmingResourceTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL2001");

    [Fact]
    public void Given_a_cluster_warming_for_ten_minutes_When_checked_at_a_fixed_instant_Then_the_duration_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL2001");

        Assert.Equal("EL2001", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL2001").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, "api-canary"), finding.Resource);
        Assert.Equal("/configs/1/dynamic_warming_clusters/0/cluster", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("kind", "Cluster"),
            ("name", "api-canary"),
            ("since", "for 10m00s (since 2026-11-20T09:50:00Z)"));
    }
}
