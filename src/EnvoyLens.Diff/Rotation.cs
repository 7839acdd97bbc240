using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace EnvoyLens.Diff;

/// <summary>Describes a certificate that changed by serial and expiry instead of by its bytes.</summary>
internal static class Rotation
{
    public static bool IsCertificatePath(string path) =>
        (path.Contains("/certificate_chain/", StringComparison.Ordinal) || path.Contains("/trusted_ca/", StringComparison.Ordinal)) &&
        (path.EndsWith("/inline_bytes", StringComparison.Ordinal) || path.EndsWith("/inline_string", StringComparison.Ordinal));

    /// <summary><c>serial 1a2b, expires 2027-01-01T00:00:00Z</c> (and how many more certificates follow), or a short note.</summary>
    public static string Describe(JsonNode? value)
    {
        var text = Identity.Text(value);
        if (text is null)
        {
            return "(none)";
        }

        var certificates = Parse(text);
        if (certificates.Count == 0)
        {
            return "(no readable certificate)";
        }

        try
        {
            var first = certificates[0];
            var more = certificates.Count > 1 ? $" (+{(certificates.Count - 1).ToString(CultureInfo.InvariantCulture)} more)" : string.Empty;
            return $"serial {Core.SerialNumbers.FromDerContent(first.SerialNumberBytes.Span)}, expires {Core.TimeText.Utc(first.NotAfter)}{more}";
        }
        finally
        {
            foreach (var c in certificates)
            {
                c.Dispose();
            }
        }
    }

    private static List<X509Certificate2> Parse(string value)
    {
        // inline_string holds PEM; inline_bytes holds base64 of PEM text or of DER.
        var pem = value;
        if (!value.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            try
            {
                var bytes = Convert.FromBase64String(value);
                pem = Encoding.ASCII.GetString(bytes);
                if (!pem.Contains("-----BEGIN", StringComparison.Ordinal))
                {
                    return Load(bytes) is { } der ? [der] : [];
                }
            }
            catch (FormatException)
            {
                return [];
            }
        }

        var result = new List<X509Certificate2>();
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                var der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
                if (Load(der) is { } c)
                {
                    result.Add(c);
                }
            }

            rest = rest[fields.Location.End..];
        }

        return result;
    }

    private static X509Certificate2? Load(byte[] der)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
