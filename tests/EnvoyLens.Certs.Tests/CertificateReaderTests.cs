using System.Text;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.TestKit;

namespace EnvoyLens.Certs.Tests;

public sealed class CertificateReaderTests
{
    [Fact]
    public void Given_the_test_workload_leaf_When_read_Then_every_field_is_extracted()
    {
        var leaf = Pki.File("workload-reviews.pem");

        Assert.Equal("", leaf.Subject);
        Assert.Equal("O=cluster.local,CN=EnvoyLens Test Intermediate CA", leaf.Issuer);
        Assert.Equal("spiffe://cluster.local/ns/default/sa/bookinfo-reviews", leaf.SpiffeId);
        Assert.Equal(["spiffe://cluster.local/ns/default/sa/bookinfo-reviews"], leaf.Uris);
        Assert.Empty(leaf.DnsNames);
        Assert.Equal("EC", leaf.KeyAlgorithm);
        Assert.Equal(256, leaf.KeySize);
        Assert.Equal("P-256", leaf.Curve);
        Assert.Equal("ecdsa-with-SHA256", leaf.SignatureAlgorithm);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), leaf.NotBefore);
        Assert.Equal(new DateTimeOffset(2027, 11, 1, 0, 0, 0, TimeSpan.Zero), leaf.NotAfter);
        Assert.False(leaf.IsCa);
        Assert.Equal(KeyUsageFlags.DigitalSignature | KeyUsageFlags.KeyEncipherment, leaf.KeyUsage);
        Assert.True(leaf.KeyUsageCritical);
        Assert.Equal(["serverAuth", "clientAuth"], leaf.ExtendedKeyUsages);
        Assert.Equal(95, leaf.Sha256Fingerprint.Length);
        Assert.Equal(3, leaf.Version);
    }

    [Fact]
    public void Given_the_committed_serial_When_read_Then_it_matches_what_certs_json_shows()
    {
        var leaf = Pki.File("workload-reviews.pem");

        var certsJson = File.ReadAllText(TestPaths.Fixture("snapshots", "reviews", "certs.json"));
        Assert.Contains($"\"serial_number\": \"{leaf.SerialNumberHex}\"", certsJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_chain_with_a_broken_middle_block_When_read_Then_the_problem_names_the_block_and_the_good_blocks_are_kept()
    {
        var leaf = File.ReadAllText(TestPaths.Fixture("pki", "workload-reviews.pem"));
        var root = File.ReadAllText(TestPaths.Fixture("pki", "root.pem"));
        var text = leaf + "-----BEGIN CERTIFICATE-----\nMIIBbroken!!\n-----END CERTIFICATE-----\n" + root;

        var read = CertificateReader.ReadPem(text, "secret default");

        Assert.Equal([0, 2], read.Certificates.Select(c => c.Index));
        var problem = Assert.Single(read.Problems);
        Assert.Equal(1, problem.Index);
        Assert.Equal("certificate block 1 of 'secret default' is not valid base64.", problem.Message);
    }

    [Fact]
    public void Given_valid_base64_that_is_not_DER_When_read_Then_the_block_is_reported_as_not_a_certificate()
    {
        var text = "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(Encoding.ASCII.GetBytes("hello, not a certificate")) + "\n-----END CERTIFICATE-----\n";

        var read = CertificateReader.ReadPem(text, "f.pem");

        Assert.Empty(read.Certificates);
        Assert.StartsWith("certificate block 0 of 'f.pem' is not a valid X.509 certificate", Assert.Single(read.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_unterminated_block_When_read_Then_it_is_reported_and_the_next_block_still_read()
    {
        var root = File.ReadAllText(TestPaths.Fixture("pki", "root.pem"));
        var text = "-----BEGIN CERTIFICATE-----\nMIIB\n" + root;

        var read = CertificateReader.ReadPem(text, "bundle");

        Assert.Single(read.Certificates);
        Assert.Equal(1, read.Certificates[0].Index);
        Assert.Equal("certificate block 0 of 'bundle' has no END CERTIFICATE line.", Assert.Single(read.Problems).Message);
    }

    [Fact]
    public void Given_a_PEM_file_When_read_Then_the_fingerprint_is_the_SHA256_of_the_DER_bytes_in_it()
    {
        var text = File.ReadAllText(TestPaths.Fixture("pki", "root.pem"));
        var found = System.Security.Cryptography.PemEncoding.Find(text);
        var der = Convert.FromBase64String(text[found.Base64Data]);
        var expected = string.Join(':', Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(der)).Chunk(2).Select(p => new string(p)));

        var read = CertificateReader.ReadPem(text, "root.pem");

        Assert.Equal(expected, Assert.Single(read.Certificates).Sha256Fingerprint, ignoreCase: true);
    }

    [Fact]
    public void Given_a_PEM_body_with_form_feeds_and_no_break_spaces_When_read_Then_it_decodes_as_without_them()
    {
        var text = File.ReadAllText(TestPaths.Fixture("pki", "root.pem"));
        var spaced = text.Replace("\n", "\f\n", StringComparison.Ordinal).Replace("-----\f", "-----", StringComparison.Ordinal).Insert(text.IndexOf('\n') + 5, "\u00A0");

        var plain = Assert.Single(CertificateReader.ReadPem(text, "root.pem").Certificates);
        var read = CertificateReader.ReadPem(spaced, "spaced.pem");

        Assert.Empty(read.Problems);
        Assert.Equal(plain.Sha256Fingerprint, Assert.Single(read.Certificates).Sha256Fingerprint);
    }

    [Fact]
    public void Given_DER_bytes_When_read_Then_the_certificate_is_the_same_as_from_PEM()
    {
        var pem = Pki.File("root.pem");

        var der = CertificateReader.ReadBytes(pem.GetDer(), "root.der");

        Assert.Equal(pem.Sha256Fingerprint, Assert.Single(der.Certificates).Sha256Fingerprint);
    }

    [Fact]
    public void Given_text_without_PEM_When_read_Then_one_problem_says_so()
    {
        var read = CertificateReader.ReadPem("just some text", "secret x");

        Assert.Equal("'secret x' holds no PEM certificate block.", Assert.Single(read.Problems).Message);
    }

    [Fact]
    public void Given_a_missing_file_When_read_Then_a_problem_names_it()
    {
        var read = CertificateReader.ReadFile(Path.Combine(TestPaths.Fixtures, "no-such.pem"));

        Assert.Contains("no-such.pem", Assert.Single(read.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_reviews_bundle_When_inventoried_Then_every_secret_certificate_is_found()
    {
        var inventory = CertificateInventory.From(Snapshots.Decode(Snapshots.Reviews));

        Assert.Empty(inventory.Problems);
        var workload = inventory.WorkloadChain;
        Assert.NotNull(workload);
        Assert.Equal("secret default", workload.Source);
        Assert.Equal(2, workload.Certificates.Count);
        Assert.Equal("spiffe://cluster.local/ns/default/sa/bookinfo-reviews", workload.Leaf?.SpiffeId);
        Assert.Equal(["O=cluster.local,CN=EnvoyLens Test Root CA", "O=Example Partner Inc,CN=Example Partner Root CA"],
            inventory.TrustedCas.Select(c => c.Subject));
        Assert.Equal(["secret default", "secret kubernetes://egress-cert"], inventory.Chains.Select(g => g.Source).Order(StringComparer.Ordinal));
        Assert.Equal(2, inventory.Chains.Single(g => g.SecretName == "kubernetes://egress-cert").Certificates.Count);
    }
}
