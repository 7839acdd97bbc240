using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Config;

/// <summary>EL3101: a cluster originates TLS without a trusted CA: it accepts any server certificate.</summary>
internal sealed class EL3101UpstreamTlsWithoutVerification : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL3101",
        "Upstream TLS without peer verification",
        RuleCategory.Config,
        Severity.Warning,
        "Cluster {cluster} originates TLS ({via}) without a trusted CA, so it accepts any server certificate",
        "Without a validation context Envoy encrypts but does not authenticate the upstream: anyone who can answer on the address (a spoofed DNS name, a compromised pod) receives the traffic and any credentials in it.",
        "Give the upstream TLS context a trusted CA (validation_context.trusted_ca or an SDS validation context) and SAN matchers; for Istio set the DestinationRule's tls.mode to ISTIO_MUTUAL, or SIMPLE with caCertificates and subjectAltNames.",
        RuleInputs.ConfigDump)
    {
        Example = "Cluster api originates TLS (transport_socket) without a trusted CA, so it accepts any server certificate",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(Walk.UpstreamTls(context.Snapshot).Any(), "no cluster originates TLS");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var (cluster, tls, via) in Walk.UpstreamTls(context.Snapshot))
        {
            if (tls.HasTrustedCa)
            {
                continue;
            }

            yield return context.Report(Definition, cluster.Meta.Ref, tls.Pointer,
                Args.Of(("cluster", cluster.Name), ("via", via)),
                Args.Of([("sni", tls.Sni ?? ""), ("san_matchers", string.Join(", ", tls.SubjectAltNameMatchers)), .. Walk.Istio(cluster.Name, cluster.Metadata)]));
        }
    }
}
