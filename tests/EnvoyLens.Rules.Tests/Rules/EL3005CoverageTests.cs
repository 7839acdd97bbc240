using EnvoyLens.Model;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.BuiltIn.Config;

namespace EnvoyLens.Rules.Tests.Rules;

/// <summary>When one route match covers another (EL3005's core).</summary>
public sealed class EL3005CoverageTests
{
    private static RouteMatch M(PathMatchKind kind, string value, bool caseSensitive = true, bool header = false) =>
        new(kind, value, caseSensitive, header ? [new HeaderMatch("x-canary", "exact", "1", false)] : [], [], false);

    [Theory]
    [InlineData(PathMatchKind.Prefix, "/", PathMatchKind.SafeRegex, "/api/.*", true)]
    [InlineData(PathMatchKind.Prefix, "/api", PathMatchKind.Path, "/api/v1", true)]
    [InlineData(PathMatchKind.Prefix, "/api", PathMatchKind.Prefix, "/ap", false)]
    [InlineData(PathMatchKind.Path, "/login", PathMatchKind.Path, "/login", true)]
    [InlineData(PathMatchKind.Path, "/login", PathMatchKind.Prefix, "/login", false)]
    [InlineData(PathMatchKind.PathSeparatedPrefix, "/api", PathMatchKind.Path, "/apix", false)]
    [InlineData(PathMatchKind.PathSeparatedPrefix, "/api", PathMatchKind.Path, "/api/x", true)]
    public void Path_matches_cover_as_Envoy_matches(PathMatchKind earlier, string a, PathMatchKind later, string b, bool covers) =>
        Assert.Equal(covers, EL3005ShadowedRoute.Covers(M(earlier, a), M(later, b)));

    [Fact]
    public void An_earlier_route_with_a_header_condition_covers_nothing() =>
        Assert.False(EL3005ShadowedRoute.Covers(M(PathMatchKind.Prefix, "/", header: true), M(PathMatchKind.Prefix, "/api")));

    [Fact]
    public void A_case_sensitive_route_does_not_cover_a_case_insensitive_one_but_the_reverse_holds()
    {
        Assert.False(EL3005ShadowedRoute.Covers(M(PathMatchKind.Prefix, "/api"), M(PathMatchKind.Prefix, "/api/v1", caseSensitive: false)));
        Assert.True(EL3005ShadowedRoute.Covers(M(PathMatchKind.Prefix, "/API", caseSensitive: false), M(PathMatchKind.Prefix, "/api/v1")));
    }
}
