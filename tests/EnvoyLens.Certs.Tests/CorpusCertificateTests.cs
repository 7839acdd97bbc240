using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Spiffe;
using EnvoyLens.Certs.Validation;
using EnvoyLens.TestKit;

namespace EnvoyLens.Certs.Tests;

/// <summary>The real certificates of ../shared/corpus/certs, read in place; facts from MANIFEST.tsv.</summary>
public sealed class CorpusCertificateTests
{
    private static readonly DateTimeOffset At = FixedClock.FixtureInstant;

    private static CertificateReadResult Read(string name)
    {
        Skip.If(TestPaths.Corpus is null, "the shared corpus is not present");
        return CertificateReader.ReadFile(TestPaths.CorpusFile("certs", name));
    }

    [SkippableFact]
    public void Given_every_corpus_certificate_file_When_read_Then_each_parses_or_reports_a_problem()
    {
        Skip.If(TestPaths.Corpus is null, "the shared corpus is not present");
        var files = Directory.GetFiles(TestPaths.CorpusFile("certs"), "*.pem").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(13, files.Count);

        var results = files.ToDictionary(f => Path.GetFileName(f), CertificateReader.ReadFile, StringComparer.Ordinal);

        foreach (var (name, read) in results)
        {
            Assert.True(read.Certificates.Count + read.Problems.Count > 0, $"{name} gave neither a certificate nor a problem");
        }

        Assert.Equal(12, results.Count(r => r.Value.Problems.Count == 0));
        Assert.NotEmpty(results["istio-invalidpem.pem"].Problems);
    }

    [SkippableFact]
    public void Given_the_istio_invalid_pem_When_read_Then_the_problem_names_the_file_and_block()
    {
        var read = Read("istio-invalidpem.pem");

        var problem = read.Problems[0];
        Assert.NotNull(problem.Index);
        Assert.Contains("istio-invalidpem.pem", problem.Message, StringComparison.Ordinal);
        Assert.Contains("certificate block", problem.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Given_the_istio_sample_workload_chain_When_read_Then_the_SVID_facts_match_the_manifest()
    {
        var read = Read("istio-samples-workload-foo-cert.pem");

        Assert.Equal(2, read.Certificates.Count);
        var leaf = read.Certificates[0];
        Assert.Equal("spiffe://trust-domain-foo/ns/foo/sa/foo", leaf.SpiffeId);
        Assert.Equal("", leaf.Subject);
        Assert.Equal("RSA", leaf.KeyAlgorithm);
        Assert.Equal(2048, leaf.KeySize);
        Assert.Equal(new DateTimeOffset(2033, 1, 30, 18, 20, 57, TimeSpan.Zero), leaf.NotAfter);
        Assert.Contains("CN=Istio CA", read.Certificates[1].Subject, StringComparison.Ordinal);
        Assert.True(read.Certificates[1].IsCa);
        Assert.Equal(new SpiffeId("trust-domain-foo", "/ns/foo/sa/foo"), SpiffeId.TryParse(leaf.SpiffeId, out _));
    }

    [SkippableFact]
    public void Given_the_istio_sample_chain_and_root_When_verified_Then_the_leaf_chains_to_the_root()
    {
        var chain = Read("istio-samples-workload-foo-cert.pem").Certificates;
        var root = Read("istio-samples-root-cert.pem").Certificates;

        var result = PathValidator.Verify(new VerifyRequest(chain[0], root, chain.Skip(1).ToList(), At, CertificatePurpose.Client, "spiffe://trust-domain-foo/ns/foo/sa/foo"));

        Assert.True(result.Valid, result.Reason);
        Assert.Equal(3, result.Chain.Count);
    }

    [SkippableFact]
    public void Given_the_combined_root_bundle_When_read_Then_both_roots_are_there_and_the_sample_chain_validates_against_it()
    {
        var bundle = Read("istio-samples-root-cert-combined.pem").Certificates;
        var chain = Read("istio-samples-workload-foo-cert.pem").Certificates;

        Assert.Equal(2, bundle.Count);
        Assert.All(bundle, c => Assert.True(c.IsCa));
        Assert.True(PathValidator.Verify(new VerifyRequest(chain[0], bundle, [chain[1]], At)).Valid);
    }

    [SkippableFact]
    public void Given_the_linkerd_expired_issuer_When_verified_against_itself_Then_it_is_invalid_for_expiry()
    {
        var expired = Read("linkerd-expired-issuer-crt.pem").Certificates.Single();

        var result = PathValidator.Verify(new VerifyRequest(expired, [expired], [], At));

        Assert.False(result.Valid);
        Assert.Equal("validity", result.Check);
        Assert.Equal(new DateTimeOffset(1990, 1, 1, 1, 1, 11, TimeSpan.Zero), expired.NotAfter);
        Assert.Contains("expired at 1990-01-01T01:01:11Z", result.Reason, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Given_the_linkerd_issuer_and_trust_anchor_When_verified_Then_the_issuer_chains_to_the_anchor_of_the_same_subject()
    {
        var issuer = Read("linkerd-valid-issuer-crt.pem").Certificates.Single();
        var anchor = Read("linkerd-valid-trust-anchors.pem").Certificates.Single();

        Assert.Equal("CN=identity.linkerd.cluster.local", issuer.Subject);
        Assert.Equal(["identity.linkerd.cluster.local"], issuer.DnsNames);
        Assert.Equal("P-256", issuer.Curve);
        Assert.Equal(issuer.Subject, anchor.Subject);
        Assert.NotEqual(issuer.Sha256Fingerprint, anchor.Sha256Fingerprint);
        var result = PathValidator.Verify(new VerifyRequest(issuer, [anchor], [], At));
        Assert.True(result.Valid, result.Reason);
        Assert.Equal([issuer.Sha256Fingerprint, anchor.Sha256Fingerprint], result.Chain.Select(c => c.Sha256Fingerprint));
        var tooLate = PathValidator.Verify(new VerifyRequest(issuer, [anchor], [], new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal("validity", tooLate.Check);
    }

    [SkippableFact]
    public void Given_the_kuma_server_cert_When_read_Then_DNS_and_IPv6_SANs_are_extracted()
    {
        var cert = Read("kuma-test-server-cert.pem").Certificates.Single();

        Assert.Equal(["localhost"], cert.DnsNames);
        Assert.Equal(["fd00:a123::1"], cert.IpAddresses);
        Assert.True(cert.IsCa);
        Assert.True(PathValidator.NameMatches(cert, "FD00:A123:0:0:0:0:0:1"));
    }

    [SkippableFact]
    public void Given_the_contour_server_and_CA_When_verified_for_localhost_Then_valid()
    {
        var server = Read("contour-httpsvc-server.pem").Certificates.Single();
        var ca = Read("contour-httpsvc-ca.pem").Certificates.Single();

        var ok = PathValidator.Verify(new VerifyRequest(server, [ca], [], At, CertificatePurpose.Server, "localhost"));
        var wrongName = PathValidator.Verify(new VerifyRequest(server, [ca], [], At, CertificatePurpose.Server, "example.com"));

        Assert.True(ok.Valid, ok.Reason);
        Assert.False(wrongName.Valid);
        Assert.Equal("name", wrongName.Check);
    }
}
