using EnvoyLens.Certs.Checks;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Fixtures.Pki;
using EnvoyLens.TestKit;

namespace EnvoyLens.Certs.Tests;

/// <summary><c>linkerd check</c>'s identity checks on generated PKIs and on Linkerd's own test certificates.</summary>
public sealed class LinkerdIdentityChecksTests
{
    private static readonly DateTimeOffset Now = FixedClock.FixtureInstant;
    private static readonly DateTimeOffset YearAgo = Now.AddDays(-365);
    private static readonly DateTimeOffset InTenYears = Now.AddDays(3650);

    private static CertificateInfo Info(TestCertificate c) => CertificateReader.ReadPem(c.CertificatePem, c.Name).Certificates.Single();

    private static TestCertificate Anchor(PkiBuilder pki, DateTimeOffset? to = null, string name = "anchor") =>
        pki.Root(name, "CN=root.linkerd.cluster.local").Valid(YearAgo, to ?? InTenYears).Issue();

    private static CertificateBuilder Issuer(PkiBuilder pki, TestCertificate anchor, string dns = "identity.linkerd.cluster.local") =>
        pki.Intermediate("issuer", "CN=" + dns, anchor).DnsNames(dns).Valid(YearAgo, Now.AddDays(365));

    private static IReadOnlyList<LinkerdCheck> Run(TestCertificate anchor, TestCertificate issuer, string domain = "cluster.local", params TestCertificate[] moreAnchors) =>
        LinkerdIdentityChecks.Run(new LinkerdIdentityInput([Info(anchor), .. moreAnchors.Select(Info)], [], [Info(issuer)], [], domain, Now));

    private static void AssertOnlyFails(IReadOnlyList<LinkerdCheck> checks, params string[] failing)
    {
        Assert.Equal(9, checks.Count);
        Assert.Equal(failing.Order(StringComparer.Ordinal), checks.Where(c => c.Status == CheckStatus.Failed).Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Given_a_generated_anchor_and_issuer_When_checked_Then_every_check_passes_in_linkerds_order()
    {
        var pki = new PkiBuilder("linkerd-valid");
        var anchor = Anchor(pki);

        var checks = Run(anchor, Issuer(pki, anchor).Issue());

        Assert.Equal(
        [
            "certificate config is valid", "trust anchors are using supported crypto algorithm", "trust anchors are within their validity period",
            "trust anchors are valid for at least 60 days", "issuer cert is using supported crypto algorithm", "issuer cert is within its validity period",
            "issuer cert is valid for at least 60 days", "issuer cert is issued by the trust anchor", "issuer cert name fits the identity domain",
        ], checks.Select(c => c.Name));
        Assert.All(checks, c => Assert.Equal(CheckStatus.Passed, c.Status));
    }

    [Fact]
    public void Given_an_RSA_issuer_When_checked_Then_the_issuer_algorithm_check_fails_and_names_the_key()
    {
        var pki = new PkiBuilder("linkerd-rsa");
        var anchor = Anchor(pki);

        var checks = Run(anchor, Issuer(pki, anchor).Key(KeyKind.Rsa1024).Issue());

        // The path validator refuses a 1024-bit RSA key as well: the path check fails too, for its own reason.
        AssertOnlyFails(checks, LinkerdIdentityChecks.IssuerAlgorithm, LinkerdIdentityChecks.IssuerIssuedByAnchor);
        Assert.EndsWith("uses RSA 1024; Linkerd's issuer must use ECDSA P-256.", checks.Single(c => c.Name == LinkerdIdentityChecks.IssuerAlgorithm).Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_issuer_for_another_identity_domain_When_checked_Then_the_name_check_fails()
    {
        var pki = new PkiBuilder("linkerd-domain");
        var anchor = Anchor(pki);

        var checks = Run(anchor, Issuer(pki, anchor, "identity.linkerd.example.org").Issue());

        AssertOnlyFails(checks, LinkerdIdentityChecks.IssuerName);
        Assert.Equal(
            "The issuer is valid for identity.linkerd.example.org, not identity.linkerd.cluster.local (identity domain cluster.local); proxies would reject the certificates it issues.",
            checks.Single(c => c.Name == LinkerdIdentityChecks.IssuerName).Sentence);
        AssertOnlyFails(Run(anchor, Issuer(pki, anchor, "identity.linkerd.example.org").Issue(), "example.org"));
    }

    [Fact]
    public void Given_an_issuer_not_yet_valid_When_checked_Then_its_validity_and_its_path_fail()
    {
        var pki = new PkiBuilder("linkerd-future");
        var anchor = Anchor(pki);

        var checks = Run(anchor, Issuer(pki, anchor).Valid(Now.AddDays(30), Now.AddDays(400)).Issue());

        AssertOnlyFails(checks, LinkerdIdentityChecks.IssuerValidity, LinkerdIdentityChecks.IssuerIssuedByAnchor);
        Assert.Contains("is not valid before 2026-12-20T10:00:00Z", checks.Single(c => c.Name == LinkerdIdentityChecks.IssuerValidity).Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_expired_trust_anchors_When_checked_Then_the_anchor_validity_fails_naming_the_expiry()
    {
        var pki = new PkiBuilder("linkerd-expired-anchor");
        var anchor = Anchor(pki, Now.AddDays(-1));

        var checks = Run(anchor, Issuer(pki, anchor).Valid(YearAgo, Now.AddDays(-2)).Issue());

        Assert.Equal(CheckStatus.Failed, checks.Single(c => c.Name == LinkerdIdentityChecks.AnchorsValidity).Status);
        Assert.Contains("is not valid anymore: it expired on 2026-11-19T10:00:00Z", checks.Single(c => c.Name == LinkerdIdentityChecks.AnchorsValidity).Sentence, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Warning, checks.Single(c => c.Name == LinkerdIdentityChecks.AnchorsRemaining).Status);
    }

    [Fact]
    public void Given_an_anchor_expiring_within_60_days_When_checked_Then_it_is_a_warning_not_a_failure()
    {
        var pki = new PkiBuilder("linkerd-soon");
        var anchor = Anchor(pki, Now.AddDays(20));

        var checks = Run(anchor, Issuer(pki, anchor).Valid(YearAgo, Now.AddDays(10)).Issue());

        AssertOnlyFails(checks);
        Assert.Equal(
            [LinkerdIdentityChecks.AnchorsRemaining, LinkerdIdentityChecks.IssuerRemaining],
            checks.Where(c => c.Status == CheckStatus.Warning).Select(c => c.Name));
        Assert.Contains("expires on 2026-11-30T10:00:00Z, in 10 days", checks.Single(c => c.Name == LinkerdIdentityChecks.IssuerRemaining).Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_issuer_signed_by_another_root_When_checked_Then_only_the_path_check_fails()
    {
        var pki = new PkiBuilder("linkerd-other-root");
        var anchor = Anchor(pki);
        var other = Anchor(pki, name: "other");

        var checks = Run(anchor, Issuer(pki, other).Issue());

        AssertOnlyFails(checks, LinkerdIdentityChecks.IssuerIssuedByAnchor);
        Assert.Equal(CheckStatus.Passed, Run(anchor, Issuer(pki, other).Issue(), "cluster.local", other).Single(c => c.Name == LinkerdIdentityChecks.IssuerIssuedByAnchor).Status);
    }

    [Fact]
    public void Given_no_certificate_in_the_issuer_file_When_checked_Then_config_and_every_issuer_check_fail()
    {
        var pki = new PkiBuilder("linkerd-empty");

        var checks = LinkerdIdentityChecks.Run(new LinkerdIdentityInput([Info(Anchor(pki))], [], [], [], "cluster.local", Now));

        AssertOnlyFails(checks, LinkerdIdentityChecks.CertificateConfig, LinkerdIdentityChecks.IssuerAlgorithm, LinkerdIdentityChecks.IssuerValidity,
            LinkerdIdentityChecks.IssuerRemaining, LinkerdIdentityChecks.IssuerIssuedByAnchor, LinkerdIdentityChecks.IssuerName);
        Assert.Equal("The issuer's file holds no certificate.", checks[0].Sentence);
    }

    [SkippableFact]
    public void Given_linkerds_own_test_certificates_When_checked_Then_the_valid_issuer_passes_and_the_expired_one_fails_its_validity()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        var anchors = CertificateReader.ReadFile(TestPaths.CorpusFile("certs", "linkerd-valid-trust-anchors.pem"));
        var valid = CertificateReader.ReadFile(TestPaths.CorpusFile("certs", "linkerd-valid-issuer-crt.pem"));
        var expired = CertificateReader.ReadFile(TestPaths.CorpusFile("certs", "linkerd-expired-issuer-crt.pem"));

        var good = LinkerdIdentityChecks.Run(new LinkerdIdentityInput(anchors.Certificates, [], valid.Certificates, [], "cluster.local", Now));
        var bad = LinkerdIdentityChecks.Run(new LinkerdIdentityInput(anchors.Certificates, [], expired.Certificates, [], "cluster.local", Now));

        AssertOnlyFails(good);
        Assert.Equal(CheckStatus.Failed, bad.Single(c => c.Name == LinkerdIdentityChecks.IssuerValidity).Status);
        Assert.Equal("The issuer 'identity.linkerd.cluster.local' (serial 01) is not valid anymore: it expired on 1990-01-01T01:01:11Z.",
            bad.Single(c => c.Name == LinkerdIdentityChecks.IssuerValidity).Sentence);
    }
}
