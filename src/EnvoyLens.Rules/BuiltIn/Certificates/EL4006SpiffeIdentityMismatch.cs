using EnvoyLens.Certs.Spiffe;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

/// <summary>EL4006: the workload certificate's SPIFFE ID is not the identity of the proxy's namespace and service account.</summary>
internal sealed class EL4006SpiffeIdentityMismatch : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL4006",
        "Workload SPIFFE ID does not match the proxy's identity",
        RuleCategory.Certificates,
        Severity.Error,
        "The workload certificate in {source} has the identity '{actual}' but the proxy runs as namespace '{namespace}', service account '{serviceAccount}' (expected '{expected}')",
        "Peers authorize by SPIFFE ID (authorization policies, client SAN matchers); a certificate for another identity is refused or, worse, grants another workload's rights.",
        "Check the SDS agent's identity (service account token, pod's serviceAccountName) and the CA's identity mapping.",
        RuleInputs.ConfigDump);

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context)
    {
        var node = context.Node;
        if (node?.Namespace is null || node.ServiceAccount is null)
        {
            return Applicability.No("the node metadata has no namespace and service account");
        }

        return Applicability.When(CertRule.Inventory(context).WorkloadChain?.Leaf is not null, "the capture holds no workload certificate chain");
    }

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var node = context.Node!;
        var group = CertRule.Inventory(context).WorkloadChain!;
        var leaf = group.Leaf!;
        var id = SpiffeId.TryParse(leaf.SpiffeId, out _);
        var (ns, sa) = id?.IstioIdentity ?? (null, null);
        if (ns == node.Namespace && sa == node.ServiceAccount)
        {
            yield break;
        }

        var trustDomain = id?.TrustDomain ?? "cluster.local";
        var expected = $"spiffe://{trustDomain}/ns/{node.Namespace}/sa/{node.ServiceAccount}";
        yield return context.Report(Definition, group.Resource, group.Pointer,
            Args.Of(("source", group.Source), ("actual", leaf.SpiffeId ?? "(no SPIFFE ID)"), ("namespace", node.Namespace!),
                ("serviceAccount", node.ServiceAccount!), ("expected", expected)),
            Args.Of(("serial", leaf.SerialNumberHex)));
    }
}
