using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.References;

/// <summary>EL1003: tcp_proxy (or its weighted clusters) sends connections to a cluster that does not exist.</summary>
internal sealed class EL1003NetworkFilterMissingCluster : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL1003",
        "Network filter targets a cluster that does not exist",
        RuleCategory.References,
        Severity.Error,
        "Filter {filter} in filter chain {filter_chain} of listener {listener} sends connections to cluster '{cluster}', which does not exist",
        "A tcp_proxy whose cluster is missing closes every connection it accepts right away; clients see resets, not an error message.",
        "Create the cluster (for Istio: the Service or ServiceEntry behind this port) or point the filter at an existing one.",
        RuleInputs.ConfigDump)
    {
        Example = "Filter envoy.filters.network.tcp_proxy in filter chain #0 of listener tcp_9000 sends connections to cluster 'db', which does not exist",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        !context.Snapshot.Listeners.SelectMany(l => l.AllFilterChains).SelectMany(c => c.Filters).Any(f => f.TcpProxy is not null)
            ? Applicability.No("no listener has a tcp_proxy filter")
            : Applicability.When(context.Snapshot.HasSection(ConfigSection.Clusters), "the config dump holds no clusters section, so cluster references cannot be checked");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var listener in context.Snapshot.Listeners)
        {
            foreach (var chain in listener.AllFilterChains)
            {
                foreach (var filter in chain.Filters.Where(f => f.TcpProxy is not null))
                {
                    var tcp = filter.TcpProxy!;
                    var targets = tcp.WeightedClusters.Select(w => w.Name).Prepend(tcp.Cluster).OfType<string>().Where(c => c.Length > 0).Distinct(StringComparer.Ordinal);
                    foreach (var cluster in targets.Where(c => context.Snapshot.FindCluster(c) is null))
                    {
                        yield return context.Report(Definition, listener.Meta.Ref, tcp.Pointer,
                            Args.Of(("filter", filter.Name), ("filter_chain", Walk.Describe(listener, chain)), ("listener", listener.Name), ("cluster", cluster)));
                    }
                }
            }
        }
    }
}
