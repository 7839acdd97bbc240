using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Linkerd;

/// <summary>EL6005: inbound traffic to an application port arrived without a client identity (<c>tls="no_identity"</c>).</summary>
internal sealed class EL6005TrafficWithoutIdentity : IRule
{
    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL6005",
        Title = "Inbound traffic without mTLS identity",
        Category = RuleCategory.Linkerd,
        DefaultSeverity = Severity.Warning,
        MessageTemplate = "{count} inbound {protocol} {unit} to {target} arrived without a client identity {period} (no_tls_reason {reason}); {mtls} to it were mTLS",
        Rationale = "Between meshed pods linkerd2-proxy always speaks mTLS; plain-text traffic to an application port means the client is not meshed (no_tls_from_remote), its proxy skipped the port, or the connection bypassed the proxy. Such traffic has no identity for authorization policies to judge, and is not encrypted. The proxy's admin port 4191 (kubelet probes) is left out.",
        Remediation = "Mesh the client (inject its workload), or, when plain text is intended, say so with a Server whose proxyProtocol and authorizations allow unauthenticated clients; check opaque and skipped ports in the pod's annotations.",
        Inputs = RuleInputs.LinkerdMetrics,
        Example = "7 inbound http requests to 10.42.0.63:8080 arrived without a client identity since the proxy started (no_tls_reason no_tls_from_remote); none to it were mTLS",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => LinkerdRule.AppliesTo(context);

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var linkerd = context.Linkerd!;
        var earlier = linkerd.Earlier?.Authorizations.Select(a => a.Count).ToList();

        // The authorization counters carry tls and no_tls_reason per server; they are the inbound traffic the proxy judged.
        var byTarget = linkerd.Authorizations
            .Where(a => a.Count.Target is not null && a.Count.TargetPort != LinkerdRule.AdminPort)
            .GroupBy(a => (a.Protocol, Target: a.Count.Target!))
            .OrderBy(g => g.Key.Target, StringComparer.Ordinal).ThenBy(g => g.Key.Protocol, StringComparer.Ordinal);
        foreach (var group in byTarget)
        {
            var plain = group.Where(a => a.Count.Tls == "no_identity").ToList();
            var count = plain.Sum(a => LinkerdRule.Increase(a.Count, earlier));
            if (count <= 0)
            {
                continue;
            }

            var mtls = group.Where(a => a.Count.Tls == "true").Sum(a => LinkerdRule.Increase(a.Count, earlier));
            var reasons = plain.Select(a => a.Count.NoTlsReason ?? "(none given)").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            var unit = group.Key.Protocol == "http" ? "requests" : "connections";
            yield return LinkerdRule.Report(context, Definition, group.Key.Target,
                Args.Of(("count", LinkerdRule.Number(count)), ("protocol", group.Key.Protocol), ("unit", unit), ("target", group.Key.Target),
                    ("period", linkerd.Period), ("reason", string.Join(", ", reasons)), ("mtls", mtls > 0 ? LinkerdRule.Number(mtls) : "none")),
                Args.Of(("servers", string.Join(", ", plain.Select(a => a.Server ?? "(unnamed)").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)))));
        }
    }
}
