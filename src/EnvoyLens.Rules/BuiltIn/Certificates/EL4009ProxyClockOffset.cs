using System.Globalization;
using EnvoyLens.Certs.Checks;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

/// <summary>
/// EL4009: <c>/certs</c> reports <c>days_until_expiration</c> by the proxy's own clock; when it disagrees with the
/// analysis clock by more than the threshold (plus one day of rounding), the proxy's clock is off.
/// </summary>
internal sealed class EL4009ProxyClockOffset(CertificatePolicy policy) : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL4009",
        "Proxy clock offset",
        RuleCategory.Certificates,
        Severity.Warning,
        "The proxy's clock is about {offset} {direction} the {reference} ({now}): /certs says certificate serial {serial} expires in {proxyDays} days, which is {ourDays} days from then",
        "A proxy whose clock is off accepts expired certificates or rejects fresh ones (not yet valid); with short-lived workload certificates a few hours matter. The comparison uses the capture time recorded by a bundle or a live read; a plain /certs file does not say when it was read, so the analysis clock stands in for it.",
        "Check NTP (chrony, systemd-timesyncd) on the node that runs the pod, then recapture.",
        RuleInputs.Certs);

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(Entries(context).Any(), "/certs lists no certificate with both an expiration time and days until expiration");

    private static IEnumerable<Model.AdminCertificate> Entries(RuleContext context) =>
        context.AdminCertificates.SelectMany(s => s.CaCerts.Concat(s.CertChain))
            .Where(c => c.ExpirationTime is not null && c.DaysUntilExpiration is > 0);

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var captured = context.CapturedAt;
        var now = captured ?? context.Clock.GetUtcNow();
        var worst = Entries(context)
            .Select(c => (Cert: c, Ours: (c.ExpirationTime!.Value - now).TotalDays))
            .Select(x => (x.Cert, x.Ours, Offset: x.Ours - x.Cert.DaysUntilExpiration!.Value))
            .OrderByDescending(x => Math.Abs(x.Offset)).ThenBy(x => x.Cert.SerialNumber, StringComparer.Ordinal)
            .FirstOrDefault();
        if (worst.Cert is null || Math.Abs(worst.Offset) - 1 <= policy.ClockOffset.TotalDays)
        {
            yield break;
        }

        yield return context.Report(Definition, null, JsonPointer.Root,
            Args.Of(("offset", Math.Round(Math.Abs(worst.Offset)).ToString("0", CultureInfo.InvariantCulture) + " days"), ("direction", worst.Offset > 0 ? "ahead of" : "behind"),
                ("reference", captured is null ? "analysis clock" : "capture time"),
                ("now", CertRule.Time(now)), ("serial", worst.Cert.SerialNumber ?? "?"),
                ("proxyDays", worst.Cert.DaysUntilExpiration!.Value.ToString(CultureInfo.InvariantCulture)),
                ("ourDays", worst.Ours.ToString("0.#", CultureInfo.InvariantCulture))),
            Args.Of(("expiration", CertRule.Time(worst.Cert.ExpirationTime!.Value))),
            source: context.Sources.FirstOrDefault(s => s.Contains("certs", StringComparison.OrdinalIgnoreCase)));
    }
}
