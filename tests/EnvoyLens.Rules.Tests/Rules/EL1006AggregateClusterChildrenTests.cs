using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL1006AggregateClusterChildrenTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL1006");

    [Fact]
    public void Given_an_aggregate_cluster_with_a_missing_child_When_checked_Then_the_child_is_named()
    {
        var finding = RuleFixtures.SingleFailure("EL1006");

        Assert.Equal("EL1006", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL1006").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, "api-failover"), finding.Resource);
        Assert.Equal("/configs/1/dynamic_active_clusters/2/cluster", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("children", "api-dr"),
            ("cluster", "api-failover"),
            ("problem", "a child cluster does not exist"));
    }
}
