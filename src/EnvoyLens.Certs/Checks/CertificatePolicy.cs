using System.Globalization;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Validation;

namespace EnvoyLens.Certs.Checks;

/// <summary>Thresholds of the time and strength checks; every one is configurable.</summary>
/// <param name="WorkloadLifetimeUsed">Share of a workload (leaf) certificate's lifetime after which rotation is overdue (0.8: rotation at 50% has evidently failed).</param>
/// <param name="CaMinimumRemaining">A root or intermediate with less than this left is reported.</param>
/// <param name="ClockOffset">A proxy clock offset (from /certs days_until_expiration) beyond this is reported.</param>
/// <param name="MinimumRsaBits">RSA keys below this size are weak.</param>
public sealed record CertificatePolicy(double WorkloadLifetimeUsed, TimeSpan CaMinimumRemaining, TimeSpan ClockOffset, int MinimumRsaBits)
{
    public static CertificatePolicy Default { get; } = new(0.8, TimeSpan.FromDays(60), TimeSpan.FromDays(1), 2048);
}

/// <summary>The time verdict of one certificate.</summary>
public enum TimeStatus
{
    Valid,
    Expired,
    NotYetValid,

    /// <summary>A workload certificate past <see cref="CertificatePolicy.WorkloadLifetimeUsed"/> of its lifetime.</summary>
    RotationOverdue,

    /// <summary>A CA with less than <see cref="CertificatePolicy.CaMinimumRemaining"/> left.</summary>
    ExpiringSoon,
}

/// <summary>Time and strength verdicts for one certificate at one instant.</summary>
public static class CertificateChecks
{
    private static readonly HashSet<string> UsualCurves = new(StringComparer.OrdinalIgnoreCase)
    {
        "P-256", "P-384", "P-521", "secp256r1", "secp384r1", "secp521r1", "prime256v1",
    };

    public static TimeStatus TimeStatusOf(CertificateInfo c, DateTimeOffset at, CertificatePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(policy);
        var t = CertificateInfo.TruncateToSecond(at);
        if (t > c.NotAfter)
        {
            return TimeStatus.Expired;
        }

        if (t < c.NotBefore)
        {
            return TimeStatus.NotYetValid;
        }

        if (c.IsCa)
        {
            return c.NotAfter - at < policy.CaMinimumRemaining ? TimeStatus.ExpiringSoon : TimeStatus.Valid;
        }

        return LifetimeUsed(c, at) > policy.WorkloadLifetimeUsed ? TimeStatus.RotationOverdue : TimeStatus.Valid;
    }

    /// <summary>Share of the lifetime elapsed at <paramref name="at"/>, clamped to [0, 1].</summary>
    public static double LifetimeUsed(CertificateInfo c, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(c);
        var total = (c.NotAfter - c.NotBefore).TotalSeconds;
        return total <= 0 ? 1 : Math.Clamp((at - c.NotBefore).TotalSeconds / total, 0, 1);
    }

    /// <summary>Time left for people: <c>345 days</c>, <c>expired 3 days ago</c>, <c>starts in 24 days</c>.</summary>
    public static string TimeLeft(CertificateInfo c, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (at > c.NotAfter)
        {
            return "expired " + PathValidator.Human(at - c.NotAfter) + " ago";
        }

        return at < c.NotBefore ? "starts in " + PathValidator.Human(c.NotBefore - at) : PathValidator.Human(c.NotAfter - at);
    }

    public static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Strength problems, one sentence each: RSA below the minimum, MD5/SHA-1 signatures, unusual curves.</summary>
    public static IReadOnlyList<string> StrengthProblems(CertificateInfo c, CertificatePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(policy);
        var problems = new List<string>();
        if (c.KeyAlgorithm == "RSA" && c.KeySize < policy.MinimumRsaBits)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"certificate {c.Label} has a {c.KeySize}-bit RSA key (below {policy.MinimumRsaBits})"));
        }

        if (ExtensionNames.IsWeakSignature(c.SignatureAlgorithm) && !(c.IsSelfIssued && c.IsCa))
        {
            problems.Add($"certificate {c.Label} is signed with {c.SignatureAlgorithm}, which is broken for certificates");
        }

        if (c.KeyAlgorithm == "EC" && (c.Curve is null || !UsualCurves.Contains(c.Curve)))
        {
            problems.Add($"certificate {c.Label} uses the unusual curve {c.Curve ?? "(unnamed)"}, which TLS peers may reject");
        }

        if (c.KeyAlgorithm is "DSA")
        {
            problems.Add($"certificate {c.Label} has a DSA key, which TLS 1.3 does not support");
        }

        return problems;
    }
}
