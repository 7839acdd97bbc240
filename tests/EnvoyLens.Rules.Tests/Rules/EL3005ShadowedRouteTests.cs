using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL3005ShadowedRouteTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL3005");

    [Fact]
    public void Given_prefix_slash_before_prefix_api_When_checked_Then_the_api_route_is_reported_unreachable()
    {
        var finding = RuleFixtures.SingleFailure("EL3005");

        Assert.Equal("EL3005", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL3005").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.RouteConfig, "web"), finding.Resource);
        Assert.Equal("/configs/2/dynamic_route_configs/0/route_config/virtual_hosts/0/routes/1", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("route", "prefix '/api'"),
            ("route_config", "web"),
            ("shadowed_by", "prefix '/'"),
            ("virtual_host", "web"));
    }
}
