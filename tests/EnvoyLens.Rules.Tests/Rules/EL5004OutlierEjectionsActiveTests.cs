using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL5004OutlierEjectionsActiveTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL5004");

    [Fact]
    public void Given_an_ejected_host_When_checked_Then_the_cluster_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL5004");

        Assert.Equal("EL5004", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL5004").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, "outbound|9080||api.default.svc.cluster.local"), finding.Resource);
        Assert.Equal("/configs/1/dynamic_active_clusters/0/cluster", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("cluster", "outbound|9080||api.default.svc.cluster.local"),
            ("ejected", "1"));
    }
}
