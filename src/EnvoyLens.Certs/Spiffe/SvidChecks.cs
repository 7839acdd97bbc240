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
    /// <summary>Whether the certificate carries a <c>spiffe:</c> URI SAN, so that the X.509-SVID rules apply to it.</summary>
    public static bool IsSvid(CertificateInfo c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Uris.Any(IsSpiffe);
    }

    /// <summary>
    /// The X.509-SVID problems of one certificate seen on its own (a file, a trust bundle): none unless it carries a
    /// <c>spiffe:</c> URI. A CA whose SPIFFE IDs all name only a trust domain is checked as a signing certificate;
    /// anything else (a SPIFFE ID with a path, or not a CA) as a leaf SVID.
    /// </summary>
    public static IReadOnlyList<string> Check(CertificateInfo c)
    {
        if (!IsSvid(c))
        {
            return [];
        }

        var signing = c.IsCa && c.Uris.Where(IsSpiffe).All(u => SpiffeId.TryParse(u, out _) is { Path.Length: 0 });
        return signing ? CheckSigning(c) : CheckLeaf(c);
    }

    /// <summary>
    /// The X.509-SVID problems of the certificate at <paramref name="position"/> of a presented chain whose first
    /// certificate is the leaf: the leaf is checked as a leaf SVID (when it carries a <c>spiffe:</c> URI), a CA above an
    /// SVID leaf as a signing certificate, anything else as on its own (<see cref="Check(CertificateInfo)"/>).
    /// </summary>
    public static IReadOnlyList<string> CheckAt(IReadOnlyList<CertificateInfo> chain, int position)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var c = chain[position];
        if (position == 0)
        {
            return IsSvid(c) ? CheckLeaf(c) : [];
        }

        return IsSvid(chain[0]) && c.IsCa ? CheckSigning(c) : Check(c);
    }

    /// <summary>The X.509-SVID problems of a presented chain (leaf first), certificate by certificate; empty when the leaf is not an SVID.</summary>
    public static IReadOnlyList<string> CheckChain(IReadOnlyList<CertificateInfo> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.Count == 0 || !IsSvid(chain[0]) ? [] : Enumerable.Range(0, chain.Count).SelectMany(i => CheckAt(chain, i)).ToList();
    }

    private static bool IsSpiffe(string uri) => uri.StartsWith("spiffe:", StringComparison.OrdinalIgnoreCase);

    public static IReadOnlyList<string> CheckLeaf(CertificateInfo leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        var problems = new List<string>();
        var spiffe = leaf.Uris.Where(IsSpiffe).ToList();
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

        foreach (var uri in ca.Uris.Where(IsSpiffe))
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
