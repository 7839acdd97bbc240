using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL3102SanTrustDomainMismatchTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL3102");

    [Fact]
    public void Given_a_SAN_matcher_of_another_trust_domain_When_checked_Then_both_trust_domains_are_named()
    {
        var finding = RuleFixtures.SingleFailure("EL3102");

        Assert.Equal("EL3102", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL3102").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, "api"), finding.Resource);
        Assert.Equal("/configs/2/dynamic_active_clusters/0/cluster/transport_socket/typed_config", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("cluster", "api"),
            ("own_trust_domain", "cluster.local"),
            ("trust_domains", "other.example"));
    }
}
