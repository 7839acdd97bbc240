using System.Formats.Asn1;
using EnvoyLens.Certs.Compare;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Spiffe;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Core;
using EnvoyLens.Fixtures.Pki;
using EnvoyLens.TestKit;
using Org.BouncyCastle.Asn1.X509;

namespace EnvoyLens.Certs.Tests;

/// <summary>Serial numbers as openssl prints them, the shared X.509-SVID checks, self-anchored paths and captures without certificates.</summary>
public sealed class SerialAndSvidTests
{
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The serial as openssl prints it, computed independently from the DER: the INTEGER content octets of the
    /// TBSCertificate's serialNumber, without the sign octet that precedes a value whose top bit is set, in hex.
    /// </summary>
    private static string SerialFromDer(byte[] der)
    {
        var tbs = new AsnReader(der, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        if (tbs.PeekTag() == new Asn1Tag(TagClass.ContextSpecific, 0, true))
        {
            tbs.ReadEncodedValue(); // [0] version
        }

        var content = tbs.ReadIntegerBytes().Span;
        if (content.Length > 1 && content[0] == 0 && content[1] >= 0x80)
        {
            content = content[1..];
        }

        return Convert.ToHexString(content).ToLowerInvariant();
    }

    private static readonly PkiBuilder Builder = new("serial-and-svid-tests");

    private static readonly TestCertificate Issuer =
        Builder.Certificate("issuer").Subject("O=EnvoyLens Serial Test CA").BasicConstraints(true).Valid(From, From.AddYears(10)).Issue();

    private static CertificateInfo Mint(byte[] serial, Func<CertificateBuilder, CertificateBuilder>? extensions = null, bool ca = false)
    {
        var certificate = Builder.Certificate("minted-" + Convert.ToHexStringLower(serial)).Subject("O=EnvoyLens Serial Test").IssuedBy(Issuer)
            .BasicConstraints(ca).Serial(serial).Valid(From, From.AddYears(1));
        extensions?.Invoke(certificate);
        return Assert.Single(CertificateReader.ReadBytes(certificate.Issue().GetDer(), "minted").Certificates);
    }

    /// <summary>A critical URI SAN written as is (no trailing slash after <c>spiffe://domain</c>) and a critical key usage.</summary>
    private static Func<CertificateBuilder, CertificateBuilder> Svid(string uri, int usage) => c => c.Uris(uri).CriticalAltNames(true).KeyUsage(usage);

    [Theory]
    [InlineData(new byte[] { 0x01, 0x93, 0xa5, 0x43, 0xfe }, "0193a543fe")]
    [InlineData(new byte[] { 0x0e, 0x19, 0x48 }, "0e1948")]
    [InlineData(new byte[] { 0x00, 0x8f, 0x01 }, "8f01")]
    [InlineData(new byte[] { 0x7f }, "7f")]
    public void Given_a_serial_with_a_leading_zero_nibble_or_sign_octet_When_read_Then_it_is_printed_as_openssl_prints_it(byte[] serial, string expected)
    {
        var c = Mint(serial);

        Assert.Equal(expected, c.SerialNumberHex);
        Assert.Equal(SerialFromDer(c.GetDer()), c.SerialNumberHex);
    }

    [Fact]
    public void Given_every_test_PKI_certificate_When_read_Then_each_serial_equals_the_one_computed_from_its_DER()
    {
        var files = Directory.GetFiles(TestPaths.Fixture("pki"), "*.pem", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        foreach (var c in files.SelectMany(f => CertificateReader.ReadFile(f).Certificates))
        {
            Assert.Equal(SerialFromDer(c.GetDer()), c.SerialNumberHex);
        }
    }

    [SkippableTheory]
    [InlineData("kuma-test-server-cert.pem", "0e19489dfb176076a628dfb6f6a9d0bf")] // openssl x509 -serial: 0E19489DFB176076A628DFB6F6A9D0BF
    [InlineData("istio-samples-ca-cert.pem", "e37589fac1676fc1")] // DER 00 E3 75 ...; openssl prints E37589FAC1676FC1
    [InlineData("linkerd-expired-issuer-crt.pem", "01")]
    public void Given_a_corpus_certificate_When_read_Then_the_serial_is_what_openssl_prints(string file, string expected)
    {
        Skip.If(TestPaths.Corpus is null, "the shared corpus is not present");
        var c = CertificateReader.ReadFile(TestPaths.CorpusFile("certs", file)).Certificates[0];

        Assert.Equal(expected, c.SerialNumberHex);
        Assert.Equal(SerialFromDer(c.GetDer()), c.SerialNumberHex);
    }

    [Theory]
    [InlineData(new byte[] { }, "0")]
    [InlineData(new byte[] { 0x00 }, "00")]
    [InlineData(new byte[] { 0xff, 0x01 }, "-ff")]
    public void Given_unusual_integer_contents_When_formatted_Then_zero_and_negative_serials_are_explicit(byte[] content, string expected) =>
        Assert.Equal(expected, SerialNumbers.FromDerContent(content));

    [Fact]
    public void Given_a_certificate_file_with_two_spiffe_URIs_When_checked_on_its_own_Then_exactly_one_is_required()
    {
        var problems = SvidChecks.Check(Pki.Variant("leaf-two-uris"));

        Assert.Contains(problems, p => p.Contains("has 2 URI SANs", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_leaf_SVID_with_CA_true_When_checked_on_its_own_Then_it_is_a_CA_used_as_a_leaf()
    {
        var problems = SvidChecks.Check(Pki.Variant("leaf-is-ca"));

        Assert.Contains(problems, p => p.Contains("is a CA certificate (basicConstraints CA:TRUE) but is used as a leaf", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_leaf_SVID_without_digitalSignature_When_checked_on_its_own_Then_the_key_usage_is_reported()
    {
        var c = Mint([0x42], Svid("spiffe://cluster.local/ns/default/sa/web", KeyUsage.KeyEncipherment));

        var problems = SvidChecks.Check(c);

        Assert.Equal([$"SVID {c.Label} lacks the digitalSignature key usage."], problems);
    }

    [Fact]
    public void Given_a_signing_certificate_with_a_trust_domain_ID_When_checked_on_its_own_Then_it_is_checked_as_a_CA_not_a_leaf()
    {
        var good = Mint([0x43], Svid("spiffe://cluster.local", KeyUsage.KeyCertSign | KeyUsage.CrlSign), ca: true);
        var noCertSign = Mint([0x44], Svid("spiffe://cluster.local", KeyUsage.CrlSign), ca: true);

        Assert.Empty(SvidChecks.Check(good));
        Assert.Equal([$"Signing certificate {noCertSign.Label} lacks the keyCertSign key usage."], SvidChecks.Check(noCertSign));
        Assert.Empty(SvidChecks.Check(Pki.File("root.pem"))); // no spiffe:// URI: not an SVID
    }

    [Fact]
    public void Given_a_certificate_that_is_its_own_trust_anchor_When_verified_Then_the_verdict_says_so()
    {
        var root = Pki.File("root.pem");

        var result = PathValidator.Verify(new VerifyRequest(root, [root], [], FixedClock.FixtureInstant));

        Assert.True(result.Valid);
        Assert.Equal($"Certificate {root.Label} is itself a trust anchor and passes every check.", result.Reason);
    }

    [Fact]
    public void Given_a_leaf_with_one_intermediate_When_verified_Then_the_verdict_counts_it_in_words()
    {
        var read = CertificateReader.ReadFile(TestPaths.Fixture("pki", "workload-reviews-chain.pem"));
        var root = Pki.File("root.pem");

        var result = PathValidator.Verify(new VerifyRequest(read.Certificates[0], [root], read.Certificates.Skip(1).ToList(), FixedClock.FixtureInstant));

        Assert.True(result.Valid);
        Assert.Contains($"chains to trust anchor {root.Label} through 1 intermediate and passes every check.", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_capture_without_any_certificate_When_compared_Then_it_cannot_tell_and_says_why()
    {
        var reviews = new TrustSide("A", Snapshots.Decode(Snapshots.Reviews));
        var empty = new TrustSide("B", Snapshots.Decode(TestPaths.Fixture("rules", "EL1001-missing-route-config", "pass", "config_dump.json")));
        Assert.True(TrustComparison.HoldsNoCertificate(CertificateInventory.From(empty.Snapshot)));

        var result = TrustComparison.Compare(reviews, empty, FixedClock.FixtureInstant);

        foreach (var v in new[] { result.AToB, result.BToA })
        {
            Assert.Null(v.ClientAccepts);
            Assert.Null(v.ServerAccepts);
            Assert.True(v.CannotTell);
            Assert.False(v.Fails);
            Assert.Contains("B's capture holds no certificate at all", v.ClientReason, StringComparison.Ordinal);
        }
    }
}
