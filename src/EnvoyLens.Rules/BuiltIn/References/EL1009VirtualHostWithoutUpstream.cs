using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;
using EnvoyLens.Trace;

namespace EnvoyLens.Rules.BuiltIn.References;

/// <summary>
/// EL1009: every route of a virtual host leads to a cluster that is missing or has no usable endpoint, so the whole
/// host answers 503. Each destination is judged by the tracer's cluster and endpoint hops (<see cref="RequestTracer.Upstream"/>),
/// the same way <c>envoylens trace</c> ends a request there.
/// </summary>
internal sealed class EL1009VirtualHostWithoutUpstream : IRule
{
    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL1009",
        Title = "Virtual host has no route to a usable upstream",
        Category = RuleCategory.References,
        DefaultSeverity = Severity.Error,
        MessageTemplate = "Every route of virtual host {virtual_host} in {route_config} ({routes} route(s)) leads to a cluster that is missing or has no usable endpoint ({clusters})",
        Rationale = "A request for any of the host's domains that matches a route fails: 503 with NC when the cluster does not exist, 503 with UH when none of its endpoints is healthy. A single bad cluster is a partial outage; a host with no good destination at all is a full one for that service.",
        Remediation = "Run envoylens trace against one of the host's domains to see the hop that fails; then create the missing cluster (Service, ServiceEntry, DestinationRule subset) or find why its endpoints are unhealthy or absent (no ready pods, failing health checks, outlier ejection).",
        Inputs = RuleInputs.ConfigDump,
        OptionalInputs = RuleInputs.Clusters,
        Example = "Every route of virtual host ratings in web (2 route(s)) leads to a cluster that is missing or has no usable endpoint (ratings-v1: NC; ratings-v2: UH)",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        !Walk.RouteConfigs(context.Snapshot).Any() ? Applicability.No("the capture holds no route configurations")
        : Applicability.When(context.Snapshot.HasSection(ConfigSection.Clusters), "the config dump holds no clusters section, so destinations cannot be followed");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var tracer = new RequestTracer(context.Snapshot);
        var verdicts = new Dictionary<string, TraceVerdict>(StringComparer.Ordinal);
        TraceVerdict Upstream(string cluster)
        {
            if (!verdicts.TryGetValue(cluster, out var verdict))
            {
                verdicts[cluster] = verdict = tracer.Upstream(cluster);
            }

            return verdict;
        }

        foreach (var site in Walk.RouteConfigs(context.Snapshot))
        {
            foreach (var vhost in site.Config.VirtualHosts)
            {
                var targets = vhost.Routes.Select(Targets).ToList();
                if (targets.Count == 0 || targets.Any(t => t.Count == 0))
                {
                    // No routes, or a route that answers by itself (redirect, direct response) or picks its cluster per request.
                    continue;
                }

                var clusters = targets.SelectMany(t => t).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                var failures = clusters.Select(c => (Cluster: c, Verdict: Upstream(c))).ToList();
                if (failures.Any(f => f.Verdict.Outcome != TraceOutcome.Stopped))
                {
                    continue;
                }

                yield return context.Report(Definition, site.Resource, vhost.Pointer,
                    Args.Of(
                        ("virtual_host", vhost.Name),
                        ("route_config", site.Config.Name),
                        ("routes", vhost.Routes.Count.ToString(CultureInfo.InvariantCulture)),
                        ("clusters", string.Join("; ", failures.Select(f => f.Cluster + ": " + (f.Verdict.ResponseFlag ?? "stopped"))))),
                    Args.Of(("domains", string.Join(",", vhost.Domains))));
            }
        }
    }

    /// <summary>The clusters a route sends to; empty when it sends to none that can be named in advance.</summary>
    private static List<string> Targets(Route route) => route.ActionKind switch
    {
        RouteActionKind.Cluster when route.Cluster is not null => [route.Cluster],
        RouteActionKind.WeightedClusters => route.WeightedClusters.Select(w => w.Name).ToList(),
        _ => [],
    };
}
