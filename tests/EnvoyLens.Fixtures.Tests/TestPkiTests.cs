using EnvoyLens.Fixtures.Pki;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace EnvoyLens.Fixtures.Tests;

public sealed class TestPkiTests
{
    private static readonly TestPki Pki = TestPki.Create();

    private static X509Certificate Parse(string pem)
    {
        using var reader = new StringReader(pem);
        return (X509Certificate)new PemReader(reader).ReadObject();
    }

    private static List<X509Certificate> ParseAll(string pem)
    {
        using var reader = new StringReader(pem);
        var pemReader = new PemReader(reader);
        var list = new List<X509Certificate>();
        while (pemReader.ReadObject() is X509Certificate certificate)
        {
            list.Add(certificate);
        }

        return list;
    }

    [Fact]
    public void Given_the_same_seed_When_two_PKIs_are_created_Then_every_PEM_is_byte_identical()
    {
        var a = TestPki.Create("determinism-check");
        var b = TestPki.Create("determinism-check");

        Assert.Equal(a.Root.CertificatePem, b.Root.CertificatePem);
        Assert.Equal(a.Root.PrivateKeyPem, b.Root.PrivateKeyPem);
        Assert.Equal(a.Intermediate.CertificatePem, b.Intermediate.CertificatePem);
        // Issue in a different order on b: results must not depend on call order.
        var bForeign = b.IssueWorkloadFromUnrelatedRoot("ns1", "sa1");
        var bLeaf = b.IssueWorkload("ns1", "sa1");
        Assert.Equal(a.IssueWorkload("ns1", "sa1").CertificatePem, bLeaf.CertificatePem);
        Assert.Equal(a.IssueWorkload("ns1", "sa1").PrivateKeyPem, bLeaf.PrivateKeyPem);
        Assert.Equal(a.IssueWorkloadFromUnrelatedRoot("ns1", "sa1").CertificatePem, bForeign.CertificatePem);
        Assert.Equal(a.IssueExpiredWorkload("ns1", "sa1").CertificatePem, b.IssueExpiredWorkload("ns1", "sa1").CertificatePem);
    }

    [Fact]
    public void Given_different_seeds_Then_keys_and_certificates_differ()
    {
        var a = TestPki.Create("seed-a");
        var b = TestPki.Create("seed-b");

        Assert.NotEqual(a.Root.CertificatePem, b.Root.CertificatePem);
        Assert.NotEqual(a.IssueWorkload("default", "x").PrivateKeyPem, b.IssueWorkload("default", "x").PrivateKeyPem);
    }

    [Fact]
    public void Given_a_workload_leaf_Then_its_signature_chains_through_the_intermediate_to_the_root()
    {
        var leaf = Parse(Pki.IssueWorkload("default", "bookinfo-reviews").CertificatePem);
        var intermediate = Parse(Pki.Intermediate.CertificatePem);
        var root = Parse(Pki.Root.CertificatePem);

        leaf.Verify(intermediate.GetPublicKey());
        intermediate.Verify(root.GetPublicKey());
        root.Verify(root.GetPublicKey());
        Assert.Equal(intermediate.SubjectDN, leaf.IssuerDN);
        Assert.Equal(root.SubjectDN, intermediate.IssuerDN);
    }

    [Fact]
    public void Given_the_leaf_from_the_unrelated_root_Then_it_does_not_verify_against_the_mesh_CAs()
    {
        var foreign = Parse(Pki.IssueWorkloadFromUnrelatedRoot("default", "bookinfo-reviews").CertificatePem);

        Assert.ThrowsAny<Exception>(() => foreign.Verify(Parse(Pki.Intermediate.CertificatePem).GetPublicKey()));
        Assert.ThrowsAny<Exception>(() => foreign.Verify(Parse(Pki.Root.CertificatePem).GetPublicKey()));
        foreign.Verify(Parse(Pki.UnrelatedRoot.CertificatePem).GetPublicKey());
    }

    [Fact]
    public void Given_a_workload_leaf_Then_it_has_the_Istio_shape()
    {
        var leaf = Parse(Pki.IssueWorkload("default", "bookinfo-reviews").CertificatePem);

        Assert.Empty(leaf.SubjectDN.GetOidList());
        var sans = leaf.GetSubjectAlternativeNames().Select(n => ((int)n[0], (string)n[1])).ToArray();
        Assert.Equal([(GeneralName.UniformResourceIdentifier, "spiffe://cluster.local/ns/default/sa/bookinfo-reviews")], sans);
        Assert.Contains(X509Extensions.KeyUsage.Id, leaf.GetCriticalExtensionOids());
        var usage = leaf.GetKeyUsage();
        Assert.True(usage[0], "digitalSignature");
        Assert.True(usage[2], "keyEncipherment");
        Assert.False(usage[5], "keyCertSign");
        Assert.Equal(
            new[] { KeyPurposeID.id_kp_serverAuth.Id, KeyPurposeID.id_kp_clientAuth.Id },
            leaf.GetExtendedKeyUsage().Select(o => o.Id).ToArray());
        Assert.Equal(-1, leaf.GetBasicConstraints());
        Assert.Equal(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), leaf.NotBefore.ToUniversalTime());
        Assert.Equal(new DateTime(2027, 11, 1, 0, 0, 0, DateTimeKind.Utc), leaf.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Given_the_CAs_Then_validity_and_CA_flags_are_the_fixed_ones()
    {
        var root = Parse(Pki.Root.CertificatePem);
        var intermediate = Parse(Pki.Intermediate.CertificatePem);

        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), root.NotBefore.ToUniversalTime());
        Assert.Equal(new DateTime(2036, 1, 1, 0, 0, 0, DateTimeKind.Utc), root.NotAfter.ToUniversalTime());
        Assert.Equal(new DateTime(2031, 1, 1, 0, 0, 0, DateTimeKind.Utc), intermediate.NotAfter.ToUniversalTime());
        Assert.True(root.GetBasicConstraints() > 0 || root.GetBasicConstraints() == int.MaxValue);
        Assert.Equal(0, intermediate.GetBasicConstraints());
    }

    [Fact]
    public void Given_the_time_variants_Then_expired_ends_and_not_yet_valid_starts_around_the_capture_instant()
    {
        var capture = new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);
        var expired = Parse(Pki.IssueExpiredWorkload("default", "a").CertificatePem);
        var future = Parse(Pki.IssueNotYetValidWorkload("default", "a").CertificatePem);

        Assert.True(expired.NotAfter.ToUniversalTime() < capture);
        Assert.False(expired.IsValid(capture));
        Assert.True(future.NotBefore.ToUniversalTime() > capture);
        Assert.False(future.IsValid(capture));
        Assert.True(Parse(Pki.IssueWorkload("default", "a").CertificatePem).IsValid(capture));
        expired.Verify(Parse(Pki.Intermediate.CertificatePem).GetPublicKey());
        future.Verify(Parse(Pki.Intermediate.CertificatePem).GetPublicKey());
    }

    [Fact]
    public void Given_a_leaf_Then_its_chain_PEM_is_leaf_then_intermediate_with_LF_endings()
    {
        var leaf = Pki.IssueWorkload("default", "bookinfo-reviews");
        var chain = ParseAll(leaf.ChainPem);

        Assert.Equal(2, chain.Count);
        Assert.Equal(Parse(leaf.CertificatePem), chain[0]);
        Assert.Equal(Parse(Pki.Intermediate.CertificatePem), chain[1]);
        Assert.DoesNotContain('\r', leaf.ChainPem + leaf.PrivateKeyPem);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", leaf.PrivateKeyPem, StringComparison.Ordinal);
        Assert.Equal(leaf.SerialNumberHex, chain[0].SerialNumber.ToString(16));
    }
}
