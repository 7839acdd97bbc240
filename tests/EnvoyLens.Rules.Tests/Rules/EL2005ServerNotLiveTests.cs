using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL2005ServerNotLiveTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL2005");

    [Fact]
    public void Given_a_server_still_initializing_When_checked_Then_its_state_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL2005");

        Assert.Equal("EL2005", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL2005").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.ServerInfo, "server_info"), finding.Resource);
        Assert.Equal("/state", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("problem", "server state is PRE_INITIALIZING, not LIVE"));
    }
}

public sealed class EL2005InitTargetTests
{
    [Fact]
    public void Given_a_live_server_with_an_unready_init_target_When_checked_Then_the_manager_and_targets_are_reported()
    {
        var info = new EnvoyLens.Model.ServerInfo("1.32.3", "LIVE", null, null, null, null, "server_info.json");
        var snapshot = new EnvoyLens.Model.EnvoySnapshot(
            "test", [], null, info, [], [], [], [], [], [], [], [], [],
            [new EnvoyLens.Model.InitTarget("Listener-local-init-manager http_8080", ["RDS local-init-target web"])], null, [], []);
        var rule = RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL2005");

        var report = new RuleRunner([rule]).Run(new RuleContext(snapshot, FixedClock.FixtureNow, RuleInputs.ServerInfo | RuleInputs.InitDump));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(new ResourceRef(ResourceKind.ServerInfo, "server_info"), finding.Resource);
        Assert.Equal("/init_dump", finding.Source);
        RuleFixtures.AssertArguments(finding, ("problem", "init manager 'Listener-local-init-manager http_8080' waits for RDS local-init-target web"));
    }
}
