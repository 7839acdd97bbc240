using System.Globalization;
using System.Net;
using EnvoyLens.Certs.Parsing;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EnvoyLens.Certs.Validation;

/// <summary>
/// Structural checks of RFC 5280's "MUST" clauses and the Web PKI profile that a path must also pass, by
/// <see cref="ValidationProfile"/>. Every profile: serial numbers, critical key identifiers, policy constraints, name
/// syntax, name constraints only on CAs, leaf keyCertSign. <see cref="ValidationProfile.Rfc5280"/> and
/// <see cref="ValidationProfile.WebPki"/> add the key identifiers every conforming CA writes, critical basic
/// constraints on issuers and non-empty issuer and CA subject names, which <see cref="ValidationProfile.Mesh"/> tolerates
/// because real mesh CAs (Istio's sample CA, Linkerd's issuer) omit or relax them and Envoy accepts them.
/// <see cref="ValidationProfile.Mesh"/> and <see cref="ValidationProfile.WebPki"/> check the CA/Browser Forum rules
/// (key strength, common names agreeing with the SANs, end-entity extended key usage, key identifier fields);
/// <see cref="ValidationProfile.WebPki"/> adds the end-entity and root rules and public-suffix wildcards. Each failure
/// is one sentence naming the certificate and the check.
/// </summary>
internal static class ProfileChecks
{
    private const string AuthorityKeyId = "2.5.29.35";
    private const string SubjectKeyId = "2.5.29.14";
    private const string BasicConstraintsOid = "2.5.29.19";
    private const string NameConstraintsOid = "2.5.29.30";
    private const string PolicyConstraintsOid = "2.5.29.36";
    private const string SubjectAltNameOid = "2.5.29.17";
    private const string ExtKeyUsageOid = "2.5.29.37";
    private const string AuthorityInfoAccessOid = "1.3.6.1.5.5.7.1.1";

    /// <summary>
    /// The first problem of <paramref name="path"/> (leaf first, anchor last), as (reason, check), or null. The
    /// end-entity checks apply when <paramref name="endEntityProfile"/> (a TLS purpose was asked for), so that a CA
    /// certificate can still be verified on its own.
    /// </summary>
    public static (string Reason, string Check)? Check(IReadOnlyList<CertificateInfo> path, bool endEntityProfile, ValidationProfile profile)
    {
        for (var i = 0; i < path.Count; i++)
        {
            var c = path[i];
            var position = new Position(
                IsLeaf: endEntityProfile && i == 0 && path.Count > 1,
                IsIssuer: i > 0,
                IsAnchor: i == path.Count - 1);
            (string Reason, string Check)? problem;
            try
            {
                problem = Certificate(c, position, profile);
            }
            catch (Exception e)
            {
                problem = ($"Certificate {c.Label} has a malformed extension: {e.Message.Split('\n')[0].TrimEnd('.')} (extension-syntax check).", "extension-syntax");
            }

            if (problem is not null)
            {
                return (problem.Value.Reason, problem.Value.Check);
            }
        }

        return null;
    }

    private readonly record struct Position(bool IsLeaf, bool IsIssuer, bool IsAnchor);

    private static (string Reason, string Check)? Certificate(CertificateInfo c, Position at, ValidationProfile profile)
    {
        (string, string) Fail(string what, string check) => ($"Certificate {c.Label} {what} ({check} check).", check);
        var ext = c.Extensions.ToDictionary(e => e.Oid, StringComparer.Ordinal);
        var strict = profile is ValidationProfile.Rfc5280 or ValidationProfile.WebPki;
        var browser = profile is ValidationProfile.Mesh or ValidationProfile.WebPki;
        var isAnchor = at.IsAnchor;
        var selfSigned = c.IsSelfIssued && isAnchor;

        // Trust anchors are exempt: some long-lived public roots have serial 0.
        var serial = c.Bc.SerialNumber;
        if (!isAnchor && serial.SignValue <= 0)
        {
            return Fail("has a zero or negative serial number", "serial-number");
        }

        if (!isAnchor && c.Bc.CertificateStructure.SerialNumber.Value.ToByteArray().Length > 20)
        {
            return Fail("has a serial number longer than 20 octets", "serial-number");
        }

        if (strict && c.IsCa && c.Bc.SubjectDN.GetOidList().Count == 0)
        {
            return Fail("is a CA with an empty subject name", "subject-name");
        }

        if (ext.TryGetValue(AuthorityKeyId, out var aki))
        {
            if (aki.Critical)
            {
                return Fail("has a critical authority key identifier", "authority-key-identifier");
            }

            var parsed = AuthorityKeyIdentifier.GetInstance(c.Bc.CertificateStructure.TbsCertificate.Extensions.GetExtension(X509Extensions.AuthorityKeyIdentifier).GetParsedValue());
            if (parsed.KeyIdentifier is null)
            {
                return Fail("has an authority key identifier without a key identifier", "authority-key-identifier");
            }

            if (browser && (parsed.AuthorityCertIssuer is not null || parsed.AuthorityCertSerialNumber is not null))
            {
                return Fail("has an authority key identifier with issuer name or serial fields", "authority-key-identifier");
            }

            if (browser && selfSigned && ext.TryGetValue(SubjectKeyId, out var ownSki) && !string.Equals(ownSki.Value, aki.Value, StringComparison.Ordinal))
            {
                return Fail("is self-signed but its authority key identifier differs from its subject key identifier", "authority-key-identifier");
            }
        }
        else if (strict && !(isAnchor && profile == ValidationProfile.WebPki) && !SelfSigned(c))
        {
            // The Web PKI takes a trust anchor as given, cross-signed or not; RFC 5280 asks every certificate that is
            // not self-signed for one.
            return Fail("is not self-signed but has no authority key identifier", "authority-key-identifier");
        }

        if (ext.TryGetValue(SubjectKeyId, out var ski) && ski.Critical)
        {
            return Fail("has a critical subject key identifier", "subject-key-identifier");
        }

        // Mesh: only trust anchors must carry one, since Istio's sample intermediate CA has none and Envoy accepts it.
        if ((strict || isAnchor) && c.IsCa && !ext.ContainsKey(SubjectKeyId))
        {
            return Fail("is a CA without a subject key identifier", "subject-key-identifier");
        }

        if (strict && at.IsIssuer && ext.TryGetValue(BasicConstraintsOid, out var basic) && !basic.Critical)
        {
            return Fail("issues certificates but its basic constraints are not critical", "basic-constraints");
        }

        if (profile == ValidationProfile.WebPki && isAnchor && at.IsIssuer && ext.ContainsKey(ExtKeyUsageOid))
        {
            return Fail("is a root CA with an extended key usage", "extended-key-usage");
        }

        if (ext.TryGetValue(PolicyConstraintsOid, out var pc) && !pc.Critical)
        {
            return Fail("has policy constraints that are not critical", "policy-constraints");
        }

        if (ext.TryGetValue(AuthorityInfoAccessOid, out _))
        {
            try
            {
                AuthorityInformationAccess.GetInstance(c.Bc.CertificateStructure.TbsCertificate.Extensions.GetExtension(X509Extensions.AuthorityInfoAccess).GetParsedValue());
            }
            catch (Exception)
            {
                return Fail("has a malformed authority information access extension", "authority-information-access");
            }
        }

        if (ext.TryGetValue(NameConstraintsOid, out var ncExtension))
        {
            if (!c.IsCa)
            {
                return Fail("is not a CA but has name constraints", "name-constraints");
            }

            if (profile == ValidationProfile.Rfc5280 && !ncExtension.Critical)
            {
                return Fail("has name constraints that are not critical", "name-constraints");
            }

            var nc = NameConstraints.GetInstance(c.Bc.CertificateStructure.TbsCertificate.Extensions.GetExtension(X509Extensions.NameConstraints).GetParsedValue());
            if (ExtensionNames.Permitted(nc) is null && ExtensionNames.Excluded(nc) is null)
            {
                return Fail("has name constraints with neither permitted nor excluded subtrees", "name-constraints");
            }

            // RFC 5280 4.2.1.10: a DNS constraint is a host name; the leading period is URI and email syntax only.
            foreach (var subtree in strict ? (ExtensionNames.Permitted(nc)?.ToArray() ?? []).Concat(ExtensionNames.Excluded(nc)?.ToArray() ?? []) : [])
            {
                var general = GeneralSubtree.GetInstance(subtree).Base;
                if (general.TagNo == GeneralName.DnsName && DerIA5String.GetInstance(general.Name).GetString() is { } dnsConstraint && dnsConstraint.StartsWith('.'))
                {
                    return Fail($"has the DNS name constraint '{dnsConstraint}' with a leading period", "name-constraints");
                }
            }
        }

        var subjectEmpty = c.Bc.SubjectDN.GetOidList().Count == 0;
        if (ext.TryGetValue(SubjectAltNameOid, out var san))
        {
            if (subjectEmpty && !san.Critical)
            {
                return Fail("has an empty subject but a non-critical subject alternative name", "subject-alt-name");
            }

            if (browser && !subjectEmpty && san.Critical)
            {
                return Fail("has a subject but a critical subject alternative name", "subject-alt-name");
            }
        }

        var weak = browser ? Key(c) : null;
        if (weak is not null)
        {
            return Fail(weak, "key-strength");
        }

        if (at.IsLeaf)
        {
            if (!c.IsCa && c.KeyUsage is { } usage && usage.HasFlag(KeyUsageFlags.KeyCertSign))
            {
                return Fail("is not a CA but has the keyCertSign key usage", "key-usage");
            }

            if (profile == ValidationProfile.WebPki && c.IsCa)
            {
                return Fail("is an end-entity certificate with basic constraints cA=TRUE", "basic-constraints");
            }

            if (ext.TryGetValue(ExtKeyUsageOid, out var eku))
            {
                if (browser && eku.Critical)
                {
                    return Fail("is an end-entity certificate with a critical extended key usage", "extended-key-usage");
                }

                if (browser && c.ExtendedKeyUsages.Contains(ExtensionNames.AnyExtendedKeyUsage, StringComparer.Ordinal))
                {
                    return Fail("is an end-entity certificate with anyExtendedKeyUsage", "extended-key-usage");
                }

                if (c.ExtendedKeyUsages.Count == 0)
                {
                    return Fail("has an empty extended key usage", "extended-key-usage");
                }
            }
            else if (profile == ValidationProfile.WebPki)
            {
                return Fail("is an end-entity certificate without an extended key usage", "extended-key-usage");
            }

            foreach (var dns in c.DnsNames)
            {
                if (!ValidDnsName(dns))
                {
                    return Fail($"has the malformed DNS name '{dns}'", "subject-alt-name");
                }
            }

            var cn = c.Bc.SubjectDN.GetValueList(X509Name.CN).OfType<string>().FirstOrDefault();
            if (browser && cn is not null && CommonNameConflicts(cn, c))
            {
                return Fail($"has the common name '{cn}', which is written differently from its subject alternative names", "common-name");
            }
        }

        return null;
    }

    /// <summary>Self-issued and signed by its own key (RFC 5280 4.2.1.1's exception for the authority key identifier).</summary>
    private static bool SelfSigned(CertificateInfo c)
    {
        if (!c.IsSelfIssued)
        {
            return false;
        }

        try
        {
            return c.Bc.IsSignatureValid(c.Bc.GetPublicKey());
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static string? Key(CertificateInfo c) => c.KeyAlgorithm switch
    {
        "RSA" when c.KeySize < 2048 => string.Create(CultureInfo.InvariantCulture, $"has a {c.KeySize}-bit RSA key, below 2048 bits"),
        "RSA" when c.KeySize % 8 != 0 => string.Create(CultureInfo.InvariantCulture, $"has a {c.KeySize}-bit RSA key, not a whole number of octets"),
        "DSA" => "has a DSA key",
        "EC" when c.Curve is not ("P-256" or "P-384" or "P-521") => $"has an EC key on the curve {c.Curve}",
        _ => null,
    };

    /// <summary>
    /// A CN that names the same host as a SAN but spelled differently (case, IP notation, Unicode vs punycode) is a
    /// spoofing vector; a CN unrelated to the SANs is ignored (only SANs are matched).
    /// </summary>
    private static bool CommonNameConflicts(string cn, CertificateInfo c)
    {
        if (c.DnsNames.Count + c.IpAddresses.Count == 0 || c.DnsNames.Contains(cn, StringComparer.Ordinal) || c.IpAddresses.Contains(cn, StringComparer.Ordinal))
        {
            return false;
        }

        if (c.DnsNames.Contains(cn, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (cn.Contains(':', StringComparison.Ordinal) || (cn.Length > 0 && cn.All(ch => char.IsAsciiDigit(ch) || ch == '.')) || IPAddress.TryParse(cn, out _))
        {
            return c.IpAddresses.Count > 0;
        }

        return cn.Any(ch => ch > 127) || cn.StartsWith("xn--", StringComparison.OrdinalIgnoreCase);
    }

    private static bool ValidDnsName(string name)
    {
        var labels = name.TrimEnd('.').Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label.Length is 0 or > 63)
            {
                return false;
            }

            if (i == 0 && label == "*")
            {
                continue;
            }

            if (label[0] == '-' || label[^1] == '-' || !label.All(ch => ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
