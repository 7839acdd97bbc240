using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL2007ControlPlaneNackTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL2007");

    [Fact]
    public void Given_a_listener_the_proxy_NACKed_When_checked_Then_the_type_resource_and_the_control_planes_error_text_are_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL2007");

        Assert.Equal("EL2007", finding.RuleId);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Listener, "0.0.0.0_9080"), finding.Resource);
        Assert.Equal("/proxy/types/1/errors/0", finding.Pointer.Value);
        Assert.EndsWith("/control_plane.json", finding.Source, StringComparison.Ordinal);
        RuleFixtures.AssertArguments(
            finding,
            ("type", "LDS"),
            ("resource", "0.0.0.0_9080"),
            ("control_plane", "istiod-7d9c8f6b5-abcde"),
            ("details", "Error adding/updating listener(s) 0.0.0.0_9080: duplicate filter chain match"));
        Assert.Equal("2026-11-20T09:45:00Z/41", finding.Evidence["rejected_version"]);
    }

    [Fact]
    public void Given_a_capture_without_the_control_planes_view_When_analyzed_Then_the_rule_is_not_run()
    {
        var rule = RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL2007");

        var outcome = new RuleRunner([rule]).Run(RuleFixtures.Context("EL2006", "fail")).Outcomes.Single();

        Assert.Equal(RuleStatus.NotRun, outcome.Status);
        Assert.Contains("the control plane's view (snapshot --control-plane)", outcome.Reason, StringComparison.Ordinal);
    }
}
