using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL3105ConnectTimeoutExtremeTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL3105");

    [Fact]
    public void Given_a_50ms_connect_timeout_When_checked_Then_the_timeout_is_reported_as_too_low()
    {
        var finding = RuleFixtures.SingleFailure("EL3105");

        Assert.Equal("EL3105", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL3105").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, "api"), finding.Resource);
        Assert.Equal("/configs/1/dynamic_active_clusters/0/cluster/connect_timeout", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("cluster", "api"),
            ("connect_timeout", "0.05s"),
            ("judgement", "below 0.1s, slow handshakes will fail"));
    }
}
