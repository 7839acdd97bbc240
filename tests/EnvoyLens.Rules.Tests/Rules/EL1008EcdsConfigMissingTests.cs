using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL1008EcdsConfigMissingTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL1008");

    [Fact]
    public void Given_an_HTTP_filter_waiting_for_absent_ECDS_config_When_checked_Then_the_filter_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL1008");

        Assert.Equal("EL1008", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL1008").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Listener, "http_8080"), finding.Resource);
        Assert.Equal("/configs/0/dynamic_listeners/0/active_state/listener/filter_chains/0/filters/0/typed_config/http_filters/0", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("ecds", "rbac-policy"),
            ("filter", "rbac-policy"),
            ("listener", "http_8080"));
    }
}
