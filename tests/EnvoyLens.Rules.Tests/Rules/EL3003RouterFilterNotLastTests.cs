using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL3003RouterFilterNotLastTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL3003");

    [Fact]
    public void Given_the_router_before_another_filter_When_checked_Then_its_position_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL3003");

        Assert.Equal("EL3003", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL3003").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Listener, "http_8080"), finding.Resource);
        Assert.Equal("/configs/0/dynamic_listeners/0/active_state/listener/filter_chains/0/filters/0/typed_config/http_filters/0", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("filter_chain", "#0"),
            ("listener", "http_8080"),
            ("problem", "have the router filter at position 1 of 2, before envoy.filters.http.cors"));
    }
}
