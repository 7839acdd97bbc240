using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL2004ControlPlaneDisconnectedTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL2004");

    [Fact]
    public void Given_connected_state_zero_When_checked_Then_the_disconnection_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL2004");

        Assert.Equal("EL2004", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL2004").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Stats, "control_plane.connected_state"), finding.Resource);
        Assert.Equal("", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("stat", "control_plane.connected_state"),
            ("value", "0"));
    }
}
