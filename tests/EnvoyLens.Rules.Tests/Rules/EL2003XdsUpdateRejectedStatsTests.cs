using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL2003XdsUpdateRejectedStatsTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL2003");

    [Fact]
    public void Given_an_LDS_update_rejected_counter_above_zero_When_checked_Then_the_counter_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL2003");

        Assert.Equal("EL2003", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL2003").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Stats, "listener_manager.lds.update_rejected"), finding.Resource);
        Assert.Equal("", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("meaning", "the proxy rejected configuration it was sent"),
            ("stat", "listener_manager.lds.update_rejected"),
            ("value", "3"),
            ("xds_type", "LDS"));
    }
}
