using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Views;

/// <summary>
/// <c>istioctl proxy-config secret</c>, one row per certificate of every chain and trust bundle (istioctl
/// shows only the first). Warming secrets come first, then the others in dump order. VALID CERT is whether
/// the certificate is within its validity period at the clock's instant. A secret without certificates (a
/// warming one, say) has one row with VALID CERT false and empty certificate cells; a PEM block that does not
/// parse as a certificate has a row with SERIAL NUMBER <c>&lt;invalid&gt;</c>.
/// </summary>
public static class SecretsView
{
    public static readonly IReadOnlyList<Column> Columns =
    [
        new("RESOURCE NAME", "resourceName"),
        new("TYPE", "type"),
        new("STATUS", "status"),
        new("VALID CERT", "validCert"),
        new("SERIAL NUMBER", "serialNumber"),
        new("NOT AFTER", "notAfter"),
        new("NOT BEFORE", "notBefore"),
    ];

    public static Table Build(EnvoySnapshot snapshot, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var at = clock.GetUtcNow();
        var rows = new List<IReadOnlyList<Cell>>();
        foreach (var secret in snapshot.Secrets.Where(s => s.Meta.State == ResourceState.Warming)
                     .Concat(snapshot.Secrets.Where(s => s.Meta.State != ResourceState.Warming)))
        {
            var name = Cell.Of(secret.Name);
            var type = Cell.Of(TypeText(secret.Type));
            var status = Cell.Of(secret.Meta.State.ToString().ToUpperInvariant());
            var pems = secret.Type == SecretType.ValidationContext ? secret.TrustedCaPem : secret.CertificateChainPem.Concat(secret.TrustedCaPem).ToList();
            var blocks = pems.SelectMany(PemBlocks).ToList();
            if (blocks.Count == 0)
            {
                rows.Add([name, type, status, Cell.Flag(false), Cell.Of(null), Cell.Of(null), Cell.Of(null)]);
                continue;
            }

            foreach (var der in blocks)
            {
                var cert = TryParse(der);
                if (cert is null)
                {
                    rows.Add([name, type, status, Cell.Flag(false), Cell.Of("<invalid>"), Cell.Of(null), Cell.Of(null)]);
                    continue;
                }

                var valid = at >= cert.Value.NotBefore && at <= cert.Value.NotAfter;
                rows.Add([name, type, status, Cell.Flag(valid), Cell.Of(cert.Value.Serial), Cell.Of(Format(cert.Value.NotAfter)), Cell.Of(Format(cert.Value.NotBefore))]);
            }
        }

        return new Table("secrets", "Secrets", Columns, rows);
    }

    private static string TypeText(SecretType type) => type switch
    {
        SecretType.TlsCertificate => "Cert Chain",
        SecretType.ValidationContext => "CA",
        SecretType.SessionTicketKeys => "Session Ticket Keys",
        SecretType.GenericSecret => "Generic Secret",
        _ => "",
    };

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The DER bytes of every CERTIFICATE block of a PEM text (other blocks skipped).</summary>
    internal static IEnumerable<byte[]> PemBlocks(string pem)
    {
        var rest = pem.AsMemory();
        var result = new List<byte[]>();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var span = rest.Span;
            if (span[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                var der = new byte[fields.DecodedDataLength];
                result.Add(Convert.TryFromBase64Chars(span[fields.Base64Data], der, out var n) ? der[..n] : []);
            }

            rest = rest[fields.Location.End..];
        }

        return result;
    }

    private static (string Serial, DateTimeOffset NotBefore, DateTimeOffset NotAfter)? TryParse(byte[] der)
    {
        if (der.Length == 0)
        {
            return null;
        }

        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(der);
            var hex = Convert.ToHexStringLower(cert.SerialNumberBytes.Span).TrimStart('0');
            return (hex.Length == 0 ? "0" : hex,
                new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
