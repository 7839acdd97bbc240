using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using EnvoyLens.Core;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace EnvoyLens.Certs.Parsing;

/// <summary>
/// Reads certificates from PEM text (every <c>CERTIFICATE</c> block, in order), DER bytes or files. A broken block
/// becomes a <see cref="CertificateProblem"/> naming the origin and block index; the good blocks are still returned. A
/// certificate that can be read but breaks the encoding rules (see <see cref="CertificateInfo.Defect"/>) is returned and
/// reported as a problem too.
/// Blocks of other types (private keys, parameters) are skipped.
/// </summary>
public static class CertificateReader
{
    private const string Begin = "-----BEGIN ";
    private const string Dashes = "-----";

    /// <summary>Reads a file: PEM (any number of blocks) or a single DER certificate.</summary>
    public static CertificateReadResult ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CertificateReadResult([], [new CertificateProblem(path, null, $"cannot read '{path}': {e.Message.TrimEnd('.')}.")]);
        }

        return ReadBytes(bytes, path);
    }

    /// <summary>Reads bytes that hold PEM text or one DER certificate.</summary>
    public static CertificateReadResult ReadBytes(byte[] bytes, string origin)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length > 0 && bytes[0] == 0x30)
        {
            return ParseDer(bytes, origin, 0) is { } one
                ? new(one.Certificate is { } c ? [c] : [], one.Problem is { } p ? [p] : [])
                : CertificateReadResult.Empty;
        }

        return ReadPem(Encoding.UTF8.GetString(bytes), origin);
    }

    /// <summary>Reads every certificate block of PEM text. Text without any PEM block is one problem.</summary>
    public static CertificateReadResult ReadPem(string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        var certificates = new List<CertificateInfo>();
        var problems = new List<CertificateProblem>();
        var index = 0;
        var position = 0;
        var sawBlock = false;
        while (true)
        {
            var begin = text.IndexOf(Begin, position, StringComparison.Ordinal);
            if (begin < 0)
            {
                break;
            }

            var labelEnd = text.IndexOf(Dashes, begin + Begin.Length, StringComparison.Ordinal);
            var lineEnd = text.IndexOf('\n', begin);
            if (labelEnd < 0 || (lineEnd >= 0 && labelEnd > lineEnd))
            {
                sawBlock = true;
                problems.Add(new CertificateProblem(origin, index, $"{Describe(origin, index)} has a malformed BEGIN line."));
                index++;
                position = begin + Begin.Length;
                continue;
            }

            var label = text[(begin + Begin.Length)..labelEnd];
            var bodyStart = labelEnd + Dashes.Length;
            var endMarker = "-----END " + label + Dashes;
            var end = text.IndexOf(endMarker, bodyStart, StringComparison.Ordinal);
            var nextBegin = text.IndexOf(Begin, bodyStart, StringComparison.Ordinal);
            var isCertificate = label is "CERTIFICATE" or "X509 CERTIFICATE" or "TRUSTED CERTIFICATE";
            sawBlock |= isCertificate;
            if (end < 0 || (nextBegin >= 0 && nextBegin < end))
            {
                if (isCertificate)
                {
                    problems.Add(new CertificateProblem(origin, index, $"{Describe(origin, index)} has no END CERTIFICATE line."));
                    index++;
                }

                position = nextBegin >= 0 ? nextBegin : text.Length;
                continue;
            }

            position = end + endMarker.Length;
            if (!isCertificate)
            {
                continue;
            }

            if (Base64(text.AsSpan(bodyStart, end - bodyStart)) is not { } der)
            {
                problems.Add(new CertificateProblem(origin, index, $"{Describe(origin, index)} is not valid base64."));
                index++;
                continue;
            }

            var parsed = ParseDer(der, origin, index);
            if (parsed?.Certificate is { } certificate)
            {
                certificates.Add(certificate);
            }

            if (parsed?.Problem is { } problem)
            {
                problems.Add(problem);
            }

            index++;
        }

        if (!sawBlock && !string.IsNullOrWhiteSpace(text))
        {
            problems.Add(new CertificateProblem(origin, null, $"'{origin}' holds no PEM certificate block."));
        }

        return new CertificateReadResult(certificates, problems);
    }

    private static string Describe(string origin, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"certificate block {index} of '{origin}'");

    /// <summary>
    /// The bytes of a PEM body, or null when it is not base64. The usual body (lines of base64 split by spaces, tabs and
    /// line breaks) is decoded in place; only a body with other white space (form feeds, Unicode spaces) is copied
    /// without it first.
    /// </summary>
    private static byte[]? Base64(ReadOnlySpan<char> body)
    {
        var buffer = new byte[(body.Length / 4 * 3) + 3];
        if (Convert.TryFromBase64Chars(body, buffer, out var written))
        {
            return buffer.AsSpan(0, written).ToArray();
        }

        try
        {
            return Convert.FromBase64String(RemoveWhitespace(body));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string RemoveWhitespace(ReadOnlySpan<char> s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private sealed record Parsed(CertificateInfo? Certificate, CertificateProblem? Problem);

    private static Parsed? ParseDer(byte[] der, string origin, int index)
    {
        try
        {
            var asn1 = Asn1Object.FromByteArray(der);
            var structure = X509CertificateStructure.GetInstance(asn1);
            var bc = new BcCertificate(structure);
            return WithDefect(ToInfo(bc, origin, index, der));
        }
#pragma warning disable CA1031 // BouncyCastle throws many exception types for malformed DER; each becomes a problem.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (Repair(der, origin, index) is { } repaired)
            {
                return WithDefect(repaired);
            }

            var reason = e.Message.Length > 0 ? e.Message.Split('\n')[0].TrimEnd('.') : e.GetType().Name;
            return new Parsed(null, new CertificateProblem(origin, index, $"{Describe(origin, index)} is not a valid X.509 certificate ({reason})."));
        }
    }

    /// <summary>A certificate with a defect is returned and also reported, so that nothing reading it misses the defect.</summary>
    private static Parsed WithDefect(CertificateInfo c) =>
        new(c, c.Defect is { } defect ? new CertificateProblem(c.Origin, c.Index, $"{Describe(c.Origin, c.Index)} is an invalid X.509 certificate: it {defect}.") : null);

    /// <summary>
    /// A certificate BouncyCastle refuses only because of an empty issuer name or its extensions (one twice, or a basic
    /// constraints or key usage value that does not decode) is read without the offending parts and carries the
    /// <see cref="CertificateInfo.Defect"/>, so that validation can reject it as an invalid certificate. Anything else
    /// stays unreadable (null).
    /// </summary>
    private static CertificateInfo? Repair(byte[] der, string origin, int index)
    {
        try
        {
            var outer = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der));
            if (outer.Count != 3)
            {
                return null;
            }

            var tbs = Asn1Sequence.GetInstance(outer[0]);
            var fields = tbs.ToArray();
            var defects = new List<string>();

            // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, ...
            var issuerAt = (fields.Length > 0 && fields[0] is Asn1TaggedObject { TagNo: 0 } ? 1 : 0) + 2;
            var emptyIssuer = fields.Length > issuerAt && fields[issuerAt] is Asn1Sequence { Count: 0 };
            if (emptyIssuer)
            {
                // A stand-in, so that the rest can be read; the certificate is reported with an empty issuer.
                defects.Add("has an empty issuer name");
                fields[issuerAt] = new X509Name("CN=empty issuer").ToAsn1Object();
            }

            for (var i = 0; i < fields.Length; i++)
            {
                if (fields[i] is not Asn1TaggedObject { TagNo: 3 } tagged)
                {
                    continue;
                }

                var kept = new Asn1EncodableVector();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var element in Asn1Sequence.GetInstance(tagged, true))
                {
                    var extension = Asn1Sequence.GetInstance(element);
                    var oid = DerObjectIdentifier.GetInstance(extension[0]).Id;
                    if (!seen.Add(oid))
                    {
                        defects.Add($"has the {ExtensionNames.Of(oid)} extension more than once");
                        continue;
                    }

                    if (oid is "2.5.29.19" or "2.5.29.15" && !Decodes(oid, Asn1OctetString.GetInstance(extension[extension.Count - 1]).GetOctets()))
                    {
                        defects.Add($"has a {ExtensionNames.Of(oid)} extension whose value does not decode");
                        continue;
                    }

                    kept.Add(extension);
                }

                fields[i] = new DerTaggedObject(true, 3, new DerSequence(kept));
            }

            if (defects.Count == 0)
            {
                return null;
            }

            var bc = new BcCertificate(X509CertificateStructure.GetInstance(new DerSequence(new DerSequence(fields), outer[1], outer[2])));
            var info = ToInfo(bc, origin, index, der);
            return info with { Issuer = emptyIssuer ? "" : info.Issuer, Defect = string.Join("; ", defects.Distinct(StringComparer.Ordinal).Prepend(info.Defect).OfType<string>()) };
        }
#pragma warning disable CA1031 // Not repairable: the caller reports the original parse failure.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static bool Decodes(string oid, byte[] value)
    {
        try
        {
            var parsed = Asn1Object.FromByteArray(value);
            _ = oid == "2.5.29.19" ? (Asn1Encodable)BasicConstraints.GetInstance(parsed) : KeyUsage.GetInstance(parsed);
            return true;
        }
#pragma warning disable CA1031 // Any decoding failure means the value does not decode.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    /// <param name="der">The certificate's bytes as read: its fingerprint is theirs (as openssl's), and re-encoding
    /// the parsed certificate to hash it would cost a fifth of the reading.</param>
    internal static CertificateInfo ToInfo(BcCertificate bc, string origin, int index, ReadOnlySpan<byte> der)
    {
        var tbs = bc.CertificateStructure.TbsCertificate;
        var extensions = tbs.Extensions;
        var dns = new List<string>();
        var uris = new List<string>();
        var ips = new List<string>();
        var emails = new List<string>();
        var defects = new List<string>();
        GeneralNames? names = null;
        if (extensions?.GetExtension(X509Extensions.SubjectAlternativeName) is { } sanExtension)
        {
            names = Decode(() => GeneralNames.GetInstance(sanExtension.GetParsedValue()), "subjectAltName", defects);
        }

        if (names is not null)
        {
            foreach (var name in names.GetNames())
            {
                switch (name.TagNo)
                {
                    case GeneralName.DnsName:
                        dns.Add(DerIA5String.GetInstance(name.Name).GetString());
                        break;
                    case GeneralName.UniformResourceIdentifier:
                        uris.Add(DerIA5String.GetInstance(name.Name).GetString());
                        break;
                    case GeneralName.Rfc822Name:
                        emails.Add(DerIA5String.GetInstance(name.Name).GetString());
                        break;
                    case GeneralName.IPAddress:
                        var octets = Asn1OctetString.GetInstance(name.Name).GetOctets();
                        ips.Add(octets.Length is 4 or 16 ? new IPAddress(octets).ToString() : CertificateInfo.Hex(octets, ':'));
                        break;
                }
            }
        }

        var (keyAlgorithm, keySize, curve) = KeyOf(bc);
        var basic = bc.GetBasicConstraints();
        var isCa = basic >= 0;
        int? pathLength = isCa && basic != int.MaxValue ? basic : null;
        KeyUsageFlags? usage = null;
        var usageCritical = false;
        if (bc.GetKeyUsage() is { } bits)
        {
            var flags = KeyUsageFlags.None;
            for (var i = 0; i < Math.Min(bits.Length, 9); i++)
            {
                if (bits[i])
                {
                    flags |= (KeyUsageFlags)(1 << i);
                }
            }

            usage = flags;
            usageCritical = extensions?.GetExtension(X509Extensions.KeyUsage)?.IsCritical ?? false;
        }

        var ekus = new List<string>();
        if (extensions?.GetExtension(X509Extensions.ExtendedKeyUsage) is { } ekuExtension)
        {
            if (Decode(() => ExtendedKeyUsage.GetInstance(ekuExtension.GetParsedValue()), "extKeyUsage", defects) is { } eku)
            {
                ekus.AddRange(eku.GetAllUsages().Select(o => ExtensionNames.Eku(o.Id)));
            }
        }

        var extensionList = new List<CertificateExtension>();
        if (extensions is not null)
        {
            foreach (var oid in extensions.GetExtensionOids())
            {
                var ext = extensions.GetExtension(oid);
                extensionList.Add(new CertificateExtension(oid.Id, ExtensionNames.Of(oid.Id), ext.IsCritical, ExtensionNames.Understood(oid.Id), ExtensionNames.Describe(oid.Id, ext)));
            }
        }

        return new CertificateInfo(
            origin,
            index,
            bc.SubjectDN.ToString(),
            bc.IssuerDN.ToString(),
            SerialNumbers.FromDerContent(bc.SerialNumber.ToByteArray()),
            dns,
            uris,
            ips,
            emails,
            keyAlgorithm,
            keySize,
            curve,
            ExtensionNames.Signature(bc.SigAlgOid, bc.SigAlgName),
            new DateTimeOffset(DateTime.SpecifyKind(bc.NotBefore, DateTimeKind.Utc)),
            new DateTimeOffset(DateTime.SpecifyKind(bc.NotAfter, DateTimeKind.Utc)),
            isCa,
            pathLength,
            usage,
            usageCritical,
            ekus,
            extensionList,
            CertificateInfo.Hex(SHA256.HashData(der), ':'),
            bc.Version)
        {
            Bc = bc,
            Defect = defects.Count == 0 ? null : string.Join("; ", defects),
        };
    }

    private static T? Decode<T>(Func<T> decode, string extension, List<string> defects)
        where T : class
    {
        try
        {
            return decode();
        }
#pragma warning disable CA1031 // A value BouncyCastle cannot decode is a defect of the certificate, not a crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            defects.Add($"has a malformed {extension} extension ({(e.Message.Length > 0 ? e.Message.Split('\n')[0].TrimEnd('.') : e.GetType().Name)})");
            return null;
        }
    }

    private static (string Algorithm, int Size, string? Curve) KeyOf(BcCertificate bc)
    {
        var spki = bc.CertificateStructure.SubjectPublicKeyInfo;
        var oid = spki.Algorithm.Algorithm.Id;
        try
        {
            var key = bc.GetPublicKey();
            switch (key)
            {
                case RsaKeyParameters rsa:
                    return ("RSA", rsa.Modulus.BitLength, null);
                case ECPublicKeyParameters ec:
                    string? curve = null;
                    if (spki.Algorithm.Parameters is DerObjectIdentifier curveOid)
                    {
                        curve = Org.BouncyCastle.Asn1.Nist.NistNamedCurves.GetName(curveOid) ?? ECNamedCurveTable.GetName(curveOid) ?? curveOid.Id;
                    }

                    return ("EC", ec.Parameters.Curve.FieldSize, curve ?? "explicit-parameters");
                case Ed25519PublicKeyParameters:
                    return ("Ed25519", 256, null);
                case Ed448PublicKeyParameters:
                    return ("Ed448", 456, null);
                case DsaPublicKeyParameters dsa:
                    return ("DSA", dsa.Parameters.P.BitLength, null);
            }
        }
#pragma warning disable CA1031 // An unusual key is described by its OID rather than failing the certificate.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return (oid, 0, null);
    }
}
