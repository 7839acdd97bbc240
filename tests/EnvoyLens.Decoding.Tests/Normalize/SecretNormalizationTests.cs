using EnvoyLens.Core;
using EnvoyLens.Decoding.Normalize;
using EnvoyLens.Model;
using static EnvoyLens.Decoding.Tests.Normalize.NormalizeHarness;
using AdminV3 = Envoy.Admin.V3;

namespace EnvoyLens.Decoding.Tests.Normalize;

public sealed class SecretNormalizationTests
{
    private static readonly string Dump = """
    {
      "static_secrets": [
        { "name": "file-cert", "last_updated": "2024-01-01T00:00:00Z",
          "secret": { "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", "name": "file-cert",
            "tls_certificate": { "certificate_chain": { "filename": "/etc/certs/cert-chain.pem" } } } }
      ],
      "dynamic_active_secrets": [
        {
          "name": "default",
          "version_info": "2024-05-06 07:08:09.123456789 +0000 UTC m=+1.0",
          "last_updated": "2024-05-06T07:08:09Z",
          "secret": {
            "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret",
            "name": "default",
            "tls_certificate": {
              "certificate_chain": { "inline_bytes": CHAIN },
              "private_key": { "inline_bytes": "W3JlZGFjdGVkXQ==" }
            }
          }
        },
        {
          "name": "ROOTCA",
          "version_info": "r1",
          "secret": {
            "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret",
            "name": "ROOTCA",
            "validation_context": {
              "trusted_ca": { "inline_string": ROOTS },
              "match_typed_subject_alt_names": [ { "san_type": "DNS", "matcher": { "suffix": ".example.com", "ignore_case": true } } ]
            }
          }
        }
      ],
      "dynamic_warming_secrets": [
        { "name": "garbage", "secret": { "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", "name": "garbage",
            "tls_certificate": { "certificate_chain": { "inline_string": "not a certificate" } } } }
      ]
    }
    """
        .Replace("CHAIN", TestPem.Base64Json(TestPem.CertA + TestPem.CertB), StringComparison.Ordinal)
        .Replace("ROOTS", TestPem.Json("# bundle\n" + TestPem.CertB.Replace("\n", "\r\n", StringComparison.Ordinal) + "\n" + TestPem.CertA), StringComparison.Ordinal);

    private static Result NormalizeDump() => Run(Parse<AdminV3.SecretsConfigDump>(Dump));

    [Fact]
    public void GivenSecretsSection_ThenEachSecretHasItsNameOriginStateAndType()
    {
        var secrets = NormalizeDump().Config.Secrets;

        Assert.Equal(
            [("file-cert", ResourceOrigin.Static, ResourceState.Active, SecretType.TlsCertificate),
             ("default", ResourceOrigin.Dynamic, ResourceState.Active, SecretType.TlsCertificate),
             ("ROOTCA", ResourceOrigin.Dynamic, ResourceState.Active, SecretType.ValidationContext),
             ("garbage", ResourceOrigin.Dynamic, ResourceState.Warming, SecretType.TlsCertificate)],
            secrets.Select(s => (s.Name, s.Meta.Origin, s.Meta.State, s.Type)).ToArray());
        Assert.Equal("/configs/0/dynamic_active_secrets/0/secret", secrets[1].Meta.Pointer.Value);
        Assert.Equal("2024-05-06 07:08:09.123456789 +0000 UTC m=+1.0", secrets[1].Meta.VersionInfo);
    }

    [Fact]
    public void GivenAChainOfTwoInlineByteCertificates_ThenItIsSplitIntoTwoPemStrings()
    {
        var secret = NormalizeDump().Config.Secrets[1];

        Assert.Equal([TestPem.CertA, TestPem.CertB], secret.CertificateChainPem);
        Assert.Empty(secret.TrustedCaPem);
        Assert.Equal("/configs/0/dynamic_active_secrets/0/secret/tls_certificate/certificate_chain", secret.Pointer.Value);
    }

    [Fact]
    public void GivenARedactedPrivateKey_ThenHasPrivateKeyIsTrue()
    {
        var secrets = NormalizeDump().Config.Secrets;

        Assert.True(secrets[1].HasPrivateKey);
        Assert.False(secrets[0].HasPrivateKey);
        Assert.False(secrets[2].HasPrivateKey);
    }

    [Fact]
    public void GivenRootCaValidationContext_ThenEveryTrustedCaBlockAndSanMatcherIsRead()
    {
        var root = NormalizeDump().Config.Secrets[2];

        Assert.Equal(2, root.TrustedCaPem.Count);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----\r\nMIIBtDCC", root.TrustedCaPem[0], StringComparison.Ordinal);
        Assert.Equal(TestPem.CertA, root.TrustedCaPem[1]);
        Assert.Empty(root.CertificateChainPem);
        Assert.Equal([new StringMatch("suffix", ".example.com", true, "DNS")], root.SubjectAltNameMatchers);
        Assert.Equal("/configs/0/dynamic_active_secrets/1/secret/validation_context/trusted_ca", root.Pointer.Value);
    }

    [Fact]
    public void GivenInlineTextWithoutPem_ThenItIsKeptWholeForCertificateChecks()
    {
        var garbage = NormalizeDump().Config.Secrets[3];

        Assert.Equal(["not a certificate"], garbage.CertificateChainPem);
    }

    [Fact]
    public void GivenAChainReadFromAFile_ThenNoPemIsInventedAndAnInfoDiagnosticSaysSo()
    {
        var result = NormalizeDump();

        Assert.Empty(result.Config.Secrets[0].CertificateChainPem);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticLevel.Info, diagnostic.Level);
        Assert.Equal("/configs/0/static_secrets/0/secret/tls_certificate/certificate_chain", diagnostic.Pointer.Value);
        Assert.Contains("/etc/certs/cert-chain.pem", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenPemBlocksWithSurroundingText_WhenSplit_ThenOnlyTheBlocksRemainInOrder()
    {
        var blocks = SecretMapperProbe.Split("subject=CN=a\n" + TestPem.CertA + "junk\n" + TestPem.CertB.TrimEnd('\n') + "   ");

        Assert.Equal([TestPem.CertA, TestPem.CertB], blocks);
    }

    [Fact]
    public void GivenSecretsSection_ThenTheSummaryCountsStaticActiveAndWarming()
    {
        var section = Assert.Single(NormalizeDump().Config.Sections);

        Assert.Equal(1, section.Counts["Secret:Static"]);
        Assert.Equal(2, section.Counts["Secret:Active"]);
        Assert.Equal(1, section.Counts["Secret:Warming"]);
        Assert.Equal(4, section.Typed);
    }

    /// <summary>Reaches the PEM splitter through the public surface: a secret holding exactly the text.</summary>
    private static class SecretMapperProbe
    {
        public static IReadOnlyList<string> Split(string text)
        {
            var json = "{\"dynamic_active_secrets\":[{\"name\":\"p\",\"secret\":{\"@type\":\"type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret\",\"name\":\"p\",\"tls_certificate\":{\"certificate_chain\":{\"inline_string\":" + TestPem.Json(text) + "}}}}]}";
            var diagnostics = new List<DecodeDiagnostic>();
            var normalizer = new ConfigDumpNormalizer(Source, _ => null, diagnostics.Add);
            normalizer.AddSection(Parse<AdminV3.SecretsConfigDump>(json), JsonPointer.Root);
            return normalizer.Build().Secrets[0].CertificateChainPem;
        }
    }
}
