using System.Globalization;
using EnvoyLens.Certs.Checks;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

/// <summary>EL4003: a workload (leaf) certificate is past the configured share of its lifetime (80% by default).</summary>
internal sealed class EL4003WorkloadRotationOverdue(CertificatePolicy policy) : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL4003",
        "Workload certificate rotation overdue",
        RuleCategory.Certificates,
        Severity.Warning,
        "Workload certificate {certificate} in {source} has used {used} of its lifetime ({left} left); rotation should have happened at about half",
        "Mesh agents rotate workload certificates at about 50% of their lifetime; a certificate past 80% means rotation has been failing for a while and an outage follows at expiry.",
        "Look at the SDS agent's logs (istio-agent, linkerd-identity) for failed CSRs and at the CA's availability.",
        RuleInputs.ConfigDump);

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(CertRule.Inventory(context).Chains.Any(g => g.Leaf is { IsCa: false }), "the capture holds no workload certificate");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var now = context.Clock.GetUtcNow();
        foreach (var group in CertRule.Inventory(context).Chains)
        {
            if (group.Leaf is { IsCa: false } c && CertificateChecks.TimeStatusOf(c, now, policy) == TimeStatus.RotationOverdue)
            {
                yield return context.Report(Definition, group.Resource, group.Pointer,
                    Args.Of(("certificate", c.Label), ("source", group.Source), ("used", CertificateChecks.Percent(CertificateChecks.LifetimeUsed(c, now))),
                        ("left", CertificateChecks.TimeLeft(c, now))),
                    CertRule.Evidence(group, c));
            }
        }
    }
}
