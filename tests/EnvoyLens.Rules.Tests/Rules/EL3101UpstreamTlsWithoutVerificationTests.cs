using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL3101UpstreamTlsWithoutVerificationTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL3101");

    [Fact]
    public void Given_upstream_TLS_without_a_validation_context_When_checked_Then_the_cluster_is_reported_at_its_TLS_context()
    {
        var finding = RuleFixtures.SingleFailure("EL3101");

        Assert.Equal("EL3101", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL3101").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, "api"), finding.Resource);
        Assert.Equal("/configs/1/dynamic_active_clusters/0/cluster/transport_socket/typed_config", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("cluster", "api"),
            ("via", "transport_socket"));
    }
}
