using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL1004EdsClusterWithoutEndpointsTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL1004");

    [Fact]
    public void Given_an_EDS_cluster_without_a_load_assignment_When_checked_Then_it_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL1004");

        Assert.Equal("EL1004", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL1004").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, "api"), finding.Resource);
        Assert.Equal("/configs/1/dynamic_active_clusters/0/cluster", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("cluster", "api"),
            ("problem", "no ClusterLoadAssignment for 'api'"));
    }
}
