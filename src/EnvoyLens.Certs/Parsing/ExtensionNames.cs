using System.Globalization;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EnvoyLens.Certs.Parsing;

/// <summary>Friendly names for extension, EKU and signature OIDs, and the set of extensions path validation understands.</summary>
internal static class ExtensionNames
{
    public const string ServerAuth = "serverAuth";
    public const string ClientAuth = "clientAuth";
    public const string AnyExtendedKeyUsage = "anyExtendedKeyUsage";

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["2.5.29.14"] = "subjectKeyIdentifier",
        ["2.5.29.15"] = "keyUsage",
        ["2.5.29.17"] = "subjectAltName",
        ["2.5.29.18"] = "issuerAltName",
        ["2.5.29.19"] = "basicConstraints",
        ["2.5.29.30"] = "nameConstraints",
        ["2.5.29.31"] = "cRLDistributionPoints",
        ["2.5.29.32"] = "certificatePolicies",
        ["2.5.29.33"] = "policyMappings",
        ["2.5.29.35"] = "authorityKeyIdentifier",
        ["2.5.29.36"] = "policyConstraints",
        ["2.5.29.37"] = "extKeyUsage",
        ["2.5.29.54"] = "inhibitAnyPolicy",
        ["1.3.6.1.5.5.7.1.1"] = "authorityInfoAccess",
        ["1.3.6.1.4.1.11129.2.4.2"] = "ctPrecertificateScts",
    };

    /// <summary>Extensions whose semantics path validation implements (or which carry no constraint).</summary>
    private static readonly HashSet<string> UnderstoodOids = new(StringComparer.Ordinal)
    {
        "2.5.29.14", "2.5.29.15", "2.5.29.17", "2.5.29.19", "2.5.29.30", "2.5.29.32", "2.5.29.35", "2.5.29.37",
    };

    private static readonly Dictionary<string, string> EkuNames = new(StringComparer.Ordinal)
    {
        ["1.3.6.1.5.5.7.3.1"] = ServerAuth,
        ["1.3.6.1.5.5.7.3.2"] = ClientAuth,
        ["1.3.6.1.5.5.7.3.3"] = "codeSigning",
        ["1.3.6.1.5.5.7.3.4"] = "emailProtection",
        ["1.3.6.1.5.5.7.3.8"] = "timeStamping",
        ["1.3.6.1.5.5.7.3.9"] = "OCSPSigning",
        ["2.5.29.37.0"] = AnyExtendedKeyUsage,
    };

    private static readonly Dictionary<string, string> SignatureNames = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.4"] = "md5WithRSAEncryption",
        ["1.2.840.113549.1.1.5"] = "sha1WithRSAEncryption",
        ["1.2.840.113549.1.1.11"] = "sha256WithRSAEncryption",
        ["1.2.840.113549.1.1.12"] = "sha384WithRSAEncryption",
        ["1.2.840.113549.1.1.13"] = "sha512WithRSAEncryption",
        ["1.2.840.113549.1.1.10"] = "rsassaPss",
        ["1.2.840.10045.4.1"] = "ecdsa-with-SHA1",
        ["1.2.840.10045.4.3.2"] = "ecdsa-with-SHA256",
        ["1.2.840.10045.4.3.3"] = "ecdsa-with-SHA384",
        ["1.2.840.10045.4.3.4"] = "ecdsa-with-SHA512",
        ["1.3.101.112"] = "Ed25519",
        ["1.3.101.113"] = "Ed448",
    };

    public static string Of(string oid) => Names.GetValueOrDefault(oid, oid);

    public static bool Understood(string oid) => UnderstoodOids.Contains(oid);

    public static string Eku(string oid) => EkuNames.GetValueOrDefault(oid, oid);

    public static string Signature(string oid, string bcName) => SignatureNames.GetValueOrDefault(oid, string.IsNullOrEmpty(bcName) ? oid : bcName);

    /// <summary>True for signature algorithms considered broken for certificates (MD5, SHA-1).</summary>
    public static bool IsWeakSignature(string name) =>
        name.Contains("md5", StringComparison.OrdinalIgnoreCase) || name.Contains("sha1", StringComparison.OrdinalIgnoreCase) ||
        name.Contains("SHA-1", StringComparison.OrdinalIgnoreCase) || name.Contains("md2", StringComparison.OrdinalIgnoreCase);

#pragma warning disable CS0618 // The sequence form is what PkixNameConstraintValidator takes.
    public static Asn1Sequence? Permitted(NameConstraints constraints) => constraints.PermittedSubtrees;

    public static Asn1Sequence? Excluded(NameConstraints constraints) => constraints.ExcludedSubtrees;
#pragma warning restore CS0618

    private static IEnumerable<string> Subtrees(Asn1Sequence? sequence) =>
        sequence is null ? [] : Enumerable.Select<Asn1Encodable, string>(sequence, x => GeneralSubtree.GetInstance(x).Base.ToString());

    /// <summary>A general name as <c>openssl x509 -text</c> prints it: <c>DNS:</c>, <c>URI:</c>, <c>IP Address:</c>, <c>email:</c>, <c>DirName:</c>, ...</summary>
    internal static string GeneralNameText(GeneralName name)
    {
        switch (name.TagNo)
        {
            case GeneralName.DnsName:
                return "DNS:" + DerIA5String.GetInstance(name.Name).GetString();
            case GeneralName.UniformResourceIdentifier:
                return "URI:" + DerIA5String.GetInstance(name.Name).GetString();
            case GeneralName.Rfc822Name:
                return "email:" + DerIA5String.GetInstance(name.Name).GetString();
            case GeneralName.IPAddress:
                var octets = Asn1OctetString.GetInstance(name.Name).GetOctets();
                return "IP Address:" + (octets.Length is 4 or 16 ? new System.Net.IPAddress(octets).ToString() : CertificateInfo.Hex(octets, ':'));
            case GeneralName.DirectoryName:
                return "DirName:" + X509Name.GetInstance(name.Name);
            case GeneralName.RegisteredID:
                return "Registered ID:" + DerObjectIdentifier.GetInstance(name.Name).Id;
            case GeneralName.OtherName:
                return "othername:<unsupported>";
            default:
                return name.ToString();
        }
    }

    /// <summary>A short readable value for the inspect view.</summary>
    public static string Describe(string oid, X509Extension extension)
    {
        try
        {
            switch (oid)
            {
                case "2.5.29.19":
                    var bc = BasicConstraints.GetInstance(extension.GetParsedValue());
                    return bc.IsCA()
                        ? bc.PathLenConstraint is { } len ? string.Create(CultureInfo.InvariantCulture, $"CA:TRUE, pathlen:{len}") : "CA:TRUE"
                        : "CA:FALSE";
                case "2.5.29.17":
                    return string.Join(", ", GeneralNames.GetInstance(extension.GetParsedValue()).GetNames().Select(GeneralNameText));
                case "2.5.29.37":
                    return string.Join(", ", ExtendedKeyUsage.GetInstance(extension.GetParsedValue()).GetAllUsages().Select(o => Eku(o.Id)));
                case "2.5.29.15":
                    var bits = KeyUsage.GetInstance(extension.GetParsedValue()).IntValue;
                    var flags = KeyUsageFlags.None;
                    for (var i = 0; i < 9; i++)
                    {
                        // DER bit i of the KeyUsage BIT STRING is 0x80 >> i in the first octet, 0x8000 >> (i - 8) after.
                        var mask = i < 8 ? 0x80 >> i : 0x8000;
                        if ((bits & mask) != 0)
                        {
                            flags |= (KeyUsageFlags)(1 << i);
                        }
                    }

                    return flags.ToString();
                case "2.5.29.14":
                    return CertificateInfo.Hex(Asn1OctetString.GetInstance(extension.GetParsedValue()).GetOctets(), ':');
                case "2.5.29.35":
                    var aki = AuthorityKeyIdentifier.GetInstance(extension.GetParsedValue());
                    return aki.KeyIdentifier is { } id ? CertificateInfo.Hex(id.GetOctets(), ':') : "(no key identifier)";
                case "2.5.29.30":
                    var nc = NameConstraints.GetInstance(extension.GetParsedValue());
                    var permitted = Subtrees(Permitted(nc));
                    var excluded = Subtrees(Excluded(nc));
                    return $"permitted: [{string.Join(", ", permitted)}]; excluded: [{string.Join(", ", excluded)}]";
                default:
                    return CertificateInfo.Hex(extension.Value.GetOctets().Take(24).ToArray(), ':') + (extension.Value.GetOctets().Length > 24 ? ":..." : "");
            }
        }
        catch (Exception)
        {
            return "(malformed)";
        }
    }
}
