using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL5005RequestsWithoutRouteOrHostTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL5005");

    [Fact]
    public void Given_no_route_counts_of_an_HCM_When_checked_Then_the_listener_holding_the_HCM_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL5005");

        Assert.Equal("EL5005", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL5005").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Listener, "http_8080"), finding.Resource);
        Assert.Equal("/configs/0/dynamic_listeners/0/active_state/listener", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("counters", "no_route 5"),
            ("owner", "ingress_http"),
            ("period", "since the proxy started"),
            ("scope", "HTTP connection manager"));
    }
}
