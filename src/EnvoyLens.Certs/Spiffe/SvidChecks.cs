using EnvoyLens.Certs.Parsing;

namespace EnvoyLens.Certs.Spiffe;

/// <summary>
/// SPIFFE X.509-SVID conformance: for a leaf, exactly one URI SAN holding a well-formed SPIFFE ID, not a CA, key usage
/// critical with digitalSignature and without keyCertSign/cRLSign, EKU (if present) with serverAuth and clientAuth;
/// for a signing certificate, CA=true, keyCertSign, and a SPIFFE ID (if any) without path. Each problem is one
/// sentence naming the certificate.
/// </summary>
public static class SvidChecks
{
    public static IReadOnlyList<string> CheckLeaf(CertificateInfo leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        var problems = new List<string>();
        var spiffe = leaf.Uris.Where(u => u.StartsWith("spiffe:", StringComparison.OrdinalIgnoreCase)).ToList();
        if (leaf.Uris.Count != 1)
        {
            problems.Add($"SVID {leaf.Label} has {leaf.Uris.Count} URI SANs ({string.Join(", ", leaf.Uris)}) where exactly one is required.");
        }

        foreach (var uri in spiffe)
        {
            if (SpiffeId.TryParse(uri, out var error) is null)
            {
                problems.Add($"SVID {leaf.Label} has the malformed SPIFFE ID '{uri}': {error}.");
            }
        }

        if (leaf.IsCa)
        {
            problems.Add($"SVID {leaf.Label} is a CA certificate (basicConstraints CA:TRUE) but is used as a leaf.");
        }

        if (leaf.KeyUsage is not { } usage)
        {
            problems.Add($"SVID {leaf.Label} has no key usage extension (digitalSignature is required).");
        }
        else
        {
            if (!leaf.KeyUsageCritical)
            {
                problems.Add($"SVID {leaf.Label} has a key usage extension that is not critical.");
            }

            if (!usage.HasFlag(KeyUsageFlags.DigitalSignature))
            {
                problems.Add($"SVID {leaf.Label} lacks the digitalSignature key usage.");
            }

            if (usage.HasFlag(KeyUsageFlags.KeyCertSign) || usage.HasFlag(KeyUsageFlags.CrlSign))
            {
                problems.Add($"SVID {leaf.Label} has keyCertSign or cRLSign key usage, which a leaf must not have.");
            }
        }

        if (leaf.ExtendedKeyUsages.Count > 0 &&
            !(leaf.ExtendedKeyUsages.Contains(ExtensionNames.ServerAuth) && leaf.ExtendedKeyUsages.Contains(ExtensionNames.ClientAuth)))
        {
            problems.Add($"SVID {leaf.Label} has extended key usage {string.Join(", ", leaf.ExtendedKeyUsages)} without both serverAuth and clientAuth.");
        }

        return problems;
    }

    public static IReadOnlyList<string> CheckSigning(CertificateInfo ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var problems = new List<string>();
        if (!ca.IsCa)
        {
            problems.Add($"Signing certificate {ca.Label} is not a CA (basicConstraints CA:TRUE is required).");
        }

        if (ca.KeyUsage is { } usage && !usage.HasFlag(KeyUsageFlags.KeyCertSign))
        {
            problems.Add($"Signing certificate {ca.Label} lacks the keyCertSign key usage.");
        }

        foreach (var uri in ca.Uris.Where(u => u.StartsWith("spiffe:", StringComparison.OrdinalIgnoreCase)))
        {
            var id = SpiffeId.TryParse(uri, out var error);
            if (id is null)
            {
                problems.Add($"Signing certificate {ca.Label} has the malformed SPIFFE ID '{uri}': {error}.");
            }
            else if (id.Path.Length > 0)
            {
                problems.Add($"Signing certificate {ca.Label} has the SPIFFE ID '{uri}' with a path; a signing certificate's ID must name only the trust domain.");
            }
        }

        return problems;
    }
}
