using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL3006RouteTimeoutDisabledTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL3006");

    [Fact]
    public void Given_a_route_with_timeout_0s_When_checked_Then_the_route_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL3006");

        Assert.Equal("EL3006", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL3006").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.RouteConfig, "web"), finding.Resource);
        Assert.Equal("/configs/2/dynamic_route_configs/0/route_config/virtual_hosts/0/routes/1", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("route", "prefix '/'"),
            ("route_config", "web"),
            ("virtual_host", "web"));
    }
}
