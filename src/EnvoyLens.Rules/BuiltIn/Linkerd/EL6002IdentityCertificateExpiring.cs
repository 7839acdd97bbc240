using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Linkerd;

/// <summary>EL6002: the proxy's identity certificate expires within the share of its lifetime the proxy should have renewed it by.</summary>
internal sealed class EL6002IdentityCertificateExpiring : IRule
{
    /// <summary>linkerd-identity issues proxy certificates for 24 hours by default.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);

    /// <summary>linkerd2-proxy renews at 70% of its certificate's lifetime: less than 30% left means a renewal is overdue.</summary>
    public const double RenewalShare = 0.3;

    public static TimeSpan Threshold => DefaultLifetime * RenewalShare;

    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL6002",
        Title = "Linkerd identity certificate expiring",
        Category = RuleCategory.Linkerd,
        DefaultSeverity = Severity.Warning,
        MessageTemplate = "The proxy's identity certificate expires at {expiry}, {remaining} after {at}: less than {threshold}, so its renewal is overdue",
        Rationale = "linkerd-identity issues proxy certificates for 24 hours by default and the proxy renews at 70% of that lifetime; a certificate with less than 30% (7h 12m) left has missed its renewal, and the proxy loses mTLS when it expires (EL6001).",
        Remediation = "Check the proxy's log for identity errors and that linkerd-identity is running and reachable (EL6006); check the issuer certificate with `envoylens certs linkerd`.",
        Inputs = RuleInputs.LinkerdMetrics,
        Example = "The proxy's identity certificate expires at 2026-11-20T12:00:00Z, 2h 0m after 2026-11-20T10:00:00Z: less than 7h 12m, so its renewal is overdue",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        LinkerdRule.AppliesTo(context) is { Applies: false } no ? no
            : Applicability.When(context.Linkerd!.Identity.CertificateExpiry is not null, "the metrics have no identity_cert_expiration_timestamp_seconds");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var now = LinkerdRule.Now(context);
        var expiry = context.Linkerd!.Identity.CertificateExpiry!.Value;
        if (expiry > now && expiry - now < Threshold)
        {
            yield return LinkerdRule.Report(context, Definition, "identity_cert_expiration_timestamp_seconds",
                Args.Of(("expiry", LinkerdRule.Instant(expiry)), ("remaining", LinkerdRule.Duration(expiry - now)), ("at", LinkerdRule.Instant(now)),
                    ("threshold", LinkerdRule.Duration(Threshold))),
                Args.Of(("identity_cert_expiration_timestamp_seconds", LinkerdRule.Number(expiry.ToUnixTimeSeconds()))));
        }
    }
}
