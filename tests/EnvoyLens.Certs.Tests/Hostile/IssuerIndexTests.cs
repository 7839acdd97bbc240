using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Validation;
using EnvoyLens.TestKit;
using Org.BouncyCastle.Asn1.X509;

namespace EnvoyLens.Certs.Tests.Hostile;

/// <summary>The issuer index finds exactly the certificates a scan with <c>X509Name.Equivalent</c> finds.</summary>
public sealed class IssuerIndexTests
{
    private static List<CertificateInfo> Pool() =>
        Directory.GetFiles(TestPaths.Fixture("pki"), "*.pem", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(f => CertificateReader.ReadFile(f).Certificates)
            .ToList();

    [Fact]
    public void Given_the_test_PKI_When_each_issuer_is_looked_up_Then_the_index_returns_what_a_scan_returns_in_pool_order()
    {
        var pool = Pool();
        var index = new IssuerIndex(pool);
        Assert.True(pool.Count > 5);

        foreach (var child in pool)
        {
            var scanned = pool.Where(c => c.Bc.SubjectDN.Equivalent(child.Bc.IssuerDN, true)).Select(c => c.Sha256Fingerprint);
            Assert.Equal(scanned, index.Candidates(child.Bc.IssuerDN).Select(c => c.Sha256Fingerprint));
        }

        Assert.Contains(pool, c => index.Candidates(c.Bc.IssuerDN).Any());
    }

    [Theory]
    [InlineData("O=cluster.local,CN=Test Root CA", "o=CLUSTER.LOCAL, cn=test  root ca", true)]
    [InlineData("O=cluster.local,CN=Test Root CA", "O=cluster.local,CN=Test Root CA 2", false)]
    [InlineData("O=cluster.local,CN=Test Root CA", "CN=Test Root CA,O=cluster.local", false)]
    public void Given_two_names_When_keyed_Then_names_BouncyCastle_calls_equivalent_share_a_key(string a, string b, bool equivalent)
    {
        var (x, y) = (new X509Name(a), new X509Name(b));

        Assert.Equal(equivalent, x.Equivalent(y, true));
        Assert.Equal(equivalent, IssuerIndex.Key(x) == IssuerIndex.Key(y));
    }

    [Fact]
    public void Given_a_name_with_a_hex_encoded_value_When_keyed_Then_it_has_no_key_and_is_compared_with_every_candidate()
    {
        Assert.Null(IssuerIndex.Key(new X509Name("CN=#0c03616263")));
    }
}
