using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Config;

/// <summary>EL3003: an HTTP filter chain without the router filter as its last filter.</summary>
internal sealed class EL3003RouterFilterNotLast : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL3003",
        "HTTP filter chain does not end with the router filter",
        RuleCategory.Config,
        Severity.Error,
        "The HTTP filters of listener {listener} (filter chain {filter_chain}) {problem}",
        "The router is the terminal HTTP filter: Envoy rejects a chain where it is not last, and a chain without it never forwards a request upstream.",
        "Move envoy.filters.http.router to the end of http_filters; for Istio check EnvoyFilter patches that INSERT_AFTER the router or replace the filter list.",
        RuleInputs.ConfigDump)
    {
        Example = "The HTTP filters of listener http_8080 (filter chain #0) have the router filter at position 1 of 2, before envoy.filters.http.cors",
    };

    public RuleDescriptor Descriptor => Definition;

    internal static bool IsRouter(HttpFilter f) =>
        f.Name is "envoy.filters.http.router" or "envoy.router" or "router" || f.Extension.TypeName == "envoy.extensions.filters.http.router.v3.Router";

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(Walk.Hcms(context.Snapshot).Any(h => h.Hcm.HttpFilters.Count > 0), "no HTTP connection manager lists HTTP filters");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var site in Walk.Hcms(context.Snapshot).Where(h => h.Hcm.HttpFilters.Count > 0))
        {
            var filters = site.Hcm.HttpFilters;
            var router = filters.ToList().FindIndex(IsRouter);
            string? problem = router < 0
                ? $"have no router filter; the last is {filters[^1].Name}"
                : router != filters.Count - 1
                    ? string.Create(CultureInfo.InvariantCulture, $"have the router filter at position {router + 1} of {filters.Count}, before {filters[router + 1].Name}")
                    : null;
            if (problem is not null)
            {
                yield return context.Report(Definition, site.Listener.Meta.Ref, router < 0 ? site.Hcm.Pointer.Append("http_filters") : filters[router].Extension.Pointer,
                    Args.Of(("listener", site.Listener.Name), ("filter_chain", Walk.Describe(site.Listener, site.Chain)), ("problem", problem)),
                    Args.Of(("http_filters", string.Join(", ", filters.Select(f => f.Name)))));
            }
        }
    }
}
