using EnvoyLens.Certs.Checks;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

/// <summary>EL4001: a certificate the proxy presents or trusts has expired.</summary>
internal sealed class EL4001CertificateExpired : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL4001",
        "Certificate expired",
        RuleCategory.Certificates,
        Severity.Error,
        "Certificate {certificate} in {source} (block {block}) expired at {notAfter}, {ago} ago",
        "An expired certificate fails every handshake that needs it: peers reject an expired leaf or intermediate with CERTIFICATE_VERIFY_FAILED, and an expired CA in a trust bundle no longer anchors anything.",
        "Rotate the certificate: for Istio check istio-agent's SDS logs and its connection to istiod (or the external CA); for a gateway, renew the credentialName Secret.",
        RuleInputs.ConfigDump);

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
