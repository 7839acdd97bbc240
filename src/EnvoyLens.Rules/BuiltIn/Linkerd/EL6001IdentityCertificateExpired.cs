using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Linkerd;

/// <summary>EL6001: the proxy's identity certificate (<c>identity_cert_expiration_timestamp_seconds</c>) has expired.</summary>
internal sealed class EL6001IdentityCertificateExpired : IRule
{
    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL6001",
        Title = "Linkerd identity certificate expired",
        Category = RuleCategory.Linkerd,
        DefaultSeverity = Severity.Error,
        MessageTemplate = "The proxy's identity certificate expired at {expiry}, {age} before {at}",
        Rationale = "With an expired certificate the proxy cannot complete mTLS: meshed peers refuse its connections and requests between meshed pods fail. linkerd2-proxy renews its certificate long before expiry, so an expired one means the identity controller (linkerd-identity) has not answered it, or its issuer certificate has expired.",
        Remediation = "Check the proxy's log for identity errors and that linkerd-identity is running; run `envoylens certs linkerd` (or `linkerd check`) on the issuer and trust anchors, rotate an expired issuer, then restart the pod.",
        Inputs = RuleInputs.LinkerdMetrics,
        Example = "The proxy's identity certificate expired at 2026-11-19T10:00:00Z, 1d 0h before 2026-11-20T10:00:00Z",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        LinkerdRule.AppliesTo(context) is { Applies: false } no ? no
            : Applicability.When(context.Linkerd!.Identity.CertificateExpiry is not null, "the metrics have no identity_cert_expiration_timestamp_seconds");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var now = LinkerdRule.Now(context);
        var expiry = context.Linkerd!.Identity.CertificateExpiry!.Value;
        if (expiry <= now)
        {
            yield return LinkerdRule.Report(context, Definition, "identity_cert_expiration_timestamp_seconds",
                Args.Of(("expiry", LinkerdRule.Instant(expiry)), ("age", LinkerdRule.Duration(now - expiry)), ("at", LinkerdRule.Instant(now))),
                Args.Of(("identity_cert_expiration_timestamp_seconds", LinkerdRule.Number(expiry.ToUnixTimeSeconds()))));
        }
    }
}
