using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL3001DuplicateListenerAddressTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL3001");

    [Fact]
    public void Given_two_bound_listeners_on_one_port_When_checked_Then_the_second_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL3001");

        Assert.Equal("EL3001", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL3001").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Listener, "http_8080_copy"), finding.Resource);
        Assert.Equal("/configs/0/dynamic_listeners/1/active_state/listener", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("address", "0.0.0.0:8080"),
            ("listener", "http_8080_copy"),
            ("other", "http_8080"));
    }
}
