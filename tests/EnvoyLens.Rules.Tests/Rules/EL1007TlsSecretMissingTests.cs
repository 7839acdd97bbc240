using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL1007TlsSecretMissingTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL1007");

    [Fact]
    public void Given_upstream_TLS_whose_validation_secret_is_absent_When_checked_Then_the_secret_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL1007");

        Assert.Equal("EL1007", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL1007").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, "api"), finding.Resource);
        Assert.Equal("/configs/1/dynamic_active_clusters/0/cluster/transport_socket/typed_config", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("owner", "Cluster api"),
            ("secret", "ROOTCA"),
            ("state", "missing"),
            ("usage", "validation context"));
    }
}
