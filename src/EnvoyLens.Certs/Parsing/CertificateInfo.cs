using System.Globalization;
using System.Text;
using Org.BouncyCastle.X509;

namespace EnvoyLens.Certs.Parsing;

/// <summary>Key usage bits of an X.509 certificate (RFC 5280 4.2.1.3).</summary>
[Flags]
public enum KeyUsageFlags
{
    None = 0,
    DigitalSignature = 1,
    NonRepudiation = 2,
    KeyEncipherment = 4,
    DataEncipherment = 8,
    KeyAgreement = 16,
    KeyCertSign = 32,
    CrlSign = 64,
    EncipherOnly = 128,
    DecipherOnly = 256,
}

/// <summary>
/// One parsed X.509 certificate, proto- and BouncyCastle-free for callers: identity, names, key, signature, validity,
/// extensions and fingerprint. <see cref="Origin"/> names where it was read (a file, a secret) and
/// <see cref="Index"/> its block position there (0-based).
/// </summary>
/// <param name="SerialNumberHex">The serial as <see cref="EnvoyLens.Core.SerialNumbers"/> prints it: lowercase hex, two digits per byte, as openssl.</param>
public sealed record CertificateInfo(
    string Origin,
    int Index,
    string Subject,
    string Issuer,
    string SerialNumberHex,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<string> Uris,
    IReadOnlyList<string> IpAddresses,
    IReadOnlyList<string> EmailAddresses,
    string KeyAlgorithm,
    int KeySize,
    string? Curve,
    string SignatureAlgorithm,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    bool IsCa,
    int? PathLength,
    KeyUsageFlags? KeyUsage,
    bool KeyUsageCritical,
    IReadOnlyList<string> ExtendedKeyUsages,
    IReadOnlyList<CertificateExtension> Extensions,
    string Sha256Fingerprint,
    int Version)
{
    internal X509Certificate Bc { get; init; } = null!;

    /// <summary>
    /// Why the certificate breaks X.509's encoding rules although it could still be read (an extension twice, an
    /// extension value that does not decode), in words that follow "it"; null for a well-formed certificate. Path
    /// validation rejects a path that holds such a certificate.
    /// </summary>
    public string? Defect { get; init; }

    /// <summary>The DER encoding.</summary>
    public byte[] GetDer() => Bc.GetEncoded();

    /// <summary>The SPIFFE ID: the single <c>spiffe://</c> URI SAN, or null when there is none.</summary>
    public string? SpiffeId => Uris.FirstOrDefault(u => u.StartsWith("spiffe://", StringComparison.OrdinalIgnoreCase));

    public bool IsSelfIssued => string.Equals(Subject, Issuer, StringComparison.Ordinal);

    /// <summary>How a sentence names this certificate: its SPIFFE ID, else its subject, plus its serial.</summary>
    public string Label
    {
        get
        {
            var name = SpiffeId ?? (Subject.Length > 0 ? Subject : DnsNames.FirstOrDefault() ?? "(empty subject)");
            if (name.Length > 96)
            {
                name = name[..93] + "...";
            }

            return $"'{name}' (serial {SerialNumberHex})";
        }
    }

    /// <summary>The whole lifetime.</summary>
    public TimeSpan Lifetime => NotAfter - NotBefore;

    /// <summary>All subject alternative names as <c>DNS:x</c>, <c>URI:x</c>, <c>IP:x</c>, <c>email:x</c>.</summary>
    public IReadOnlyList<string> SubjectAltNames =>
        DnsNames.Select(d => "DNS:" + d).Concat(Uris.Select(u => "URI:" + u)).Concat(IpAddresses.Select(i => "IP:" + i))
            .Concat(EmailAddresses.Select(e => "email:" + e)).ToList();

    /// <summary>True when valid at <paramref name="at"/>; notBefore and notAfter are both inclusive to the second.</summary>
    public bool IsValidAt(DateTimeOffset at)
    {
        var t = TruncateToSecond(at);
        return t >= NotBefore && t <= NotAfter;
    }

    internal static DateTimeOffset TruncateToSecond(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    public string KeyDescription => Curve is { } c ? string.Create(CultureInfo.InvariantCulture, $"{KeyAlgorithm} {c}") : string.Create(CultureInfo.InvariantCulture, $"{KeyAlgorithm} {KeySize}");

    internal static string Hex(byte[] bytes, char separator)
    {
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (sb.Length > 0 && separator != '\0')
            {
                sb.Append(separator);
            }

            sb.Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}

/// <summary>One extension: its OID, friendly name, whether it is critical and whether EnvoyLens understands it.</summary>
public sealed record CertificateExtension(string Oid, string Name, bool Critical, bool Understood, string Value);

/// <summary>A block or file that could not be read as a certificate: where, which block (0-based) and why, in one sentence.</summary>
public sealed record CertificateProblem(string Origin, int? Index, string Message);

/// <summary>What reading a PEM text, DER blob or file gave: the good certificates and the problems.</summary>
public sealed record CertificateReadResult(IReadOnlyList<CertificateInfo> Certificates, IReadOnlyList<CertificateProblem> Problems)
{
    public static CertificateReadResult Empty { get; } = new([], []);
}
