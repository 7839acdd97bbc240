using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.References;

/// <summary>EL1007: a TLS context references an SDS secret the proxy does not have, or has only warming.</summary>
internal sealed class EL1007TlsSecretMissing : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL1007",
        "TLS context references a missing or inactive SDS secret",
        RuleCategory.References,
        Severity.Error,
        "{owner} uses SDS secret '{secret}' for its {usage}, which is {state}",
        "Without the secret the TLS context cannot be built: a listener stays warming and refuses TLS connections, a cluster fails every handshake (503 UF with a TLS error).",
        "Check the SDS server (for Istio: the istio-agent and its connection to istiod / the CA, or the credentialName Secret for a gateway) and the secret's name.",
        RuleInputs.ConfigDump)
    {
        Example = "Cluster api uses SDS secret 'ROOTCA' for its validation context, which is missing",
    };

    public RuleDescriptor Descriptor => Definition;

    private sealed record Use(ResourceRef Owner, string OwnerText, TlsContext Tls);

    private static IEnumerable<Use> Uses(EnvoySnapshot s) =>
        s.Clusters.SelectMany(c => new[] { c.Tls }.Concat(c.TransportSocketMatches.Select(m => m.Tls)).OfType<TlsContext>().Select(t => new Use(c.Meta.Ref, "Cluster " + c.Name, t)))
            .Concat(s.Listeners.SelectMany(l => l.AllFilterChains.Where(f => f.DownstreamTls is not null)
                .Select(f => new Use(l.Meta.Ref, $"Listener {l.Name} (filter chain {Walk.Describe(l, f)})", f.DownstreamTls!))));

    public Applicability AppliesTo(RuleContext context)
    {
        var any = Uses(context.Snapshot).Any(u => u.Tls.CertificateSdsNames.Count > 0 || u.Tls.ValidationSdsName is not null);
        return !any ? Applicability.No("no TLS context uses SDS")
            : Applicability.When(context.Snapshot.HasSection(ConfigSection.Secrets), "the config dump holds no secrets section, so SDS references cannot be checked");
    }

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var use in Uses(context.Snapshot).DistinctBy(u => (u.Owner, u.Tls.Pointer)))
        {
            var names = use.Tls.CertificateSdsNames.Select(n => (Name: n, Usage: "certificate"))
                .Concat(use.Tls.ValidationSdsName is { } v ? [(v, "validation context")] : []);
            foreach (var (name, usage) in names)
            {
                var secret = context.Snapshot.FindSecret(name);
                if (secret is not null && secret.Meta.State == ResourceState.Active)
                {
                    continue;
                }

                var state = secret is null ? "missing" : $"not active ({secret.Meta.State.ToString().ToLowerInvariant()})";
                yield return context.Report(Definition, use.Owner, use.Tls.Pointer,
                    Args.Of(("owner", use.OwnerText), ("secret", name), ("usage", usage), ("state", state)));
            }
        }
    }
}
