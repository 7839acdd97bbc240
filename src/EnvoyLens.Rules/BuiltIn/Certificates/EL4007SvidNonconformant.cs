using EnvoyLens.Certs.Spiffe;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

/// <summary>EL4007: an X.509-SVID (a certificate with a spiffe:// URI SAN) breaks the SPIFFE X.509-SVID rules.</summary>
internal sealed class EL4007SvidNonconformant : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL4007",
        "X.509-SVID does not conform to the SPIFFE specification",
        RuleCategory.Certificates,
        Severity.Warning,
        "In {source}: {problem}",
        "SPIFFE implementations (Envoy's SPIFFE validator, go-spiffe, SPIRE) reject SVIDs with several URI SANs, malformed IDs, CA leaves or wrong key usage, and authorization by ID is ambiguous.",
        "Fix the CA's certificate template: one spiffe:// URI SAN, CA:FALSE, critical key usage with digitalSignature, EKU serverAuth and clientAuth.",
        RuleInputs.ConfigDump);

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(CertRule.Inventory(context).Chains.Any(g => g.Leaf is { } leaf && SvidChecks.IsSvid(leaf)), "no certificate chain carries a SPIFFE ID");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var group in CertRule.Inventory(context).Chains.Where(g => g.Leaf is { } leaf && SvidChecks.IsSvid(leaf)))
        {
            var problems = SvidChecks.CheckChain(group.Certificates);
            foreach (var problem in problems)
            {
                yield return context.Report(Definition, group.Resource, group.Pointer,
                    Args.Of(("source", group.Source), ("problem", problem.TrimEnd('.'))),
                    Args.Of(("serial", group.Leaf!.SerialNumberHex)));
            }
        }
    }
}
