using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL5003CircuitBreakingObservedTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL5003");

    [Fact]
    public void Given_pending_request_overflows_When_checked_Then_the_cluster_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL5003");

        Assert.Equal("EL5003", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL5003").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, "outbound|9080||api.default.svc.cluster.local"), finding.Resource);
        Assert.Equal("/configs/1/dynamic_active_clusters/0/cluster", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("cluster", "outbound|9080||api.default.svc.cluster.local"),
            ("counters", "upstream_rq_pending_overflow 12"),
            ("period", "since the proxy started"));
    }
}
