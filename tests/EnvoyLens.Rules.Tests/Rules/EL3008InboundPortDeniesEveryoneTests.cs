using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL3008InboundPortDeniesEveryoneTests
{
    [Fact]
    public void Given_a_port_with_one_chain_without_rbac_and_one_with_policies_that_can_match_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL3008");

    [Fact]
    public void Given_a_port_whose_tls_chain_allows_no_policy_and_raw_chain_denies_everything_When_checked_Then_the_port_is_reported_once()
    {
        var finding = RuleFixtures.SingleFailure("EL3008");

        Assert.Equal("EL3008", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL3008").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Listener, "virtualInbound"), finding.Resource);
        Assert.Equal("/configs/0/dynamic_listeners/0/active_state/listener/filter_chains/0", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("filter", "envoy.filters.http.rbac"),
            ("filter_chain", "0.0.0.0_9080"),
            ("listener", "virtualInbound"),
            ("port", "9080"),
            ("why", "has action ALLOW and no policies"));
    }
}
