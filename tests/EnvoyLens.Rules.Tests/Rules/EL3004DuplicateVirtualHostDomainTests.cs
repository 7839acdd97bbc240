using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL3004DuplicateVirtualHostDomainTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL3004");

    [Fact]
    public void Given_two_virtual_hosts_claiming_one_domain_in_different_case_When_checked_Then_the_later_is_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL3004");

        Assert.Equal("EL3004", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL3004").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.RouteConfig, "web"), finding.Resource);
        Assert.Equal("/configs/2/dynamic_route_configs/0/route_config/virtual_hosts/1", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("domain", "WEB.example.com"),
            ("other", "web"),
            ("route_config", "web"),
            ("virtual_host", "web-alias"));
    }
}
