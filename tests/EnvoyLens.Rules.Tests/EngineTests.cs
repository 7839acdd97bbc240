using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.Tests;

public sealed class EngineTests
{
    private static readonly RuleDescriptor ThrowingDescriptor = new(
        "EL3999", "Throws", RuleCategory.Config, Severity.Warning, "never {x}", "r", "fix", RuleInputs.ConfigDump);

    private sealed class ThrowingRule : IRule
    {
        public RuleDescriptor Descriptor => ThrowingDescriptor;

        public Applicability AppliesTo(RuleContext context) => Applicability.Yes;

        public IEnumerable<Finding> Check(RuleContext context) => throw new InvalidOperationException("boom");
    }

    /// <summary>Reports one finding per listener, or a finding whose template argument is missing.</summary>
    private sealed class PerListenerRule(string id, Severity severity, bool forgetArgument = false, bool enabledByDefault = true) : IRule
    {
        public RuleDescriptor Descriptor { get; } = new(id, "Per listener", RuleCategory.Config, severity, "listener {listener}", "r", "fix", RuleInputs.ConfigDump, enabledByDefault);

        public Applicability AppliesTo(RuleContext context) => Applicability.When(context.Snapshot.Listeners.Count > 0, "no listeners");

        public IEnumerable<Finding> Check(RuleContext context) =>
            context.Snapshot.Listeners.Select(l => context.Report(Descriptor, l.Meta.Ref, l.Meta.Pointer, forgetArgument ? Args.None : Args.Of(("listener", l.Name))));
    }

    private static RuleContext Fail(string ruleId) => RuleFixtures.Context(ruleId, "fail");

    [Fact]
    public void Given_a_rule_that_throws_When_run_Then_an_internal_error_finding_names_it_and_the_other_rules_still_run()
    {
        var runner = new RuleRunner([new ThrowingRule(), new PerListenerRule("EL3998", Severity.Info)]);

        var report = runner.Run(Fail("EL3001"));

        var error = Assert.Single(report.Findings, f => f.RuleId == InternalErrorRule.Descriptor.Id);
        Assert.Equal("EL3999", error.Arguments["rule"]);
        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
        Assert.Equal(RuleStatus.InternalError, report.Outcomes.Single(o => o.RuleId == "EL3999").Status);
        Assert.Equal(2, report.Findings.Count(f => f.RuleId == "EL3998"));
    }

    [Fact]
    public void Given_a_finding_missing_a_template_argument_When_run_Then_it_becomes_an_internal_error()
    {
        var report = new RuleRunner([new PerListenerRule("EL3997", Severity.Info, forgetArgument: true)]).Run(Fail("EL3001"));

        var finding = Assert.Single(report.Findings);
        Assert.Equal("EL0001", finding.RuleId);
        Assert.Contains("'listener'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_no_stats_When_a_stats_rule_runs_Then_it_is_not_run_with_the_missing_input_as_reason()
    {
        var report = new RuleRunner(RulePacks.BuiltIn.Rules).Run(RuleFixtures.Context("EL3001", "fail"));

        var outcome = report.Outcomes.Single(o => o.RuleId == "EL2004");
        Assert.Equal(RuleStatus.NotRun, outcome.Status);
        Assert.Equal("needs /stats, which the capture does not hold", outcome.Reason);
        Assert.Equal(RuleStatus.NotRun, report.Outcomes.Single(o => o.RuleId == "EL2005").Status);
    }

    [Fact]
    public void Given_no_aggregate_cluster_When_run_Then_the_aggregate_rule_is_not_applicable_rather_than_passed()
    {
        var outcome = new RuleRunner(RulePacks.BuiltIn.Rules).Run(RuleFixtures.Context("EL3001", "fail")).Outcomes.Single(o => o.RuleId == "EL1006");

        Assert.Equal(RuleStatus.NotApplicable, outcome.Status);
        Assert.Equal("the capture holds no aggregate clusters", outcome.Reason);
    }

    [Fact]
    public void Given_findings_of_several_severities_When_run_Then_they_are_ordered_by_severity_rule_resource_and_pointer()
    {
        var runner = new RuleRunner([new PerListenerRule("EL3990", Severity.Info), new PerListenerRule("EL3992", Severity.Error), new PerListenerRule("EL3991", Severity.Error)]);

        var report = runner.Run(Fail("EL3001"));

        Assert.Equal(
            ["EL3991 http_8080", "EL3991 http_8080_copy", "EL3992 http_8080", "EL3992 http_8080_copy", "EL3990 http_8080", "EL3990 http_8080_copy"],
            report.Findings.Select(f => $"{f.RuleId} {f.Resource!.Value.Name}"));
    }

    [Fact]
    public void Given_a_severity_override_When_run_Then_findings_carry_the_overridden_severity()
    {
        var options = new AnalysisOptions { SeverityOverrides = new Dictionary<string, Severity> { ["EL3001"] = Severity.Info } };

        var report = new RuleRunner(RulePacks.BuiltIn.Rules).Run(Fail("EL3001"), options);

        Assert.Equal(Severity.Info, Assert.Single(report.Findings, f => f.RuleId == "EL3001").Severity);
    }

    [Fact]
    public void Given_a_disabled_rule_and_an_off_by_default_rule_When_run_Then_only_enabled_rules_report()
    {
        var runner = new RuleRunner([new PerListenerRule("EL3990", Severity.Info), new PerListenerRule("EL3991", Severity.Info, enabledByDefault: false)]);

        var plain = runner.Run(Fail("EL3001"), new AnalysisOptions { Disable = new HashSet<string> { "EL3990" } });
        var enabled = runner.Run(Fail("EL3001"), new AnalysisOptions { Enable = new HashSet<string> { "EL3991" } });

        Assert.Empty(plain.Findings);
        Assert.All(plain.Outcomes, o => Assert.Equal(RuleStatus.Disabled, o.Status));
        Assert.Equal(4, enabled.Findings.Count);
    }

    [Fact]
    public void Given_an_unknown_rule_id_in_the_options_When_run_Then_a_one_sentence_error_names_it()
    {
        var e = Assert.Throws<EnvoyLensException>(() => new RuleRunner(RulePacks.BuiltIn.Rules).Run(Fail("EL3001"), new AnalysisOptions { Disable = new HashSet<string> { "EL9999" } }));

        Assert.Equal("there is no rule EL9999; run 'envoylens rules' to list the rules.", e.Message);
    }

    [Fact]
    public void Given_the_warming_fixture_When_judged_at_another_instant_Then_the_duration_follows_the_injected_clock()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 20, 12, 20, 0, TimeSpan.Zero));

        var finding = RuleFixtures.SingleFailure("EL2001", clock);

        Assert.Equal("for 2h30m (since 2026-11-20T09:50:00Z)", finding.Arguments["since"]);
    }

    [Theory]
    [InlineData("EL12345")]
    [InlineData("XX1001")]
    [InlineData("EL2001")]
    public void Given_a_malformed_or_out_of_range_id_When_a_descriptor_is_made_Then_it_is_refused(string id) =>
        Assert.Throws<ArgumentException>(() => new RuleDescriptor(id, "t", RuleCategory.References, Severity.Info, "m", "r", "f", RuleInputs.None));

    [Fact]
    public void Given_an_empty_snapshot_When_every_rule_runs_Then_none_fails_internally()
    {
        var empty = new EnvoySnapshot("empty", [], null, null, [], [], [], [], [], [], [], [], [], [], null, [], []);

        var report = new RuleRunner(RulePacks.BuiltIn.Rules).Run(new RuleContext(empty, FixedClock.FixtureNow, RuleInputs.ConfigDump | RuleInputs.Stats | RuleInputs.ServerInfo));

        Assert.DoesNotContain(report.Outcomes, o => o.Status == RuleStatus.InternalError);
    }
}
