using System.Globalization;
using EnvoyLens.Certs.Checks;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

/// <summary>EL4004: a root or intermediate CA has less than the configured time left (60 days by default).</summary>
internal sealed class EL4004CaExpiringSoon(CertificatePolicy policy) : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL4004",
        "CA certificate expiring soon",
        RuleCategory.Certificates,
        Severity.Warning,
        "CA certificate {certificate} in {source} expires at {notAfter}, in {left} (under {threshold} days)",
        "When a root or intermediate expires every workload certificate under it stops validating at once; rotating a root takes planning (both roots trusted for a while).",
        "Plan the CA rotation now: issue the new CA, distribute a combined trust bundle, then switch issuing.",
        RuleInputs.ConfigDump);

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(CertRule.All(context).Any(x => x.Certificate.IsCa), "the capture holds no CA certificate");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var now = context.Clock.GetUtcNow();
        foreach (var (group, c) in CertRule.All(context).Where(x => x.Certificate.IsCa).DistinctBy(x => (x.Group.Source, x.Certificate.Sha256Fingerprint)))
        {
            if (CertificateChecks.TimeStatusOf(c, now, policy) == TimeStatus.ExpiringSoon)
            {
                yield return context.Report(Definition, group.Resource, group.Pointer,
                    Args.Of(("certificate", c.Label), ("source", group.Source), ("notAfter", CertRule.Time(c.NotAfter)),
                        ("left", CertificateChecks.TimeLeft(c, now)), ("threshold", ((int)policy.CaMinimumRemaining.TotalDays).ToString(CultureInfo.InvariantCulture))),
                    CertRule.Evidence(group, c));
            }
        }
    }
}
