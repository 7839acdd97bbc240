using EnvoyLens.Core;

namespace EnvoyLens.Rules.Engine;

/// <summary>
/// Runs a set of rules over one snapshot. Each rule is isolated: one that throws becomes an internal-error
/// finding (<see cref="InternalErrorRule"/>) naming it and the run goes on. Rules whose inputs were not captured are
/// reported as not run, with the missing inputs as reason. Findings come back in <see cref="Finding.ReportOrder"/>.
/// </summary>
public sealed class RuleRunner
{
    private readonly IReadOnlyList<IRule> _rules;

    public RuleRunner(IEnumerable<IRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules.OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal).ToList();
        var duplicate = _rules.GroupBy(r => r.Descriptor.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Rule id {duplicate.Key} is used by more than one rule.", nameof(rules));
        }
    }

    public IReadOnlyList<IRule> Rules => _rules;

    public AnalysisReport Run(RuleContext context, AnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        options ??= AnalysisOptions.Default;
        var known = _rules.Select(r => r.Descriptor.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = options.Enable.Concat(options.Disable).Concat(options.SeverityOverrides.Keys)
            .Where(id => !known.Contains(id)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (unknown is not null)
        {
            throw new EnvoyLensException($"there is no rule {unknown}; run 'envoylens rules' to list the rules.");
        }

        // Rules are independent readers of one immutable model: they run across the cores, and their results are
        // collected in catalog order, so the report is the same as a run one rule after another.
        var results = new (RuleOutcome Outcome, List<Finding> Findings)[_rules.Count];
        Parallel.For(0, _rules.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => results[i] = RunOne(_rules[i], context, options));
        var findings = new List<Finding>();
        var outcomes = new List<RuleOutcome>(_rules.Count);
        foreach (var (outcome, found) in results)
        {
            outcomes.Add(outcome);
            findings.AddRange(found);
        }

        findings.Sort(Finding.ReportOrder);
        return new AnalysisReport(findings, outcomes);
    }

    private static (RuleOutcome Outcome, List<Finding> Findings) RunOne(IRule rule, RuleContext context, AnalysisOptions options)
    {
        var d = rule.Descriptor;
        if (options.Disable.Contains(d.Id) || (!d.EnabledByDefault && !options.Enable.Contains(d.Id)))
        {
            return (new RuleOutcome(d.Id, RuleStatus.Disabled, options.Disable.Contains(d.Id) ? "disabled on request" : "off by default; enable it by id", 0), []);
        }

        // A rule judges one kind of proxy (the Linkerd area judges linkerd2-proxy, every other area Envoy): on a
        // capture of the other kind it has nothing to look at, which is "not applicable", not "not run".
        var judges = d.Category == RuleCategory.Linkerd ? ProxyKind.Linkerd2Proxy : ProxyKind.Envoy;
        if (d.Category != RuleCategory.Engine && judges != context.Proxy)
        {
            return (new RuleOutcome(d.Id, RuleStatus.NotApplicable, $"it judges {(judges == ProxyKind.Envoy ? "Envoy proxies" : "Linkerd proxies")}, and the capture is of {context.Proxy.Sentence()}", 0), []);
        }

        var missing = d.Inputs & ~context.Available;
        if (missing != RuleInputs.None)
        {
            return (new RuleOutcome(d.Id, RuleStatus.NotRun, $"needs {Describe(missing)}, which the capture does not hold", 0), []);
        }

        var severity = options.SeverityOverrides.TryGetValue(d.Id, out var s) ? s : d.DefaultSeverity;
        try
        {
            var applies = rule.AppliesTo(context);
            if (!applies.Applies)
            {
                return (new RuleOutcome(d.Id, RuleStatus.NotApplicable, applies.Reason, 0), []);
            }

            var found = rule.Check(context).Select(f => f with { Severity = severity }).ToList();
            return (new RuleOutcome(d.Id, found.Count == 0 ? RuleStatus.Passed : RuleStatus.Failed, null, found.Count), found);
        }
        catch (Exception e)
        {
            return (new RuleOutcome(d.Id, RuleStatus.InternalError, $"{e.GetType().Name}: {e.Message}", 1), [InternalErrorRule.For(d.Id, e, context)]);
        }
    }

    /// <summary>Names inputs for people: <c>/stats and /server_info</c>.</summary>
    public static string Describe(RuleInputs inputs)
    {
        var names = RuleInputNames.Of(inputs);
        return names.Length <= 1 ? string.Concat(names) : string.Join(", ", names[..^1]) + " and " + names[^1];
    }
}
