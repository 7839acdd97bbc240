using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL1002RouteMissingClusterTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL1002");

    [Fact]
    public void Given_a_weighted_cluster_entry_naming_an_absent_cluster_When_checked_Then_only_that_entry_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL1002");

        Assert.Equal("EL1002", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL1002").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.RouteConfig, "web"), finding.Resource);
        Assert.Equal("/configs/2/dynamic_route_configs/0/route_config/virtual_hosts/0/routes/0", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("cluster", "api-canary"),
            ("route", "prefix '/api'"),
            ("route_config", "web"),
            ("virtual_host", "web"));
    }
}
