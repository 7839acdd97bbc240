using EnvoyLens.Core;
using EnvoyLens.Model;
using CoreV3 = Envoy.Config.Core.V3;
using TlsV3 = Envoy.Extensions.TransportSockets.Tls.V3;

namespace EnvoyLens.Decoding.Normalize;

/// <summary>SDS Secret → <see cref="Secret"/> with every certificate PEM block as its own string.</summary>
internal sealed class SecretMapper(NormalizeContext context)
{
    private const string BeginCertificate = "-----BEGIN CERTIFICATE-----";
    private const string EndCertificate = "-----END CERTIFICATE-----";

    /// <remarks><see cref="Secret.Pointer"/> is where the PEM text sits (certificate_chain or trusted_ca), else the secret itself.</remarks>
    public Secret Map(TlsV3.Secret secret, ResourceMeta meta)
    {
        var at = meta.Pointer;
        IReadOnlyList<string> chain = [];
        IReadOnlyList<string> trusted = [];
        var sans = new List<StringMatch>();
        IReadOnlyList<SpiffeTrustBundle> bundles = [];
        var hasKey = false;
        var pemAt = at;
        SecretType type;
        switch (secret.TypeCase)
        {
            case TlsV3.Secret.TypeOneofCase.TlsCertificate:
                type = SecretType.TlsCertificate;
                var certificate = secret.TlsCertificate;
                pemAt = at.Append("tls_certificate").Append("certificate_chain");
                chain = Pem(certificate.CertificateChain, pemAt, meta.Name, "certificate chain");
                hasKey = certificate.PrivateKey is not null || certificate.PrivateKeyProvider is not null || certificate.Pkcs12 is not null;
                break;
            case TlsV3.Secret.TypeOneofCase.ValidationContext:
                type = SecretType.ValidationContext;
                pemAt = at.Append("validation_context").Append("trusted_ca");
                trusted = Pem(secret.ValidationContext.TrustedCa, pemAt, meta.Name, "trusted CA");
                TlsMapper.AddSubjectAltNameMatchers(secret.ValidationContext, sans);
                bundles = new TlsMapper(context).SpiffeTrustBundles(secret.ValidationContext, context.At(secret.ValidationContext, at.Append("validation_context")));
                break;
            case TlsV3.Secret.TypeOneofCase.SessionTicketKeys:
                type = SecretType.SessionTicketKeys;
                break;
            case TlsV3.Secret.TypeOneofCase.GenericSecret:
                type = SecretType.GenericSecret;
                break;
            default:
                type = SecretType.Unknown;
                break;
        }

        return new Secret(meta, type, chain, trusted, sans, hasKey, pemAt) { SpiffeTrustBundles = bundles };
    }

    /// <summary>
    /// The certificate PEM blocks of a data source. Inline text without any block is kept whole (so certificate
    /// checks can say it is not PEM); a file or environment variable reference is reported, since its content is not
    /// in the dump.
    /// </summary>
    private IReadOnlyList<string> Pem(CoreV3.DataSource? source, JsonPointer at, string secretName, string what)
    {
        if (source is null)
        {
            return [];
        }

        var text = ProtoValues.DataSourceText(source);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        if (!ProtoValues.IsInline(source))
        {
            context.Report(DiagnosticLevel.Info, DiagnosticCodes.Interpretation, at, $"Secret '{secretName}' reads its {what} from '{text}', which is not part of the dump; it is not checked.");
            return [];
        }

        var blocks = SplitCertificates(text);
        return blocks.Count > 0 ? blocks : [text];
    }

    /// <summary>Every <c>BEGIN CERTIFICATE</c> … <c>END CERTIFICATE</c> block of <paramref name="text"/>, in order, as written plus a final newline.</summary>
    internal static IReadOnlyList<string> SplitCertificates(string text)
    {
        var blocks = new List<string>();
        var position = 0;
        while (true)
        {
            var begin = text.IndexOf(BeginCertificate, position, StringComparison.Ordinal);
            if (begin < 0)
            {
                break;
            }

            var end = text.IndexOf(EndCertificate, begin + BeginCertificate.Length, StringComparison.Ordinal);
            var next = text.IndexOf(BeginCertificate, begin + BeginCertificate.Length, StringComparison.Ordinal);
            if (end < 0 || (next >= 0 && next < end))
            {
                // An unterminated block: keep what there is up to the next block (certificate checks will say it is broken).
                var stop = next >= 0 ? next : text.Length;
                blocks.Add(text[begin..stop].TrimEnd());
                position = stop;
                continue;
            }

            var stopAt = end + EndCertificate.Length;
            blocks.Add(text[begin..stopAt] + "\n");
            position = stopAt;
        }

        return blocks;
    }
}
