using System.Globalization;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Validation;

namespace EnvoyLens.Certs.Checks;

/// <summary>The verdict of one check: passed, a warning (the 60-day checks, as <c>linkerd check</c> warns), or failed.</summary>
public enum CheckStatus
{
    Passed,
    Warning,
    Failed,
}

/// <summary>One <c>linkerd check</c> identity check: its name as linkerd prints it, the verdict, and one sentence.</summary>
public sealed record LinkerdCheck(string Name, CheckStatus Status, string Sentence);

/// <summary>What the identity checks judge: the trust anchors, the issuer certificate (and what its file carries after it), the identity domain.</summary>
/// <param name="Anchors">The trust anchors, as read.</param>
/// <param name="AnchorProblems">Blocks of the anchors' file that could not be read.</param>
/// <param name="Issuer">The issuer's file: the issuer certificate first.</param>
/// <param name="IssuerProblems">Blocks of the issuer's file that could not be read.</param>
/// <param name="IdentityDomain">The trust domain (<c>cluster.local</c>): the issuer must be named <c>identity.linkerd.DOMAIN</c>.</param>
/// <param name="At">The instant validity is judged at.</param>
public sealed record LinkerdIdentityInput(
    IReadOnlyList<CertificateInfo> Anchors,
    IReadOnlyList<CertificateProblem> AnchorProblems,
    IReadOnlyList<CertificateInfo> Issuer,
    IReadOnlyList<CertificateProblem> IssuerProblems,
    string IdentityDomain,
    DateTimeOffset At);

/// <summary>
/// The identity checks of <c>linkerd check</c> ("linkerd-identity"), offline: certificate config, the trust anchors'
/// algorithm, validity and 60 days left, the issuer's algorithm (ECDSA P-256), validity, 60 days left and path to a
/// trust anchor (the existing RFC 5280 path validator), and the issuer's name against the identity domain.
/// </summary>
public static class LinkerdIdentityChecks
{
    /// <summary>How long a trust anchor or issuer must still be valid for (<c>linkerd check</c>'s 60 days).</summary>
    public static readonly TimeSpan MinimumRemaining = TimeSpan.FromDays(60);

    public const string CertificateConfig = "certificate config is valid";
    public const string AnchorsAlgorithm = "trust anchors are using supported crypto algorithm";
    public const string AnchorsValidity = "trust anchors are within their validity period";
    public const string AnchorsRemaining = "trust anchors are valid for at least 60 days";
    public const string IssuerAlgorithm = "issuer cert is using supported crypto algorithm";
    public const string IssuerValidity = "issuer cert is within its validity period";
    public const string IssuerRemaining = "issuer cert is valid for at least 60 days";
    public const string IssuerIssuedByAnchor = "issuer cert is issued by the trust anchor";
    public const string IssuerName = "issuer cert name fits the identity domain";
    public const string ProxyCertificate = "data plane proxies certificate match CA";

    /// <summary>
    /// <c>linkerd check --proxy</c>'s "data plane proxies certificate match CA": the chain a proxy presented (leaf first,
    /// as a TLS probe records it) validated to the trust anchors with the existing path validator.
    /// </summary>
    public static LinkerdCheck PresentedChain(IReadOnlyList<CertificateInfo> presented, IReadOnlyList<CertificateInfo> anchors, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(anchors);
        if (presented.Count == 0)
        {
            return new LinkerdCheck(ProxyCertificate, CheckStatus.Failed, "The presented chain holds no certificate.");
        }

        if (anchors.Count == 0)
        {
            return new LinkerdCheck(ProxyCertificate, CheckStatus.Failed, "No trust anchor could be read to verify the proxy's certificate against.");
        }

        var result = PathValidator.Verify(new VerifyRequest(presented[0], anchors, presented.Skip(1).ToList(), at));
        return result.Valid
            ? new LinkerdCheck(ProxyCertificate, CheckStatus.Passed, $"The proxy's certificate {Label(presented[0])} chains to the trust anchor {Label(result.Chain[^1])}.")
            : new LinkerdCheck(ProxyCertificate, CheckStatus.Failed, result.Reason);
    }

    /// <summary>Every check, in <c>linkerd check</c>'s order (the name check last). A check whose input is missing fails and says why.</summary>
    public static IReadOnlyList<LinkerdCheck> Run(LinkerdIdentityInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var checks = new List<LinkerdCheck> { Config(input) };
        var anchors = input.Anchors;
        var issuer = input.Issuer.Count > 0 ? input.Issuer[0] : null;

        checks.Add(ForAll(AnchorsAlgorithm, anchors, "no trust anchor could be read",
            a => a.KeyAlgorithm == "RSA" || IsP256(a) ? null : $"uses {a.KeyDescription}; trust anchors must use ECDSA P-256 or RSA",
            n => $"all {n} trust anchor(s) use ECDSA P-256 or RSA"));
        checks.Add(ForAll(AnchorsValidity, anchors, "no trust anchor could be read",
            a => Validity(a, input.At),
            n => $"all {n} trust anchor(s) are valid at {Instant(input.At)}"));
        checks.Add(ForAll(AnchorsRemaining, anchors, "no trust anchor could be read",
            a => a.NotAfter - input.At >= MinimumRemaining ? null
                : a.NotAfter <= input.At ? $"expired on {Instant(a.NotAfter)}"
                : $"expires on {Instant(a.NotAfter)}, in {Days(a.NotAfter - input.At)}",
            n => $"all {n} trust anchor(s) are valid until at least {Instant(input.At + MinimumRemaining)}, 60 days after {Instant(input.At)}", warn: true));

        if (issuer is null)
        {
            foreach (var name in (string[])[IssuerAlgorithm, IssuerValidity, IssuerRemaining, IssuerIssuedByAnchor, IssuerName])
            {
                checks.Add(new LinkerdCheck(name, CheckStatus.Failed, "No issuer certificate could be read."));
            }

            return checks;
        }

        checks.Add(IsP256(issuer)
            ? new LinkerdCheck(IssuerAlgorithm, CheckStatus.Passed, $"The issuer {Label(issuer)} uses ECDSA P-256.")
            : new LinkerdCheck(IssuerAlgorithm, CheckStatus.Failed, $"The issuer {Label(issuer)} uses {issuer.KeyDescription}; Linkerd's issuer must use ECDSA P-256."));
        checks.Add(Validity(issuer, input.At) is { } invalid
            ? new LinkerdCheck(IssuerValidity, CheckStatus.Failed, $"The issuer {Label(issuer)} {invalid}.")
            : new LinkerdCheck(IssuerValidity, CheckStatus.Passed, $"The issuer {Label(issuer)} is valid at {Instant(input.At)} (from {Instant(issuer.NotBefore)} to {Instant(issuer.NotAfter)})."));
        checks.Add(issuer.NotAfter > input.At && issuer.NotAfter - input.At < MinimumRemaining
            ? new LinkerdCheck(IssuerRemaining, CheckStatus.Warning, $"The issuer {Label(issuer)} expires on {Instant(issuer.NotAfter)}, in {Days(issuer.NotAfter - input.At)}.")
            : issuer.NotAfter <= input.At
                ? new LinkerdCheck(IssuerRemaining, CheckStatus.Failed, $"The issuer {Label(issuer)} expired on {Instant(issuer.NotAfter)}.")
                : new LinkerdCheck(IssuerRemaining, CheckStatus.Passed, $"The issuer {Label(issuer)} is valid until {Instant(issuer.NotAfter)}, more than 60 days after {Instant(input.At)}."));
        checks.Add(IssuedByAnchor(issuer, input));
        checks.Add(Name(issuer, input.IdentityDomain));
        return checks;
    }

    private static LinkerdCheck Config(LinkerdIdentityInput input)
    {
        string? why = null;
        if (input.Anchors.Count == 0)
        {
            why = "the trust anchors' file holds no certificate" + (input.AnchorProblems.Count > 0 ? $" ({input.AnchorProblems[0].Message.TrimEnd('.')})" : "");
        }
        else if (input.AnchorProblems.Count > 0)
        {
            why = $"a block of the trust anchors' file cannot be read ({input.AnchorProblems[0].Message.TrimEnd('.')})";
        }
        else if (input.Issuer.Count == 0)
        {
            why = "the issuer's file holds no certificate" + (input.IssuerProblems.Count > 0 ? $" ({input.IssuerProblems[0].Message.TrimEnd('.')})" : "");
        }
        else if (input.IssuerProblems.Count > 0)
        {
            why = $"a block of the issuer's file cannot be read ({input.IssuerProblems[0].Message.TrimEnd('.')})";
        }
        else if (!input.Issuer[0].IsCa)
        {
            why = $"the issuer {Label(input.Issuer[0])} is not a CA (basic constraints), so it cannot issue proxy certificates";
        }
        else if (input.Issuer[0].KeyUsage is { } usage && !usage.HasFlag(KeyUsageFlags.KeyCertSign))
        {
            why = $"the issuer {Label(input.Issuer[0])} has a key usage without keyCertSign, so it cannot issue proxy certificates";
        }
        else if (input.Anchors.FirstOrDefault(a => !a.IsCa) is { } notCa)
        {
            why = $"the trust anchor {Label(notCa)} is not a CA (basic constraints)";
        }

        return why is null
            ? new LinkerdCheck(CertificateConfig, CheckStatus.Passed,
                string.Create(CultureInfo.InvariantCulture, $"{input.Anchors.Count} trust anchor(s) and the issuer {Label(input.Issuer[0])} were read; the issuer is a CA that may sign certificates."))
            : new LinkerdCheck(CertificateConfig, CheckStatus.Failed, char.ToUpperInvariant(why[0]) + why[1..] + ".");
    }

    private static LinkerdCheck IssuedByAnchor(CertificateInfo issuer, LinkerdIdentityInput input)
    {
        if (input.Anchors.Count == 0)
        {
            return new LinkerdCheck(IssuerIssuedByAnchor, CheckStatus.Failed, "No trust anchor could be read to verify the issuer against.");
        }

        // Linkerd verifies the issuer against the anchors with the issuer file's other certificates as intermediates,
        // at the judged instant; the issuer is a CA, so any purpose.
        var result = PathValidator.Verify(new VerifyRequest(issuer, input.Anchors, input.Issuer.Skip(1).ToList(), input.At));
        return result.Valid
            ? new LinkerdCheck(IssuerIssuedByAnchor, CheckStatus.Passed, $"The issuer {Label(issuer)} chains to the trust anchor {Label(result.Chain[^1])}.")
            : new LinkerdCheck(IssuerIssuedByAnchor, CheckStatus.Failed, result.Reason);
    }

    private static LinkerdCheck Name(CertificateInfo issuer, string domain)
    {
        var wanted = "identity.linkerd." + domain.Trim().TrimEnd('.');
        var names = issuer.DnsNames.Count > 0 ? issuer.DnsNames : CommonName(issuer.Subject) is { } cn ? [cn] : [];
        return names.Any(n => string.Equals(n, wanted, StringComparison.OrdinalIgnoreCase))
            ? new LinkerdCheck(IssuerName, CheckStatus.Passed, $"The issuer is named {wanted}, as the identity domain {domain} requires.")
            : new LinkerdCheck(IssuerName, CheckStatus.Failed,
                $"The issuer is valid for {(names.Count == 0 ? "no name" : string.Join(", ", names))}, not {wanted} (identity domain {domain}); proxies would reject the certificates it issues.");
    }

    private static LinkerdCheck ForAll(string name, IReadOnlyList<CertificateInfo> anchors, string none, Func<CertificateInfo, string?> problem, Func<int, string> allGood, bool warn = false)
    {
        if (anchors.Count == 0)
        {
            return new LinkerdCheck(name, CheckStatus.Failed, char.ToUpperInvariant(none[0]) + none[1..] + ".");
        }

        var bad = anchors.Select(a => (Anchor: a, Problem: problem(a))).Where(p => p.Problem is not null).ToList();
        return bad.Count == 0
            ? new LinkerdCheck(name, CheckStatus.Passed, "A" + allGood(anchors.Count)[1..] + ".")
            : new LinkerdCheck(name, warn ? CheckStatus.Warning : CheckStatus.Failed,
                "Trust anchor " + string.Join("; trust anchor ", bad.Select(b => $"{Label(b.Anchor)} {b.Problem}")) + ".");
    }

    private static string? Validity(CertificateInfo c, DateTimeOffset at) =>
        at < c.NotBefore ? $"is not valid before {Instant(c.NotBefore)}"
        : at > c.NotAfter ? $"is not valid anymore: it expired on {Instant(c.NotAfter)}"
        : null;

    private static bool IsP256(CertificateInfo c) => c.KeyAlgorithm == "EC" && c.Curve is "P-256" or "secp256r1" or "prime256v1";

    private static string Label(CertificateInfo c) => $"'{CommonName(c.Subject) ?? c.Subject}' (serial {c.SerialNumberHex})";

    private static string? CommonName(string subject)
    {
        foreach (var part in subject.Split(','))
        {
            var p = part.Trim();
            if (p.StartsWith("CN=", StringComparison.OrdinalIgnoreCase))
            {
                return p[3..];
            }
        }

        return null;
    }

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Days(TimeSpan span) => ((int)Math.Floor(span.TotalDays)).ToString(CultureInfo.InvariantCulture) + " days";
}
