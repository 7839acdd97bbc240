using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Linkerd;

/// <summary>EL6003: the proxy never obtained an identity certificate, or has not renewed it in a certificate's lifetime.</summary>
internal sealed class EL6003IdentityCertificateNotRefreshed : IRule
{
    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL6003",
        Title = "Linkerd identity certificate not refreshed",
        Category = RuleCategory.Linkerd,
        DefaultSeverity = Severity.Warning,
        MessageTemplate = "The proxy {what}: identity_cert_refresh_count is {count}{uptime}",
        Rationale = "identity_cert_refresh_count counts the certificates the proxy obtained from linkerd-identity. Zero means it has none and cannot take part in mTLS; one after more than a 24-hour certificate lifetime means it stopped renewing and will lose its identity when the certificate expires.",
        Remediation = "Look for identity errors in the proxy's log; check that linkerd-identity is running, that the pod's ServiceAccount token is mounted, and that the control-plane requests to the identity service succeed (EL6006).",
        Inputs = RuleInputs.LinkerdMetrics,
        Example = "The proxy has never obtained an identity certificate: identity_cert_refresh_count is 0",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        LinkerdRule.AppliesTo(context) is { Applies: false } no ? no
            : Applicability.When(context.Linkerd!.Identity.RefreshCount is not null, "the metrics have no identity_cert_refresh_count");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var linkerd = context.Linkerd!;
        var count = linkerd.Identity.RefreshCount!.Value;
        var now = LinkerdRule.Now(context);
        if (count < 1)
        {
            yield return LinkerdRule.Report(context, Definition, "identity_cert_refresh_count",
                Args.Of(("what", "has never obtained an identity certificate"), ("count", LinkerdRule.Number(count)), ("uptime", "")));
        }
        else if (count < 2 && linkerd.Process.StartTime is { } start && now - start > EL6002IdentityCertificateExpiring.DefaultLifetime)
        {
            yield return LinkerdRule.Report(context, Definition, "identity_cert_refresh_count",
                Args.Of(("what", "has not renewed its identity certificate since it started"), ("count", LinkerdRule.Number(count)),
                    ("uptime", $" after {LinkerdRule.Duration(now - start)} up (started {LinkerdRule.Instant(start)})")));
        }
    }
}
