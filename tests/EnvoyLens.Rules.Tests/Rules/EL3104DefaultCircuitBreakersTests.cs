using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL3104DefaultCircuitBreakersTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL3104");

    [Fact]
    public void Given_a_busy_cluster_without_circuit_breakers_When_checked_Then_the_cluster_and_its_traffic_are_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL3104");

        Assert.Equal("EL3104", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL3104").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, "api"), finding.Resource);
        Assert.Equal("/configs/1/dynamic_active_clusters/0/cluster", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("cluster", "api"),
            ("traffic", "upstream_rq_active 700"));
    }
}
