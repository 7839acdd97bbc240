using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Linkerd;

/// <summary>EL6008: the share of HTTP responses classified as failures between two samples is high.</summary>
internal sealed class EL6008HttpFailureShare : IRule
{
    /// <summary>The failure share at or above which the rule reports.</summary>
    public const double Threshold = 0.05;

    /// <summary>Fewer responses than this in the interval say too little.</summary>
    public const double MinimumResponses = 20;

    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL6008",
        Title = "HTTP failure share over the interval",
        Category = RuleCategory.Linkerd,
        DefaultSeverity = Severity.Warning,
        MessageTemplate = "{share} of {direction} HTTP responses for {authority} failed between the two samples ({failures} of {total}; {statuses})",
        Rationale = "response_total classifies each response as success or failure (5xx and gRPC errors, by default). Lifetime totals hide a recent outage; two samples (snapshot --interval) give the failure share of the interval, which is what users see now. 5% or more of at least 20 responses is reported.",
        Remediation = "Look at the failing status codes: 502/503/504 from the proxy point at unreachable endpoints (EL6007) or denials (EL6004); 5xx from the application at its logs.",
        Inputs = RuleInputs.LinkerdMetrics,
        Example = "25% of outbound HTTP responses for web.default.svc.cluster.local:80 failed between the two samples (10 of 40; status_code 503: 10)",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => LinkerdRule.AppliesTo(context) is { Applies: false } no ? no
        : Applicability.When(context.Linkerd!.Earlier is not null, "it needs two samples of /metrics (snapshot --interval)");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var linkerd = context.Linkerd!;
        var earlier = linkerd.Earlier!.Responses;
        var groups = linkerd.Responses
            .GroupBy(r => (Direction: r.Direction ?? "unknown-direction", Authority: r.Authority ?? r.Target ?? "(unknown authority)"))
            .OrderBy(g => g.Key.Direction, StringComparer.Ordinal).ThenBy(g => g.Key.Authority, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var total = group.Sum(r => LinkerdRule.Increase(r, earlier));
            var failed = group.Where(r => r.Classification == "failure").Select(r => (Count: r, Increase: LinkerdRule.Increase(r, earlier))).Where(r => r.Increase > 0).ToList();
            var failures = failed.Sum(f => f.Increase);
            if (total < MinimumResponses || failures / total < Threshold)
            {
                continue;
            }

            var statuses = failed.GroupBy(f => f.Count.StatusCode is { } s ? "status_code " + s : f.Count.Label("error") is { } e ? "error " + e : "failure")
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key + ": " + LinkerdRule.Number(g.Sum(f => f.Increase)));
            yield return LinkerdRule.Report(context, Definition, group.Key.Authority,
                Args.Of(("share", LinkerdRule.Percent(failures / total)), ("direction", group.Key.Direction), ("authority", group.Key.Authority),
                    ("failures", LinkerdRule.Number(failures)), ("total", LinkerdRule.Number(total)), ("statuses", string.Join(", ", statuses))));
        }
    }
}
