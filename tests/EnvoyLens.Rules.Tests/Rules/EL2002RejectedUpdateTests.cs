using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL2002RejectedUpdateTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL2002");

    [Fact]
    public void Given_a_listener_with_an_error_state_When_checked_Then_details_and_time_are_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL2002");

        Assert.Equal("EL2002", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL2002").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Listener, "http_8080"), finding.Resource);
        Assert.Equal("/configs/0/dynamic_listeners/0/error_state", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("details", "Error adding/updating listener(s) http_8080: envoy.filters.http.router must be the last filter in a http filter chain."),
            ("kind", "Listener"),
            ("name", "http_8080"),
            ("when", " at 2026-11-20T09:55:00Z"));
    }
}
