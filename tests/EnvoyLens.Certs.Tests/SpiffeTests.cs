using EnvoyLens.Certs.Checks;
using EnvoyLens.Certs.Spiffe;

namespace EnvoyLens.Certs.Tests;

public sealed class SpiffeTests
{
    [Theory]
    [InlineData("spiffe://cluster.local/ns/default/sa/web", null)]
    [InlineData("spiffe://example.org", null)]
    [InlineData("SPIFFE://cluster.local/ns/a", "the scheme must be lowercase 'spiffe'")]
    [InlineData("https://cluster.local/ns/a", "the scheme is not spiffe://")]
    [InlineData("spiffe://Cluster.Local/ns/a", "the trust domain is not lowercase")]
    [InlineData("spiffe://cluster.local:8443/ns/a", "the trust domain has a port")]
    [InlineData("spiffe://user@cluster.local/ns/a", "the trust domain has userinfo")]
    [InlineData("spiffe:///ns/a", "the trust domain is empty")]
    [InlineData("spiffe://cluster.local/ns//a", "the path has an empty segment")]
    [InlineData("spiffe://cluster.local/ns/../a", "the path has a '..' segment")]
    [InlineData("spiffe://cluster.local/ns/./a", "the path has a '.' segment")]
    [InlineData("spiffe://cluster.local/ns/a/", "the path ends with '/'")]
    [InlineData("spiffe://cluster.local/ns/a?x=1", "it has a query or fragment")]
    [InlineData("spiffe://cluster.local/ns/a#f", "it has a query or fragment")]
    [InlineData("spiffe://cluster.local/ns/a%20b", "the path has the character '%'")]
    public void Given_a_SPIFFE_ID_When_parsed_Then_malformed_ones_say_why(string text, string? expectedError)
    {
        var id = SpiffeId.TryParse(text, out var error);

        Assert.Equal(expectedError, error);
        Assert.Equal(expectedError is null, id is not null);
    }

    [Theory]
    [InlineData("spiffe://cluster.local/ns/default/sa/web", "cluster.local")]
    [InlineData("spiffe://Cluster.Local/ns/", "cluster.local")]
    [InlineData("SPIFFE://example.org", "example.org")]
    [InlineData("spiffe:///ns/a", null)]
    [InlineData("https://cluster.local/ns/a", null)]
    [InlineData("web.default.svc", null)]
    public void Given_a_SAN_or_matcher_value_When_its_trust_domain_is_asked_Then_it_is_read_leniently_and_lowercased(string value, string? expected)
    {
        Assert.Equal(expected, SpiffeId.TrustDomainOf(value));
    }

    [Fact]
    public void Given_an_Istio_identity_When_parsed_Then_namespace_and_service_account_are_read()
    {
        var id = SpiffeId.TryParse("spiffe://cluster.local/ns/default/sa/web", out _)!;

        Assert.Equal(("default", "web"), id.IstioIdentity);
        Assert.Equal((null, null), SpiffeId.TryParse("spiffe://x/workload/1", out _)!.IstioIdentity);
    }

    [Fact]
    public void Given_a_conforming_SVID_When_checked_Then_no_problem()
    {
        Assert.Empty(SvidChecks.CheckLeaf(Pki.Variant("leaf")));
        Assert.Empty(SvidChecks.CheckSigning(Pki.Variant("intermediate")));
    }

    [Fact]
    public void Given_an_SVID_with_two_URI_SANs_When_checked_Then_exactly_one_is_required()
    {
        var problem = Assert.Single(SvidChecks.CheckLeaf(Pki.Variant("leaf-two-uris")));

        Assert.Contains("has 2 URI SANs", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("leaf-bad-spiffe-uppercase", "the trust domain is not lowercase")]
    [InlineData("leaf-bad-spiffe-dotdot", "the path has a '..' segment")]
    public void Given_an_SVID_with_a_malformed_ID_When_checked_Then_the_reason_is_given(string variant, string reason)
    {
        Assert.Contains(SvidChecks.CheckLeaf(Pki.Variant(variant)), p => p.EndsWith(reason + ".", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_CA_used_as_leaf_When_checked_Then_both_CA_and_keyCertSign_are_reported()
    {
        var problems = SvidChecks.CheckLeaf(Pki.Variant("leaf-is-ca"));

        Assert.Contains(problems, p => p.Contains("is a CA certificate", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("keyCertSign or cRLSign", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_client_only_SVID_When_checked_Then_the_EKU_problem_is_reported()
    {
        Assert.Contains(SvidChecks.CheckLeaf(Pki.Variant("leaf-client-only")), p => p.Contains("without both serverAuth and clientAuth", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_weak_certificates_When_strength_is_checked_Then_RSA_1024_and_SHA1_are_reported_and_P256_SHA256_is_not()
    {
        var policy = CertificatePolicy.Default;

        Assert.Contains("1024-bit RSA key", Assert.Single(CertificateChecks.StrengthProblems(Pki.Variant("leaf-rsa1024"), policy)), StringComparison.Ordinal);
        Assert.Contains("ecdsa-with-SHA1", Assert.Single(CertificateChecks.StrengthProblems(Pki.Variant("leaf-sha1"), policy)), StringComparison.Ordinal);
        Assert.Empty(CertificateChecks.StrengthProblems(Pki.Variant("leaf"), policy));
    }

    [Fact]
    public void Given_time_thresholds_When_judged_Then_statuses_follow_the_policy()
    {
        var policy = CertificatePolicy.Default;
        var leaf = Pki.Variant("leaf");
        var root = Pki.Variant("root");

        Assert.Equal(TimeStatus.Valid, CertificateChecks.TimeStatusOf(leaf, FixedClock.FixtureInstant, policy));
        Assert.Equal(TimeStatus.RotationOverdue, CertificateChecks.TimeStatusOf(leaf, new DateTimeOffset(2027, 9, 20, 0, 0, 0, TimeSpan.Zero), policy));
        Assert.Equal(TimeStatus.Expired, CertificateChecks.TimeStatusOf(leaf, new DateTimeOffset(2027, 11, 1, 0, 0, 1, TimeSpan.Zero), policy));
        Assert.Equal(TimeStatus.NotYetValid, CertificateChecks.TimeStatusOf(leaf, new DateTimeOffset(2026, 10, 31, 23, 59, 59, TimeSpan.Zero), policy));
        Assert.Equal(TimeStatus.ExpiringSoon, CertificateChecks.TimeStatusOf(root, new DateTimeOffset(2035, 11, 15, 0, 0, 0, TimeSpan.Zero), policy));
        Assert.Equal(TimeStatus.Valid, CertificateChecks.TimeStatusOf(root, new DateTimeOffset(2035, 11, 15, 0, 0, 0, TimeSpan.Zero), policy with { CaMinimumRemaining = TimeSpan.FromDays(30) }));
    }
}
