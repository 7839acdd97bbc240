using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL3002DuplicateFilterChainMatchTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL3002");

    [Fact]
    public void Given_two_chains_with_the_same_SNI_match_When_checked_Then_the_later_chain_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL3002");

        Assert.Equal("EL3002", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL3002").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Listener, "tls_8443"), finding.Resource);
        Assert.Equal("/configs/0/dynamic_listeners/1/active_state/listener/filter_chains/1", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("earlier", "api"),
            ("filter_chain", "api-v2"),
            ("listener", "tls_8443"),
            ("match", "server_names api.example.com; transport_protocol tls"));
    }
}
