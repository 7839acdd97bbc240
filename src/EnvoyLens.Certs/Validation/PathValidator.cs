using System.Globalization;
using System.Net;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Core;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkix;

namespace EnvoyLens.Certs.Validation;

/// <summary>What a certificate is checked for: any use, a TLS server, or a TLS client.</summary>
public enum CertificatePurpose
{
    Any,
    Server,
    Client,
}

/// <summary>
/// Which issuance rules a path must also meet, beyond RFC 5280's path validation algorithm (signatures, validity,
/// basic constraints, path length, key usage, extended key usage, name constraints, critical extensions).
/// </summary>
public enum ValidationProfile
{
    /// <summary>
    /// What service meshes need and Envoy accepts: the structural checks, tolerating what mesh CAs commonly omit or relax
    /// (authority and subject key identifiers, basic constraints marked non-critical).
    /// </summary>
    Mesh,

    /// <summary>Every "MUST" of RFC 5280's certificate profile: key identifiers, critical basic constraints and name constraints, non-empty names.</summary>
    Rfc5280,

    /// <summary>
    /// RFC 5280 plus the CA/Browser Forum's TLS server profile: end entities are not CAs and carry an extended key
    /// usage, roots carry none, no wildcard over a public suffix, key strength, common names that agree with the
    /// SANs; name constraints may be non-critical.
    /// </summary>
    WebPki,
}

/// <summary>A path validation question: does <see cref="Leaf"/> chain to one of <see cref="Roots"/> at <see cref="At"/>.</summary>
/// <param name="Intermediates">Untrusted certificates that may help build the path, in any order, decoys allowed.</param>
/// <param name="Name">A DNS name, IP address or <c>spiffe://</c> URI the leaf must carry; null for none.</param>
/// <param name="Profile">The issuance rules the path must also meet.</param>
public sealed record VerifyRequest(
    CertificateInfo Leaf,
    IReadOnlyList<CertificateInfo> Roots,
    IReadOnlyList<CertificateInfo> Intermediates,
    DateTimeOffset At,
    CertificatePurpose Purpose = CertificatePurpose.Any,
    string? Name = null,
    ValidationProfile Profile = ValidationProfile.Mesh);

/// <summary>
/// Bounds on path search, so hostile input cannot make it exponential. <see cref="MaxNameConstraintChecks"/> bounds the
/// name-by-subtree comparisons of one path (as Go's crypto/x509 and pyca/cryptography do): a path that needs more is
/// invalid.
/// </summary>
public sealed record VerifyLimits(int MaxDepth = 10, int MaxSignatureChecks = 200, int MaxCompletePaths = 32, int MaxNameConstraintChecks = 1 << 20)
{
    public static VerifyLimits Default { get; } = new();
}

/// <summary>
/// The verdict: valid or not, one sentence naming the certificate and the check, the check's id, and the path
/// (leaf first, anchor last) that was accepted or, when invalid, the one the reason is about.
/// </summary>
public sealed record VerifyResult(bool Valid, string Reason, string Check, IReadOnlyList<CertificateInfo> Chain, int SignatureChecks);

/// <summary>
/// Builds and validates certification paths with RFC 5280 semantics on BouncyCastle primitives: signatures, validity
/// (both ends inclusive to the second), basic constraints and path length, keyCertSign on issuers, extended key usage
/// for the purpose (on the leaf and on CAs that carry the extension), name constraints (DNS, IP, URI, email, DN),
/// unknown critical extensions, the structural rules of <see cref="ProfileChecks"/> for the request's
/// <see cref="ValidationProfile"/>, and an optional leaf name. A certificate with a <see cref="CertificateInfo.Defect"/>
/// is an invalid certificate wherever it stands in the path. Name constraints are checked with a bound on their work
/// and defensively for wildcard SANs. The search is depth-first over issuer candidates (matching key identifiers
/// first) and bounded by <see cref="VerifyLimits"/>. Every call builds its own state.
/// </summary>
public static class PathValidator
{
    public static VerifyResult Verify(VerifyRequest request, VerifyLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return new Search(request, limits ?? VerifyLimits.Default).Run();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new VerifyResult(false, $"Certificate {request.Leaf.Label} could not be validated: {e.Message.Split('\n')[0].TrimEnd('.')} (malformed-input check).", "malformed-input", [request.Leaf], 0);
        }
    }

    private sealed record Failure(string Reason, string Check, IReadOnlyList<CertificateInfo> Chain, int Rank);

    private sealed class Search(VerifyRequest request, VerifyLimits limits)
    {
        private readonly IssuerIndex _issuers = new(request.Intermediates.Concat(request.Roots).ToList());
        private readonly HashSet<string> _anchors = request.Roots.Select(r => r.Sha256Fingerprint).ToHashSet(StringComparer.Ordinal);
        private readonly Dictionary<(string, string), bool> _signatures = [];
        private int _signatureChecks;
        private int _completePaths;
        private bool _gaveUp;
        private Failure? _best;

        public VerifyResult Run()
        {
            if (request.Roots.Count == 0)
            {
                return new VerifyResult(false, $"No trust anchor was given to verify certificate {request.Leaf.Label} against (trust-anchor check).", "trust-anchor", [request.Leaf], 0);
            }

            if (request.Leaf.Defect is { } defect)
            {
                return new VerifyResult(false, $"Certificate {request.Leaf.Label} is an invalid certificate: it {defect} (certificate-syntax check).", "certificate-syntax", [request.Leaf], 0);
            }

            var path = new List<CertificateInfo> { request.Leaf };
            var found = Extend(path);
            if (found is not null)
            {
                var through = found.Count == 1 ? "is itself a trust anchor" : found.Count == 2 ? $"chains directly to trust anchor {found[^1].Label}"
                    : string.Create(CultureInfo.InvariantCulture, $"chains to trust anchor {found[^1].Label} through {found.Count - 2} intermediate{(found.Count == 3 ? "" : "s")}");
                return new VerifyResult(true, $"Certificate {request.Leaf.Label} {through} and passes every check.", "ok", found, _signatureChecks);
            }

            if (_gaveUp && (_best is null || _best.Rank < 2))
            {
                return new VerifyResult(false, string.Create(CultureInfo.InvariantCulture,
                    $"Path building for certificate {request.Leaf.Label} stopped after {_signatureChecks} signature checks and {_completePaths} complete paths without finding a valid path (search-limit check)."), "search-limit", [request.Leaf], _signatureChecks);
            }

            var best = _best ?? new Failure($"No issuer of certificate {request.Leaf.Label} (issuer '{request.Leaf.Issuer}') is among the trust anchors or intermediates (issuer-not-found check).", "issuer-not-found", [request.Leaf], 0);
            return new VerifyResult(false, best.Reason, best.Check, best.Chain, _signatureChecks);
        }

        private void Record(Failure failure)
        {
            if (_best is null || failure.Rank > _best.Rank || (failure.Rank == _best.Rank && failure.Chain.Count > _best.Chain.Count))
            {
                _best = failure;
            }
        }

        /// <summary>Depth-first: returns a valid complete path (leaf first) or null.</summary>
        private List<CertificateInfo>? Extend(List<CertificateInfo> path)
        {
            var current = path[^1];
            if (_anchors.Contains(current.Sha256Fingerprint))
            {
                _completePaths++;
                var failure = Check(path);
                if (failure is null)
                {
                    return [.. path];
                }

                Record(failure);
                return null;
            }

            if (path.Count > limits.MaxDepth)
            {
                Record(new Failure(string.Create(CultureInfo.InvariantCulture, $"The path from certificate {request.Leaf.Label} is longer than {limits.MaxDepth} certificates without reaching a trust anchor (path-depth check)."), "path-depth", [.. path], 1));
                return null;
            }

            var candidates = _issuers.Candidates(current.Bc.IssuerDN)
                .Where(c => !path.Any(p => p.Sha256Fingerprint == c.Sha256Fingerprint))
                .DistinctBy(c => c.Sha256Fingerprint)
                .OrderByDescending(c => KeyIdMatches(current, c))
                .ThenByDescending(c => _anchors.Contains(c.Sha256Fingerprint))
                .ToList();
            if (candidates.Count == 0)
            {
                Record(new Failure($"No issuer of certificate {current.Label} (issuer '{current.Issuer}') is among the trust anchors or intermediates (issuer-not-found check).", "issuer-not-found", [.. path], 0));
                return null;
            }

            foreach (var candidate in candidates)
            {
                if (_completePaths >= limits.MaxCompletePaths || _signatureChecks >= limits.MaxSignatureChecks)
                {
                    _gaveUp = true;
                    return null;
                }

                if (!SignedBy(current, candidate))
                {
                    Record(new Failure($"The signature of certificate {current.Label} does not verify with the key of {candidate.Label} (signature check).", "signature", [.. path, candidate], 1));
                    continue;
                }

                path.Add(candidate);
                var found = Extend(path);
                path.RemoveAt(path.Count - 1);
                if (found is not null)
                {
                    return found;
                }
            }

            return null;
        }

        private static bool KeyIdMatches(CertificateInfo child, CertificateInfo issuer)
        {
            var aki = child.Extensions.FirstOrDefault(e => e.Oid == "2.5.29.35")?.Value;
            var ski = issuer.Extensions.FirstOrDefault(e => e.Oid == "2.5.29.14")?.Value;
            return aki is not null && ski is not null && string.Equals(aki, ski, StringComparison.Ordinal);
        }

        private bool SignedBy(CertificateInfo child, CertificateInfo issuer)
        {
            var key = (child.Sha256Fingerprint, issuer.Sha256Fingerprint);
            if (_signatures.TryGetValue(key, out var known))
            {
                return known;
            }

            _signatureChecks++;
            bool ok;
            try
            {
                ok = child.Bc.IsSignatureValid(issuer.Bc.GetPublicKey());
            }
            catch (Exception)
            {
                ok = false;
            }

            _signatures[key] = ok;
            return ok;
        }

        /// <summary>RFC 5280 checks on a complete path (leaf first, anchor last); null when it passes.</summary>
        private Failure? Check(List<CertificateInfo> path)
        {
            var chain = (IReadOnlyList<CertificateInfo>)path.ToList();
            var at = CertificateInfo.TruncateToSecond(request.At);
            var when = TimeText.Utc(request.At);
            foreach (var c in path)
            {
                if (at > c.NotAfter)
                {
                    return new Failure($"Certificate {c.Label} expired at {Time(c.NotAfter)}, before {when} (validity check).", "validity", chain, 3);
                }

                if (at < c.NotBefore)
                {
                    return new Failure($"Certificate {c.Label} is not valid until {Time(c.NotBefore)}, {Human(c.NotBefore - request.At)} after {when} (validity check).", "validity", chain, 3);
                }
            }

            foreach (var c in path)
            {
                if (c.Defect is { } defect)
                {
                    return new Failure($"Certificate {c.Label} is an invalid certificate: it {defect} (certificate-syntax check).", "certificate-syntax", chain, 3);
                }
            }

            for (var i = 0; i < path.Count; i++)
            {
                var c = path[i];
                var critical = c.Extensions.FirstOrDefault(e => e.Critical && !e.Understood);
                if (critical is not null)
                {
                    return new Failure($"Certificate {c.Label} has the critical extension {critical.Name} that is not understood (critical-extension check).", "critical-extension", chain, 3);
                }
            }

            for (var i = 1; i < path.Count; i++)
            {
                var c = path[i];
                var isAnchor = i == path.Count - 1;
                var hasBasicConstraints = c.Extensions.Any(e => e.Oid == "2.5.29.19");
                if (!c.IsCa && !(isAnchor && !hasBasicConstraints && c.Version < 3))
                {
                    return new Failure($"Certificate {c.Label} issues {path[i - 1].Label} but is not a CA (basic-constraints check).", "basic-constraints", chain, 3);
                }

                if (c.KeyUsage is { } usage && !usage.HasFlag(KeyUsageFlags.KeyCertSign))
                {
                    return new Failure($"Certificate {c.Label} issues {path[i - 1].Label} but its key usage lacks keyCertSign (key-usage check).", "key-usage", chain, 3);
                }

                if (c.PathLength is { } max)
                {
                    var below = path.Take(i).Skip(1).Count(p => !p.IsSelfIssued);
                    if (below > max)
                    {
                        return new Failure(string.Create(CultureInfo.InvariantCulture,
                            $"Certificate {c.Label} allows {max} intermediate(s) below it but the path has {below} (path-length check)."), "path-length", chain, 3);
                    }
                }

                if (request.Purpose != CertificatePurpose.Any && c.ExtendedKeyUsages.Count > 0 && !AllowsPurpose(c))
                {
                    return new Failure($"CA certificate {c.Label} restricts extended key usage to {string.Join(", ", c.ExtendedKeyUsages)}, which excludes {PurposeName} (extended-key-usage check).", "extended-key-usage", chain, 3);
                }
            }

            var leaf = path[0];
            if (request.Purpose != CertificatePurpose.Any && leaf.ExtendedKeyUsages.Count > 0 && !AllowsPurpose(leaf))
            {
                return new Failure($"Certificate {leaf.Label} has extended key usage {string.Join(", ", leaf.ExtendedKeyUsages)}, which excludes {PurposeName} (extended-key-usage check).", "extended-key-usage", chain, 3);
            }

            if (ProfileChecks.Check(path, request.Purpose != CertificatePurpose.Any, request.Profile) is { } profile)
            {
                return new Failure(profile.Reason, profile.Check, chain, 3);
            }

            var constraints = NameConstraintsCheck(path, chain, limits.MaxNameConstraintChecks);
            if (constraints is not null)
            {
                return constraints;
            }

            var refuseSuffixWildcards = request.Profile == ValidationProfile.WebPki;
            if (request.Name is { } wanted && refuseSuffixWildcards && !Matches(leaf, wanted, true) && Matches(leaf, wanted, false))
            {
                var wildcard = leaf.DnsNames.First(PublicSuffixes.IsWildcardOverPublicSuffix);
                return new Failure($"Certificate {leaf.Label} carries the name '{wanted}' only through the wildcard '{wildcard}' over the public suffix '{wildcard[2..]}', which the webpki profile does not match (name check).", "name", chain, 3);
            }

            if (request.Name is { } name && !Matches(leaf, name, refuseSuffixWildcards))
            {
                return new Failure($"Certificate {leaf.Label} does not carry the name '{name}' (its names: {(leaf.SubjectAltNames.Count == 0 ? "none" : string.Join(", ", leaf.SubjectAltNames))}) (name check).", "name", chain, 3);
            }

            return null;
        }

        private string PurposeName => request.Purpose == CertificatePurpose.Server ? ExtensionNames.ServerAuth : ExtensionNames.ClientAuth;

        private bool AllowsPurpose(CertificateInfo c) =>
            c.ExtendedKeyUsages.Contains(PurposeName, StringComparer.Ordinal) || c.ExtendedKeyUsages.Contains(ExtensionNames.AnyExtendedKeyUsage, StringComparer.Ordinal);

        private static Failure? NameConstraintsCheck(List<CertificateInfo> path, IReadOnlyList<CertificateInfo> chain, int maxChecks)
        {
            var validator = new PkixNameConstraintValidator();
            CertificateInfo? constrainer = null;
            var subtrees = 0L;
            var checks = 0L;
            var excludedDns = new List<(string Name, CertificateInfo By)>();
            for (var i = path.Count - 1; i >= 0; i--)
            {
                var c = path[i];
                var isAnchor = i == path.Count - 1;
                if (!isAnchor && constrainer is not null && (i == 0 || !c.IsSelfIssued))
                {
                    try
                    {
                        var subject = c.Bc.SubjectDN;
                        var names = c.Bc.CertificateStructure.TbsCertificate.Extensions?.GetExtension(X509Extensions.SubjectAlternativeName) is { } san
                            ? GeneralNames.GetInstance(san.GetParsedValue()).GetNames()
                            : [];
                        checks += (subject.GetOidList().Count + names.Length) * subtrees;
                        if (checks > maxChecks)
                        {
                            return new Failure(string.Create(CultureInfo.InvariantCulture,
                                $"Checking the names of certificate {c.Label} against the name constraints of {constrainer.Label} takes more than {maxChecks} comparisons ({subject.GetOidList().Count + names.Length} names, {subtrees} subtrees), which is refused as a denial of service (name-constraints check)."), "name-constraints", chain, 3);
                        }

                        if (subject.GetOidList().Count > 0)
                        {
                            validator.CheckDN(subject);
                        }

                        foreach (var name in names)
                        {
                            validator.CheckName(name);
                        }
                    }
                    catch (PkixNameConstraintValidatorException e)
                    {
                        return new Failure($"Certificate {c.Label} has a name outside the name constraints of {constrainer.Label}: {e.Message.TrimEnd('.')} (name-constraints check).", "name-constraints", chain, 3);
                    }
                    catch (Exception e)
                    {
                        return new Failure($"Certificate {c.Label} has a name that cannot be checked against the name constraints of {constrainer.Label}: {e.Message.TrimEnd('.')} (name-constraints check).", "name-constraints", chain, 3);
                    }

                    if (WildcardReachesExcluded(c, excludedDns) is { } hit)
                    {
                        return new Failure($"Certificate {c.Label} has the wildcard name '{hit.Wildcard}', which matches '{hit.Excluded}' that the name constraints of {hit.By.Label} exclude (name-constraints check).", "name-constraints", chain, 3);
                    }
                }

                if (c.Bc.CertificateStructure.TbsCertificate.Extensions?.GetExtension(X509Extensions.NameConstraints) is { } ext)
                {
                    try
                    {
                        var nc = NameConstraints.GetInstance(ext.GetParsedValue());
                        if (ExtensionNames.Permitted(nc) is { } permitted)
                        {
                            subtrees += permitted.Count;
                            validator.IntersectPermittedSubtree(permitted);
                        }

                        if (ExtensionNames.Excluded(nc) is { } excluded)
                        {
                            subtrees += excluded.Count;
                            foreach (var subtree in excluded)
                            {
                                var general = GeneralSubtree.GetInstance(subtree);
                                validator.AddExcludedSubtree(general);
                                if (general.Base.TagNo == GeneralName.DnsName)
                                {
                                    excludedDns.Add((DerIA5String.GetInstance(general.Base.Name).GetString(), c));
                                }
                            }
                        }
                    }
                    catch (Exception e)
                    {
                        return new Failure($"Certificate {c.Label} has a malformed name constraints extension: {e.Message.TrimEnd('.')} (name-constraints check).", "name-constraints", chain, 3);
                    }

                    constrainer = c;
                }
            }

            return null;
        }

        /// <summary>
        /// A wildcard SAN <c>*.example.com</c> matches any single label under example.com, so an excluded subtree
        /// <c>bar.example.com</c> would be reachable through it although the SAN itself is not inside the subtree
        /// (CVE-2025-61727): such a certificate is rejected.
        /// </summary>
        private static (string Wildcard, string Excluded, CertificateInfo By)? WildcardReachesExcluded(CertificateInfo c, List<(string Name, CertificateInfo By)> excluded)
        {
            foreach (var dns in c.DnsNames)
            {
                if (!dns.StartsWith("*.", StringComparison.Ordinal))
                {
                    continue;
                }

                var suffix = dns[1..].TrimEnd('.').ToLowerInvariant();
                foreach (var (name, by) in excluded)
                {
                    var e = name.TrimStart('.').TrimEnd('.').ToLowerInvariant();
                    if (e.Length > suffix.Length && e.EndsWith(suffix, StringComparison.Ordinal) && !e[..^suffix.Length].Contains('.', StringComparison.Ordinal))
                    {
                        return (dns, name, by);
                    }
                }
            }

            return null;
        }

        private static string Time(DateTimeOffset t) => TimeText.Utc(t);
    }

    /// <summary>Whether <paramref name="leaf"/> carries <paramref name="name"/>: a spiffe:// or other URI exactly, an IP address, or a DNS name (a leftmost <c>*</c> label matches one label).</summary>
    public static bool NameMatches(CertificateInfo leaf, string name)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(name);
        return Matches(leaf, name, false);
    }

    /// <summary>As <see cref="NameMatches"/>; with <paramref name="refuseSuffixWildcards"/> a wildcard over a public suffix (<c>*.co.uk</c>) matches nothing.</summary>
    private static bool Matches(CertificateInfo leaf, string name, bool refuseSuffixWildcards)
    {
        if (name.Contains("://", StringComparison.Ordinal))
        {
            return leaf.Uris.Contains(name, StringComparer.Ordinal);
        }

        if (IPAddress.TryParse(name.Trim('[', ']'), out var ip))
        {
            return leaf.IpAddresses.Any(a => IPAddress.TryParse(a, out var other) && other.Equals(ip));
        }

        var host = name.TrimEnd('.').ToLowerInvariant();
        foreach (var dns in leaf.DnsNames)
        {
            var pattern = dns.TrimEnd('.').ToLowerInvariant();
            if (pattern == host)
            {
                return true;
            }

            if (pattern.StartsWith("*.", StringComparison.Ordinal) && !(refuseSuffixWildcards && PublicSuffixes.IsWildcardOverPublicSuffix(pattern)))
            {
                var dot = host.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0 && host[(dot + 1)..] == pattern[2..] && pattern[2..].Contains('.', StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A duration for people: <c>3 days 4 hours</c>, <c>12 minutes</c>, <c>40 seconds</c>.</summary>
    public static string Human(TimeSpan span) => TimeText.Human(span);
}
