using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Config;

/// <summary>
/// EL3002: a filter chain that can never match because an earlier chain of the same listener has the same match.
/// Envoy picks a chain by the most specific match, not by order, so only an identical match takes all of a chain's
/// traffic (and Envoy rejects the listener for it).
/// </summary>
internal sealed class EL3002DuplicateFilterChainMatch : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL3002",
        "Filter chain can never match",
        RuleCategory.Config,
        Severity.Error,
        "Filter chain {filter_chain} of listener {listener} has the same match as filter chain {earlier} ({match}) and can never be selected",
        "Envoy selects a filter chain by the most specific match; two chains with identical matches cannot be told apart, so Envoy rejects the listener (\"multiple filter chains with the same matching rules\") or, in an older capture, one chain never sees traffic.",
        "Make the matches differ (server_names, transport_protocol, application_protocols, destination_port, prefix ranges) or merge the two chains; for Istio look for two Gateways or EnvoyFilters that produce the same match.",
        RuleInputs.ConfigDump)
    {
        Example = "Filter chain api-v2 of listener tls_8443 has the same match as filter chain api (server_names api.example.com; transport_protocol tls) and can never be selected",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(context.Snapshot.Listeners.Any(l => l.FilterChains.Count > 1), "no listener has more than one filter chain");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var listener in context.Snapshot.Listeners)
        {
            var seen = new Dictionary<string, FilterChain>(StringComparer.Ordinal);
            foreach (var chain in listener.FilterChains)
            {
                var key = Key(chain.Match);
                if (seen.TryGetValue(key, out var earlier))
                {
                    yield return context.Report(Definition, listener.Meta.Ref, chain.Pointer,
                        Args.Of(("filter_chain", Walk.Describe(listener, chain)), ("listener", listener.Name), ("earlier", Walk.Describe(listener, earlier)), ("match", Describe(chain.Match))));
                }
                else
                {
                    seen[key] = chain;
                }
            }
        }
    }

    private static string Set(IEnumerable<string> values) => string.Join(",", values.Order(StringComparer.Ordinal));

    private static string Key(FilterChainMatch m) => string.Join("|",
        m.DestinationPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        Set(m.PrefixRanges), Set(m.ServerNames.Select(s => s.ToLowerInvariant())), m.TransportProtocol ?? "", Set(m.ApplicationProtocols),
        Set(m.SourcePrefixRanges), Set(m.DirectSourcePrefixRanges), Set(m.SourcePorts.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))), m.SourceType ?? "");

    internal static string Describe(FilterChainMatch m)
    {
        if (m.IsEmpty)
        {
            return "match anything";
        }

        var parts = new List<string>();
        if (m.DestinationPort is { } p)
        {
            parts.Add("destination_port " + p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        void Add(string name, IReadOnlyCollection<string> values)
        {
            if (values.Count > 0)
            {
                parts.Add($"{name} {Set(values)}");
            }
        }

        Add("prefix_ranges", m.PrefixRanges);
        Add("server_names", m.ServerNames);
        if (m.TransportProtocol is { } t)
        {
            parts.Add("transport_protocol " + t);
        }

        Add("application_protocols", m.ApplicationProtocols);
        Add("source_prefix_ranges", m.SourcePrefixRanges);
        Add("direct_source_prefix_ranges", m.DirectSourcePrefixRanges);
        Add("source_ports", m.SourcePorts.Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList());
        if (m.SourceType is { } st)
        {
            parts.Add("source_type " + st);
        }

        return string.Join("; ", parts);
    }
}
