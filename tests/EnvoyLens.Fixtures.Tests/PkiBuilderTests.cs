using EnvoyLens.Fixtures.Pki;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace EnvoyLens.Fixtures.Tests;

public sealed class PkiBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private sealed class At(DateTimeOffset instant) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => instant;
    }

    private static X509Certificate Parse(string pem)
    {
        using var reader = new StringReader(pem);
        return (X509Certificate)new PemReader(reader).ReadObject();
    }

    private static string[] ExtensionOrder(X509Certificate c)
    {
        var extensions = X509CertificateStructure.GetInstance(c.GetEncoded()).TbsCertificate.Extensions;
        return extensions.ExtensionOids.Select(o => o.Id).ToArray();
    }

    [Fact]
    public void Given_a_clock_When_a_leaf_is_valid_for_a_day_having_started_an_hour_ago_Then_its_validity_is_counted_from_the_clock()
    {
        var pki = new PkiBuilder("clock-test", new At(Now));
        var root = pki.Root("root", "O=Test,CN=Root").ValidFor(TimeSpan.FromDays(3650)).Issue();

        var leaf = pki.Leaf("leaf", root).SpiffeId("spiffe://cluster.local/ns/default/sa/web").ValidFor(TimeSpan.FromDays(1), age: TimeSpan.FromHours(1)).Issue();

        Assert.Equal(Now.AddHours(-1), leaf.NotBefore);
        Assert.Equal(Now.AddHours(23), leaf.NotAfter);
        Assert.Equal(Now, root.NotBefore);
        Assert.Equal(new PkiBuilder("clock-test", new At(Now.AddDays(1))).Root("root", "O=Test,CN=Root").ValidFor(TimeSpan.FromDays(3650)).Issue().NotBefore, Now.AddDays(1));
    }

    [Fact]
    public void Given_no_clock_When_relative_validity_is_asked_Then_it_says_the_builder_needs_one()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new PkiBuilder("no-clock").Root("root", "O=Test").ValidFor(TimeSpan.FromDays(1)));

        Assert.Equal("Certificate root: ValidFor needs the PkiBuilder to have a clock.", e.Message);
    }

    [Fact]
    public void Given_root_intermediate_and_SPIFFE_leaf_When_issued_Then_they_chain_and_the_leaf_has_the_Istio_profile()
    {
        var pki = new PkiBuilder("chain-test");
        var root = pki.Root("root", "O=cluster.local,CN=Root").Valid(Now.AddYears(-1), Now.AddYears(9)).Issue();
        var intermediate = pki.Intermediate("intermediate", "O=cluster.local,CN=Intermediate", root).PathLength(0).Valid(Now.AddYears(-1), Now.AddYears(4)).Issue();

        var leaf = pki.Leaf("leaf", intermediate).SpiffeId("spiffe://cluster.local/ns/default/sa/web").Valid(Now.AddDays(-1), Now.AddDays(1)).Issue();

        var c = Parse(leaf.CertificatePem);
        c.Verify(Parse(intermediate.CertificatePem).GetPublicKey());
        Parse(intermediate.CertificatePem).Verify(Parse(root.CertificatePem).GetPublicKey());
        Assert.Empty(c.SubjectDN.GetOidList());
        Assert.Contains(X509Extensions.SubjectAlternativeName.Id, c.GetCriticalExtensionOids());
        Assert.Equal(
            [X509Extensions.KeyUsage.Id, X509Extensions.ExtendedKeyUsage.Id, X509Extensions.BasicConstraints.Id, X509Extensions.AuthorityKeyIdentifier.Id, X509Extensions.SubjectAlternativeName.Id],
            ExtensionOrder(c));
        Assert.Equal(
            [X509Extensions.BasicConstraints.Id, X509Extensions.KeyUsage.Id, X509Extensions.SubjectKeyIdentifier.Id],
            ExtensionOrder(Parse(root.CertificatePem)));
        Assert.Equal(0, Parse(intermediate.CertificatePem).GetBasicConstraints());
        Assert.Equal(leaf.CertificatePem + intermediate.CertificatePem, leaf.ChainPem);
        Assert.Equal(intermediate.CertificatePem, intermediate.ChainPem);
    }

    [Fact]
    public void Given_a_profile_When_an_extension_is_set_again_moved_or_dropped_Then_the_order_follows()
    {
        var pki = new PkiBuilder("order-test");
        var root = pki.Root("root", "O=Test").Valid(Now, Now.AddYears(1)).Issue();

        var moved = Parse(pki.Leaf("moved", root).SpiffeId("spiffe://a/b").MoveToEnd(X509Extensions.AuthorityKeyIdentifier)
            .ExtendedKeyUsage(KeyPurposeID.id_kp_clientAuth).Valid(Now, Now.AddDays(1)).Issue().CertificatePem);
        var dropped = Parse(pki.Leaf("dropped", root).SpiffeId("spiffe://a/b").Without(X509Extensions.ExtendedKeyUsage)
            .Extension(new DerObjectIdentifier("1.3.6.1.4.1.55555.1"), true, DerNull.Instance).Valid(Now, Now.AddDays(1)).Issue().CertificatePem);

        Assert.Equal(
            [X509Extensions.KeyUsage.Id, X509Extensions.ExtendedKeyUsage.Id, X509Extensions.BasicConstraints.Id, X509Extensions.SubjectAlternativeName.Id, X509Extensions.AuthorityKeyIdentifier.Id],
            ExtensionOrder(moved));
        Assert.Equal([KeyPurposeID.id_kp_clientAuth.Id], moved.GetExtendedKeyUsage().Select(o => o.Id));
        Assert.Equal(
            [X509Extensions.KeyUsage.Id, X509Extensions.BasicConstraints.Id, X509Extensions.AuthorityKeyIdentifier.Id, X509Extensions.SubjectAlternativeName.Id, "1.3.6.1.4.1.55555.1"],
            ExtensionOrder(dropped));
    }

    [Fact]
    public void Given_a_subject_an_RSA_key_and_a_serial_When_issued_Then_the_names_are_not_critical_and_the_serial_and_key_are_as_given()
    {
        var pki = new PkiBuilder("options-test");
        var root = pki.Root("root", "O=Test").Valid(Now, Now.AddYears(1)).Issue();

        var c = Parse(pki.Leaf("client", root).DnsNames("client.example.test").Key(KeyKind.Rsa1024).Serial([0x00, 0x8f, 0x01])
            .Valid(Now, Now.AddDays(1)).Issue().CertificatePem);
        var named = Parse(pki.Certificate("named").Subject("O=Test,CN=named").IssuedBy(root).DnsNames("a.test").Valid(Now, Now.AddDays(1)).Issue().CertificatePem);

        Assert.Equal("8f01", c.SerialNumber.ToString(16));
        Assert.Equal(1024, ((RsaKeyParameters)c.GetPublicKey()).Modulus.BitLength);
        Assert.Contains(X509Extensions.SubjectAlternativeName.Id, c.GetCriticalExtensionOids());
        Assert.DoesNotContain(X509Extensions.SubjectAlternativeName.Id, named.GetCriticalExtensionOids());
        Assert.Equal([X509Extensions.SubjectAlternativeName.Id], ExtensionOrder(named));
        Assert.Equal("SHA-256withECDSA", c.SigAlgName);
    }

    [Fact]
    public void Given_the_same_seed_and_name_When_issued_by_two_builders_Then_the_bytes_are_identical_and_a_shared_key_is_shared()
    {
        string Issue(string seed) => new PkiBuilder(seed).Root("root", "O=Test").Valid(Now, Now.AddYears(1)).Issue().CertificatePem;
        var pki = new PkiBuilder("shared-key");
        var root = pki.Root("root", "O=Test").Valid(Now, Now.AddYears(1)).Issue();
        var cross = pki.Intermediate("cross", "O=Test", root).KeyOf("root").Valid(Now, Now.AddYears(1)).Issue();

        Assert.Equal(Issue("same"), Issue("same"));
        Assert.NotEqual(Issue("same"), Issue("other"));
        Assert.Equal(Parse(root.CertificatePem).GetPublicKey(), Parse(cross.CertificatePem).GetPublicKey());
        Assert.NotEqual(root.SerialNumberHex, cross.SerialNumberHex);
    }
}
