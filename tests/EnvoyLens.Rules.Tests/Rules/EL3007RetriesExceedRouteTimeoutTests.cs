using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL3007RetriesExceedRouteTimeoutTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL3007");

    [Fact]
    public void Given_three_attempts_of_4s_under_a_10s_timeout_When_checked_Then_the_route_and_the_arithmetic_are_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL3007");

        Assert.Equal("EL3007", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL3007").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.RouteConfig, "web"), finding.Resource);
        Assert.Equal("/configs/2/dynamic_route_configs/0/route_config/virtual_hosts/0/routes/1", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("problem", "3 attempts of 4s need 12s, more than the 10s route timeout"),
            ("route", "prefix '/'"),
            ("route_config", "web"),
            ("virtual_host", "web"));
    }
}
