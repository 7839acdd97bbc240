using EnvoyLens.Certs.Checks;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

/// <summary>EL4002: a certificate is not valid yet: its notBefore is ahead of the clock (clock skew).</summary>
internal sealed class EL4002CertificateNotYetValid : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL4002",
        "Certificate not yet valid",
        RuleCategory.Certificates,
        Severity.Error,
        "Certificate {certificate} in {source} (block {block}) is not valid until {notBefore}, {skew} after now",
        "A certificate whose notBefore lies in the future is rejected by every peer whose clock is behind it; this is the signature of clock skew between the CA and the workloads.",
        "Check the clocks (NTP) of the CA host and the nodes; CAs usually backdate notBefore by a few minutes to absorb skew.",
        RuleInputs.ConfigDump);

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => CertRule.AnyCertificate(context);

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var now = context.Clock.GetUtcNow();
        foreach (var (group, c) in CertRule.All(context))
        {
            if (CertificateChecks.TimeStatusOf(c, now, CertificatePolicy.Default) == TimeStatus.NotYetValid)
            {
                yield return context.Report(Definition, group.Resource, group.Pointer,
                    Args.Of(("certificate", c.Label), ("source", group.Source), ("block", CertRule.Index(c.Index)),
                        ("notBefore", CertRule.Time(c.NotBefore)), ("skew", PathValidator.Human(c.NotBefore - now))),
                    CertRule.Evidence(group, c));
            }
        }
    }
}
