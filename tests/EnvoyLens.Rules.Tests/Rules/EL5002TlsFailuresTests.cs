using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL5002TlsFailuresTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL5002");

    [Fact]
    public void Given_listener_clients_without_certificates_When_checked_Then_the_listener_is_resolved_from_its_dotted_address()
    {
        var finding = RuleFixtures.SingleFailure("EL5002");

        Assert.Equal("EL5002", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL5002").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Listener, "http_8080"), finding.Resource);
        Assert.Equal("/configs/0/dynamic_listeners/0/active_state/listener", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("counters", "ssl.fail_verify_no_cert 4"),
            ("owner", "0.0.0.0_8080"),
            ("period", "since the proxy started"),
            ("scope", "Listener"));
    }
}
