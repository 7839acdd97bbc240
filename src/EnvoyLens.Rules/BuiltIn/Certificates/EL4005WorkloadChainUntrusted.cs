using EnvoyLens.Certs.Validation;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

/// <summary>EL4005: the proxy's own workload chain does not validate to the CAs the proxy trusts (ROOTCA).</summary>
internal sealed class EL4005WorkloadChainUntrusted : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL4005",
        "Workload certificate does not chain to the trusted CA",
        RuleCategory.Certificates,
        Severity.Error,
        "The workload chain in {source} does not validate against the proxy's trusted CAs: {reason}",
        "Peers of the mesh trust the same root as this proxy; a workload certificate that does not chain to it (wrong or missing intermediate, root rotated on one side only) is rejected in every mTLS handshake.",
        "Compare the chain's issuer with ROOTCA (envoylens certs SOURCE); make sure the CA's intermediate is in the chain and the root is in the trust bundle.",
        RuleInputs.ConfigDump);

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context)
    {
        var inventory = CertRule.Inventory(context);
        return inventory.WorkloadChain?.Leaf is null ? Applicability.No("the capture holds no workload certificate chain")
            : Applicability.When(inventory.TrustedCas.Count > 0, "the capture holds no trusted CA (validation context)");
    }

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var inventory = CertRule.Inventory(context);
        var group = inventory.WorkloadChain!;
        var leaf = group.Leaf!;
        var result = PathValidator.Verify(new VerifyRequest(leaf, inventory.TrustedCas, group.Certificates.Skip(1).ToList(), context.Clock.GetUtcNow()));
        // Expired and not-yet-valid certificates are EL4001 and EL4002.
        if (!result.Valid && result.Check != "validity")
        {
            yield return context.Report(Definition, group.Resource, group.Pointer,
                Args.Of(("source", group.Source), ("reason", result.Reason.TrimEnd('.'))),
                Args.Of(("check", result.Check), ("serial", leaf.SerialNumberHex), ("source", group.Source)));
        }
    }
}
