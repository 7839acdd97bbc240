using EnvoyLens.Certs.Checks;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

/// <summary>EL4008: a weak key or signature: RSA below 2048 bits, MD5 or SHA-1 signatures, unusual curves.</summary>
internal sealed class EL4008WeakCertificate(CertificatePolicy policy) : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL4008",
        "Weak certificate key or signature",
        RuleCategory.Certificates,
        Severity.Warning,
        "In {source} (block {block}): {problem}",
        "Short RSA keys and MD5/SHA-1 signatures can be forged; BoringSSL and modern peers refuse some of them outright, and unusual curves are not negotiated by every TLS stack.",
        "Reissue with RSA 2048+ or ECDSA P-256/P-384 and a SHA-256 (or stronger) signature.",
        RuleInputs.ConfigDump);

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => CertRule.AnyCertificate(context);

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var (group, c) in CertRule.All(context))
        {
            foreach (var problem in CertificateChecks.StrengthProblems(c, policy))
            {
                yield return context.Report(Definition, group.Resource, group.Pointer,
                    Args.Of(("source", group.Source), ("block", CertRule.Index(c.Index)), ("problem", problem)),
                    CertRule.Evidence(group, c));
            }
        }
    }
}
