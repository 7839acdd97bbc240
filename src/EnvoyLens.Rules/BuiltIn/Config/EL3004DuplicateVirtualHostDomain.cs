using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Config;

/// <summary>EL3004: two virtual hosts of one route configuration claim the same domain.</summary>
internal sealed class EL3004DuplicateVirtualHostDomain : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL3004",
        "Domain claimed by two virtual hosts",
        RuleCategory.Config,
        Severity.Error,
        "Domain '{domain}' of virtual host {virtual_host} in {route_config} is already claimed by virtual host {other}",
        "Envoy requires every domain to be unique within a route configuration and rejects the whole configuration otherwise, so no route in it changes until the clash is gone.",
        "Remove the domain from one virtual host; for Istio look for two VirtualServices (or a VirtualService and a ServiceEntry) with the same host on the same port.",
        RuleInputs.ConfigDump)
    {
        Example = "Domain 'WEB.example.com' of virtual host web-alias in web is already claimed by virtual host web",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(Walk.RouteConfigs(context.Snapshot).Any(r => r.Config.VirtualHosts.Count > 0), "the capture holds no virtual hosts");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var site in Walk.RouteConfigs(context.Snapshot))
        {
            var owner = new Dictionary<string, VirtualHost>(StringComparer.OrdinalIgnoreCase);
            foreach (var vhost in site.Config.VirtualHosts)
            {
                foreach (var domain in vhost.Domains.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    if (owner.TryGetValue(domain, out var other))
                    {
                        yield return context.Report(Definition, site.Resource, vhost.Pointer,
                            Args.Of(("domain", domain), ("virtual_host", vhost.Name), ("route_config", site.Config.Name), ("other", other.Name)),
                            Args.Of([.. Walk.IstioConfig(vhost.Metadata), .. Walk.IstioConfig(vhost.Metadata).Select(c => ("istio_resource", Walk.IstioResource(c.Value) ?? c.Value))]));
                    }
                    else
                    {
                        owner[domain] = vhost;
                    }
                }
            }
        }
    }
}
