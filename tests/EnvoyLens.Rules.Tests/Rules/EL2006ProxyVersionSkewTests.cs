using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.BuiltIn.State;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests.Rules;

public sealed class EL2006ProxyVersionSkewTests
{
    [Fact]
    public void Given_the_pass_fixture_When_checked_Then_nothing_is_reported() => RuleFixtures.AssertPasses("EL2006");

    [Fact]
    public void Given_an_ISTIO_VERSION_whose_Envoy_differs_from_server_info_When_checked_Then_the_skew_is_reported_at_the_node_metadata()
    {
        var finding = RuleFixtures.SingleFailure("EL2006");

        Assert.Equal("EL2006", finding.RuleId);
        Assert.Equal(RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == "EL2006").Descriptor.DefaultSeverity, finding.Severity);
        Assert.Equal(new ResourceRef(ResourceKind.ServerInfo, "server_info"), finding.Resource);
        Assert.Equal("/configs/0/bootstrap/node/metadata/ISTIO_VERSION", finding.Pointer.Value);
        RuleFixtures.AssertArguments(
            finding,
            ("claim", "The node's ISTIO_VERSION is 1.22.1, whose proxy ships Envoy 1.30"),
            ("envoy_version", "1.32.3"));
    }

    [Theory]
    [InlineData("8e5b2c7a/1.32.3/Clean/RELEASE/BoringSSL", "1.32.3")]
    [InlineData("1.24.2", "1.24.2")]
    [InlineData("1.25-dev", "1.25")]
    [InlineData("e0f3a8b/1.13.1-dev/Clean/RELEASE/BoringSSL", "1.13.1")]
    [InlineData("not a version", null)]
    [InlineData("", null)]
    public void Versions_are_read_from_server_info_build_strings_and_istio_versions(string text, string? expected)
    {
        var v = EL2006ProxyVersionSkew.Version(text);

        Assert.Equal(expected, v is { } x ? (x.Patch is { } p ? $"{x.Major}.{x.Minor}.{p}" : $"{x.Major}.{x.Minor}") : null);
    }
}
