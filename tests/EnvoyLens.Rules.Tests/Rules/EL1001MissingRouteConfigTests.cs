using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL1001MissingRouteConfigTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL1001");

    [Fact]
    public void Given_an_HCM_naming_an_absent_RDS_config_When_checked_Then_the_listener_and_route_config_are_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL1001");

        Assert.Equal("EL1001", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL1001").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Listener, "http_8080"), finding.Resource);
        Assert.Equal("/configs/0/dynamic_listeners/0/active_state/listener/filter_chains/0/filters/0/typed_config/rds", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("listener", "http_8080"),
            ("route_config", "missing-routes"));
    }
}
