using EnvoyLens.TestKit;
using Org.BouncyCastle.Asn1;

namespace EnvoyLens.Cli.Tests;

/// <summary><c>certs verify --profile</c>, and certificates that can be read but break the encoding rules.</summary>
public sealed class CertsVerifyProfileTests : IDisposable
{
    private const string At = "2026-11-20T10:00:00Z";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("envoylens-verify-");

    public void Dispose() => _dir.Delete(true);

    private static string Pki(params string[] parts) => TestPaths.Fixture(["pki", .. parts]);

    private static string Corpus(string name)
    {
        Assert.True(TestPaths.Corpus is not null, "The shared corpus (../shared/corpus) is not present.");
        return TestPaths.CorpusFile("certs", name);
    }

    private string Write(string name, byte[] der)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks).Replace("\r", "", StringComparison.Ordinal) + "\n-----END CERTIFICATE-----\n");
        return path;
    }

    /// <summary>The first certificate of a PEM file with its first extension written twice (the signature is left as it was).</summary>
    private static byte[] WithFirstExtensionTwice(string pemFile)
    {
        var pem = File.ReadAllText(pemFile);
        var body = pem[(pem.IndexOf("-----\n", StringComparison.Ordinal) + 6)..pem.IndexOf("-----END", StringComparison.Ordinal)];
        var outer = Asn1Sequence.GetInstance(Convert.FromBase64String(body.Replace("\n", "", StringComparison.Ordinal)));
        var tbs = Asn1Sequence.GetInstance(outer[0]).ToArray();
        var at = Array.FindIndex(tbs, e => e is Asn1TaggedObject { TagNo: 3 });
        var extensions = Asn1Sequence.GetInstance((Asn1TaggedObject)tbs[at], true).ToArray();
        tbs[at] = new DerTaggedObject(true, 3, new DerSequence((Asn1Encodable[])[.. extensions, extensions[0]]));
        return new DerSequence(new DerSequence(tbs), outer[1], outer[2]).GetDerEncoded();
    }

    [Fact]
    public void Given_a_leaf_with_an_extension_twice_When_verified_Then_exit_1_saying_it_is_an_invalid_certificate()
    {
        var leaf = Write("twice.pem", WithFirstExtensionTwice(Pki("workload-reviews.pem")));

        var result = Cli.Run("certs", "verify", leaf, "--roots", Pki("root.pem"), "--untrusted", Pki("intermediate.pem"), "--at", At);

        Assert.Equal(1, result.ExitCode);
        var first = result.Out.Split('\n')[0];
        Assert.StartsWith("INVALID: Certificate 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews' (serial ", first, StringComparison.Ordinal);
        Assert.Matches(@"is an invalid certificate: it has the \S+ extension more than once \(certificate-syntax check\)\.$", first);
        Assert.Equal("", result.Err);
    }

    [Fact]
    public void Given_a_certificate_block_that_holds_no_certificate_When_verified_Then_exit_2_as_unusable_input()
    {
        var leaf = Write("not-a-certificate.pem", new DerSequence(DerInteger.ValueOf(7), new DerUtf8String("not a certificate")).GetDerEncoded());

        var result = Cli.Run("certs", "verify", leaf, "--roots", Pki("root.pem"), "--at", At);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains("is not a valid X.509 certificate", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_istio_sample_chain_When_verified_by_profile_Then_mesh_accepts_it_and_rfc5280_and_webpki_name_what_it_lacks()
    {
        string[] args = ["certs", "verify", Corpus("istio-samples-workload-foo-cert.pem"), "--roots", Corpus("istio-samples-root-cert.pem"), "--at", At,
            "--purpose", "client", "--name", "spiffe://trust-domain-foo/ns/foo/sa/foo"];

        var byDefault = Cli.Run(args);
        var mesh = Cli.Run([.. args, "--profile", "mesh"]);
        var rfc5280 = Cli.Run([.. args, "--profile", "rfc5280"]);
        var webpki = Cli.Run([.. args, "--profile", "WebPKI"]);

        Assert.Equal(0, byDefault.ExitCode);
        Assert.Equal(byDefault.Out, mesh.Out);
        Assert.Equal(1, rfc5280.ExitCode);
        Assert.StartsWith("INVALID: Certificate 'spiffe://trust-domain-foo/ns/foo/sa/foo' (serial ", rfc5280.Out, StringComparison.Ordinal);
        Assert.Contains("is not self-signed but has no authority key identifier (authority-key-identifier check).", rfc5280.Out.Split('\n')[0], StringComparison.Ordinal);
        Assert.Equal(1, webpki.ExitCode);
        Assert.Equal(rfc5280.Out, webpki.Out);
    }

    [Fact]
    public void Given_an_unknown_profile_When_verified_Then_exit_2_naming_the_choices()
    {
        var result = Cli.Run("certs", "verify", Pki("root.pem"), "--roots", Pki("root.pem"), "--profile", "strict");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--profile must be mesh, rfc5280 or webpki, not 'strict'.", result.Err, StringComparison.Ordinal);
    }
}
