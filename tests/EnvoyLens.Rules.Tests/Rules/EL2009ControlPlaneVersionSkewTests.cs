using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn.State;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL2009ControlPlaneVersionSkewTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL2009");

    [Fact]
    public void Given_an_ISTIO_VERSION_other_than_the_control_plane_reports_When_checked_Then_both_versions_are_reported()
    {
        var finding = RuleFixtures.SingleFailure("EL2009");

        Assert.Equal("EL2009", finding.RuleId);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.Bootstrap, "sidecar~10.244.1.15~reviews-v1-6c8d7b9f4-x2x7q.default~default.svc.cluster.local"), finding.Resource);
        Assert.Equal("/proxy/version", finding.Pointer.Value);
        Assert.EndsWith("/control_plane.json", finding.Source, StringComparison.Ordinal);
        RuleFixtures.AssertArguments(
            finding,
            ("proxy_version", "1.23.4"),
            ("control_plane", "istiod-7d9c8f6b5-abcde"),
            ("reported_version", "1.24.2"));
    }

    [Theory]
    [InlineData("1.24.2", "1.24.2", true)]
    [InlineData("1.24.2", "1.24.2-distroless", true)]
    [InlineData("1.24.2", "1.24.3", false)]
    [InlineData("1.24-dev", "1.25-dev", false)]
    public void Versions_are_the_same_as_text_or_as_version_numbers(string a, string b, bool same) =>
        Assert.Equal(same, EL2009ControlPlaneVersionSkew.Same(a, b));
}
