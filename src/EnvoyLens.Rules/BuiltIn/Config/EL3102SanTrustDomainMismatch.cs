using EnvoyLens.Certs.Spiffe;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Config;

/// <summary>
/// EL3102: an upstream TLS context's SPIFFE SAN matchers all name a trust domain other than the proxy's own (from the
/// SPIFFE id of its certificate in <c>/certs</c>, else Istio's MESH_ID node metadata).
/// </summary>
internal sealed class EL3102SanTrustDomainMismatch : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL3102",
        "SAN matchers name another trust domain",
        RuleCategory.Config,
        Severity.Warning,
        "Cluster {cluster} only accepts peers of trust domain {trust_domains}, but this proxy belongs to {own_trust_domain}",
        "Workloads of one mesh get certificates of its own trust domain. When a cluster expects another one, every handshake fails the SAN check (ssl.fail_verify_san, CERTIFICATE_VERIFY_FAILED) unless the mesh really federates with that domain.",
        "Check the mesh's trustDomain and trustDomainAliases (Istio: meshConfig) and the DestinationRule's subjectAltNames; after a trust domain migration, list the old domain as an alias until every workload has a new certificate.",
        RuleInputs.ConfigDump)
    {
        OptionalInputs = RuleInputs.Certs,
        Example = "Cluster api only accepts peers of trust domain other.example, but this proxy belongs to cluster.local",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context)
    {
        if (Walk.OwnTrustDomain(context) is null)
        {
            return Applicability.No("the proxy's own trust domain is unknown (no SPIFFE id in /certs, no MESH_ID node metadata)");
        }

        return Applicability.When(Walk.UpstreamTls(context.Snapshot).Any(t => TrustDomains(t.Tls).Count > 0), "no upstream TLS context matches SPIFFE SANs");
    }

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var (own, from) = Walk.OwnTrustDomain(context)!.Value;
        foreach (var (cluster, tls, via) in Walk.UpstreamTls(context.Snapshot))
        {
            var domains = TrustDomains(tls);
            if (domains.Count == 0 || domains.Contains(own))
            {
                continue;
            }

            yield return context.Report(Definition, cluster.Meta.Ref, tls.Pointer,
                Args.Of(("cluster", cluster.Name), ("trust_domains", string.Join(", ", domains)), ("own_trust_domain", own)),
                Args.Of([("own_trust_domain_from", from), ("via", via), ("san_matchers", string.Join(", ", tls.SubjectAltNameMatchers)), .. Walk.Istio(cluster.Name, cluster.Metadata)]));
        }
    }

    /// <summary>The trust domains named by a context's SPIFFE matchers (exact or prefix), sorted.</summary>
    internal static SortedSet<string> TrustDomains(TlsContext tls) =>
        new(tls.SubjectAltNameMatchers.Where(m => m.Kind is "exact" or "prefix").Select(m => SpiffeId.TrustDomainOf(m.Value)).OfType<string>(), StringComparer.Ordinal);
}
