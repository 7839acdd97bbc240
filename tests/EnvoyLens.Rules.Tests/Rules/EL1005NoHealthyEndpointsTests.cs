using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL1005NoHealthyEndpointsTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL1005");

    [Fact]
    public void Given_a_cluster_whose_hosts_are_unhealthy_or_draining_When_checked_Then_it_is_reported_with_each_hosts_state()
    {
        var finding = RuleFixtures.SingleFailure("EL1005");

        Assert.Equal("EL1005", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL1005").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, "api"), finding.Resource);
        Assert.Equal("/configs/1/dynamic_active_clusters/0/cluster", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("cluster", "api"),
            ("endpoints", "2"),
            ("problems", "1 DRAINING, 1 UNHEALTHY"));
    }
}
