using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL1003NetworkFilterMissingClusterTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL1003");

    [Fact]
    public void Given_a_tcp_proxy_to_an_absent_cluster_When_checked_Then_the_listener_and_cluster_are_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL1003");

        Assert.Equal("EL1003", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL1003").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Listener, "tcp_9000"), finding.Resource);
        Assert.Equal("/configs/0/dynamic_listeners/1/active_state/listener/filter_chains/0/filters/0/typed_config", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("cluster", "db"),
            ("filter", "envoy.filters.network.tcp_proxy"),
            ("filter_chain", "#0"),
            ("listener", "tcp_9000"));
    }
}
