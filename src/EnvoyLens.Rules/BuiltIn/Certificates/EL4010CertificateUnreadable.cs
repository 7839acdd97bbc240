using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Certificates;

/// <summary>EL4010: a PEM block of a secret or inline TLS context cannot be read as a certificate.</summary>
internal sealed class EL4010CertificateUnreadable : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL4010",
        "Certificate cannot be parsed",
        RuleCategory.Certificates,
        Severity.Error,
        "{problem}",
        "Envoy refuses a secret whose PEM does not parse, so the TLS context using it never becomes ready (listener warming, cluster failing handshakes); a partly broken trust bundle silently drops anchors.",
        "Re-encode the certificate (openssl x509 -in FILE -out FILE) or fix the Secret's data; every block must be a complete BEGIN/END CERTIFICATE pair of valid base64 DER.",
        RuleInputs.ConfigDump);

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(CertRule.Inventory(context).Groups.Count > 0, "the capture holds no certificate PEM");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var group in CertRule.Inventory(context).Groups)
        {
            foreach (var problem in group.Problems)
            {
                yield return context.Report(Definition, group.Resource, group.Pointer,
                    Args.Of(("problem", problem.Message.TrimEnd('.'))),
                    Args.Of(("source", group.Source), ("block", problem.Index is { } i ? CertRule.Index(i) : "-")));
            }
        }
    }
}
