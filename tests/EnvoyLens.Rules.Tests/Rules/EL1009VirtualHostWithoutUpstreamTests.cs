using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL1009VirtualHostWithoutUpstreamTests
{
    [Fact]
    public void Given_a_host_whose_weighted_share_still_has_a_healthy_cluster_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL1009");

    [Fact]
    public void Given_a_host_whose_routes_lead_only_to_a_missing_and_an_unhealthy_cluster_When_checked_Then_that_host_alone_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL1009");

        Assert.Equal("EL1009", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL1009").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.RouteConfig, "web"), finding.Resource);
        Assert.Equal("/configs/2/dynamic_route_configs/0/route_config/virtual_hosts/1", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("clusters", "ratings-v1: NC; ratings-v2: UH"),
            ("route_config", "web"),
            ("routes", "2"),
            ("virtual_host", "ratings"));
    }
}
