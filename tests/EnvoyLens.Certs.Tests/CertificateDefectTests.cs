using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Fixtures.Pki;
using EnvoyLens.TestKit;
using Org.BouncyCastle.Asn1;

namespace EnvoyLens.Certs.Tests;

/// <summary>
/// Certificates BouncyCastle refuses although they are certificates (an extension twice, an extension value that is
/// not DER, an empty issuer): read with their defect, reported, and rejected by path validation; and the bound on
/// name-constraint work.
/// </summary>
public sealed class CertificateDefectTests
{
    private static readonly DateTimeOffset At = TestPkiVariants.At;

    private static byte[] Der(string variant) => Pki.Variant(variant).GetDer();

    /// <summary>Rewrites the TBSCertificate of <paramref name="der"/>; the signature is left as it was.</summary>
    private static byte[] Rewrite(byte[] der, Func<Asn1Encodable[], Asn1Encodable[]> tbs)
    {
        var outer = Asn1Sequence.GetInstance(der);
        return new DerSequence(new DerSequence(tbs(Asn1Sequence.GetInstance(outer[0]).ToArray())), outer[1], outer[2]).GetDerEncoded();
    }

    private static Asn1Encodable[] MapExtensions(Asn1Encodable[] tbs, Func<Asn1Encodable[], Asn1Encodable[]> map)
    {
        var at = Array.FindIndex(tbs, e => e is Asn1TaggedObject { TagNo: 3 });
        tbs[at] = new DerTaggedObject(true, 3, new DerSequence(map(Asn1Sequence.GetInstance((Asn1TaggedObject)tbs[at], true).ToArray())));
        return tbs;
    }

    private static Asn1Encodable Extension(string oid, bool critical, byte[] value) =>
        new DerSequence(new DerObjectIdentifier(oid), DerBoolean.GetInstance(critical), new DerOctetString(value));

    private static CertificateReadResult Read(byte[] der) => CertificateReader.ReadBytes(der, "test.der");

    [Fact]
    public void Given_a_certificate_with_an_extension_twice_When_read_Then_it_is_returned_with_its_defect_and_reported()
    {
        var read = Read(Rewrite(Der("leaf"), tbs => MapExtensions(tbs, e => [.. e, e[0]])));

        var c = Assert.Single(read.Certificates);
        Assert.Matches(@"^has the \S+ extension more than once$", c.Defect);
        var problem = Assert.Single(read.Problems);
        Assert.Equal($"certificate block 0 of 'test.der' is an invalid X.509 certificate: it {c.Defect}.", problem.Message);
        Assert.Equal("spiffe://cluster.local/ns/default/sa/leaf", c.SpiffeId);
    }

    [Fact]
    public void Given_a_subject_alt_name_that_is_not_DER_When_read_Then_the_defect_names_it_and_no_names_are_invented()
    {
        var read = Read(Rewrite(Der("leaf"), tbs => MapExtensions(tbs, e =>
            [.. e.Where(x => DerObjectIdentifier.GetInstance(Asn1Sequence.GetInstance(x)[0]).Id != "2.5.29.17"), Extension("2.5.29.17", true, "example.com"u8.ToArray())])));

        var c = Assert.Single(read.Certificates);
        Assert.StartsWith("has a malformed subjectAltName extension (", c.Defect, StringComparison.Ordinal);
        Assert.Empty(c.SubjectAltNames);
        Assert.Single(read.Problems);
    }

    [Fact]
    public void Given_an_empty_issuer_When_read_Then_the_issuer_is_empty_and_the_defect_says_so()
    {
        var read = Read(Rewrite(Der("leaf"), tbs =>
        {
            tbs[3] = new DerSequence();
            return tbs;
        }));

        var c = Assert.Single(read.Certificates);
        Assert.Equal("has an empty issuer name", c.Defect);
        Assert.Equal("", c.Issuer);
    }

    [Fact]
    public void Given_a_well_formed_certificate_When_read_Then_it_has_no_defect_and_no_problem()
    {
        var read = Read(Der("leaf"));

        Assert.Null(Assert.Single(read.Certificates).Defect);
        Assert.Empty(read.Problems);
    }

    [Fact]
    public void Given_DER_that_is_no_certificate_at_all_When_read_Then_it_is_only_a_problem()
    {
        var read = Read(new DerSequence(DerInteger.ValueOf(1), DerInteger.ValueOf(2), DerInteger.ValueOf(3)).GetDerEncoded());

        Assert.Empty(read.Certificates);
        Assert.Contains("is not a valid X.509 certificate", Assert.Single(read.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_defective_leaf_When_verified_Then_invalid_for_certificate_syntax_before_any_path_search()
    {
        var leaf = Assert.Single(Read(Rewrite(Der("leaf"), tbs => MapExtensions(tbs, e => [.. e, e[0]]))).Certificates);

        var result = PathValidator.Verify(new VerifyRequest(leaf, [Pki.Variant("root")], [Pki.Variant("intermediate")], At));

        Assert.False(result.Valid);
        Assert.Equal("certificate-syntax", result.Check);
        Assert.Equal(0, result.SignatureChecks);
        Assert.EndsWith($"is an invalid certificate: it {leaf.Defect} (certificate-syntax check).", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_defective_intermediate_When_verified_Then_the_path_is_invalid_naming_the_intermediate()
    {
        var intermediate = Pki.Variant("intermediate");
        var defective = Assert.Single(Read(Rewrite(intermediate.GetDer(), tbs => MapExtensions(tbs, e => [.. e, e[^1]]))).Certificates);

        // The signature of the leaf still verifies with the defective copy's key: only the defect can reject the path.
        var result = PathValidator.Verify(new VerifyRequest(Pki.Variant("leaf"), [Pki.Variant("root")], [defective], At));

        Assert.False(result.Valid);
        Assert.Equal("certificate-syntax", result.Check);
        Assert.Contains(intermediate.Label, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_name_constrained_CA_When_the_comparisons_exceed_the_limit_Then_invalid_as_a_denial_of_service()
    {
        var request = new VerifyRequest(Pki.Variant("leaf-nc-ok"), [Pki.Variant("root")], [Pki.Variant("nc-intermediate")], At);

        var withinDefault = PathValidator.Verify(request);
        var overLimit = PathValidator.Verify(request, new VerifyLimits(MaxNameConstraintChecks: 1));

        Assert.True(withinDefault.Valid, withinDefault.Reason);
        Assert.False(overLimit.Valid);
        Assert.Equal("name-constraints", overLimit.Check);
        Assert.Contains("takes more than 1 comparisons", overLimit.Reason, StringComparison.Ordinal);
        Assert.EndsWith("which is refused as a denial of service (name-constraints check).", overLimit.Reason, StringComparison.Ordinal);
    }
}
