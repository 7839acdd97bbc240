using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Linkerd;

/// <summary>EL6004: inbound requests or connections were denied by the authorization policy of a server.</summary>
internal sealed class EL6004InboundDeniedByPolicy : IRule
{
    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL6004",
        Title = "Inbound traffic denied by authorization policy",
        Category = RuleCategory.Linkerd,
        DefaultSeverity = Severity.Warning,
        MessageTemplate = "Server {server} denied {count} inbound {protocol} {unit} to {target} {period} (policy {policy}; client {client})",
        Rationale = "linkerd2-proxy refuses inbound traffic no AuthorizationPolicy (or ServerAuthorization) of its Server allows: HTTP requests get 403, TCP connections are closed. Denials of traffic the application expects are an outage that looks like an application error.",
        Remediation = "Compare the client's identity with the Server's authorizations (`linkerd viz authz` or `kubectl get server,authorizationpolicy,meshtlsauthentication`); authorize the client, or fix the client's identity (a client without identity is EL6005).",
        Inputs = RuleInputs.LinkerdMetrics,
        Example = "Server default:all-authenticated denied 12 inbound http requests to 10.42.0.63:8080 since the proxy started (policy none matched; client without identity (no_tls_from_remote))",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => LinkerdRule.AppliesTo(context);

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var linkerd = context.Linkerd!;
        var earlier = linkerd.Earlier?.Authorizations.Select(a => a.Count).ToList();
        foreach (var deny in linkerd.Authorizations.Where(a => !a.Allowed)
                     .OrderBy(a => a.Server, StringComparer.Ordinal).ThenBy(a => a.Count.Target, StringComparer.Ordinal).ThenBy(a => a.Count.Key, StringComparer.Ordinal))
        {
            var increase = LinkerdRule.Increase(deny.Count, earlier);
            if (increase <= 0)
            {
                continue;
            }

            var client = deny.Count.ClientId ?? (deny.Count.Tls == "true" ? "unknown identity" : $"without identity ({deny.Count.NoTlsReason ?? deny.Count.Tls ?? "no tls label"})");
            yield return LinkerdRule.Report(context, Definition, deny.Count.Metric,
                Args.Of(("server", deny.Server ?? "(unnamed)"), ("count", LinkerdRule.Number(increase)), ("protocol", deny.Protocol),
                    ("unit", deny.Protocol == "http" ? "requests" : "connections"), ("target", deny.Count.Target ?? "(unknown target)"),
                    ("period", linkerd.Period), ("policy", deny.Policy ?? "none matched"), ("client", client)),
                deny.Count.Labels);
        }
    }
}
