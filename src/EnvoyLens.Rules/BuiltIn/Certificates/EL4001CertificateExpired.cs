using EnvoyLens.Certs.Checks;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

/// <summary>EL4001: a certificate the proxy presents or trusts has expired.</summary>
internal sealed class EL4001CertificateExpired : IRule
{
    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL4001",
        Title = "Certificate expired",
        Category = RuleCategory.Certificates,
        DefaultSeverity = Severity.Error,
        MessageTemplate = "Certificate {certificate} in {source} (block {block}) expired at {notAfter}, {ago} ago",
        Rationale = "An expired certificate fails every handshake that needs it: peers reject an expired leaf or intermediate with CERTIFICATE_VERIFY_FAILED, and an expired CA in a trust bundle no longer anchors anything.",
        Remediation = "Rotate the certificate: for Istio check istio-agent's SDS logs and its connection to istiod (or the external CA); for a gateway, renew the credentialName Secret.",
        Inputs = RuleInputs.ConfigDump,
        Example = "Certificate 'spiffe://cluster.local/ns/default/sa/web' (serial 3059c3864a1a2db20852224f8c86869a) in secret default (block 0) expired at 2026-11-19T00:00:00Z, 1 day 10 hours ago",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => CertRule.AnyCertificate(context);

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var now = context.Clock.GetUtcNow();
        foreach (var (group, c) in CertRule.All(context))
        {
            if (CertificateChecks.TimeStatusOf(c, now, CertificatePolicy.Default) == TimeStatus.Expired)
            {
                yield return context.Report(Definition, group.Resource, group.Pointer,
                    Args.Of(("certificate", c.Label), ("source", group.Source), ("block", CertRule.Index(c.Index)),
                        ("notAfter", CertRule.Time(c.NotAfter)), ("ago", PathValidator.Human(now - c.NotAfter))),
                    CertRule.Evidence(group, c));
            }
        }
    }
}
