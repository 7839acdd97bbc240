using EnvoyLens.Certs.Checks;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

/// <summary>EL4002: a certificate is not valid yet: its notBefore is ahead of the clock (clock skew).</summary>
internal sealed class EL4002CertificateNotYetValid : IRule
{
    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL4002",
        Title = "Certificate not yet valid",
        Category = RuleCategory.Certificates,
        DefaultSeverity = Severity.Error,
        MessageTemplate = "Certificate {certificate} in {source} (block {block}) is not valid until {notBefore}, {skew} after now",
        Rationale = "A certificate whose notBefore lies in the future is rejected by every peer whose clock is behind it; this is the signature of clock skew between the CA and the workloads.",
        Remediation = "Check the clocks (NTP) of the CA host and the nodes; CAs usually backdate notBefore by a few minutes to absorb skew.",
        Inputs = RuleInputs.ConfigDump,
        Example = "Certificate 'spiffe://cluster.local/ns/default/sa/web' (serial 5fab96f4324894f57425ca2c1be36cc8) in secret default (block 0) is not valid until 2026-11-20T12:00:00Z, 2 hours after now",
    };

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
