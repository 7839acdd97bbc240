using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL3103OutlierEjectsAllHostsTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL3103");

    [Fact]
    public void Given_max_ejection_percent_100_When_checked_Then_the_setting_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL3103");

        Assert.Equal("EL3103", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL3103").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, "api"), finding.Resource);
        Assert.Equal("/configs/1/dynamic_active_clusters/0/cluster/outlier_detection/max_ejection_percent", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("cluster", "api"),
            ("percent", "100"));
    }
}
