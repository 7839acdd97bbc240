using EnvoyLens.Core;
using EnvoyLens.Admin;
using EnvoyLens.Decoding;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;
using EnvoyLens.TestKit;

namespace EnvoyLens.Rules.Tests;

/// <summary>Every rule runs over real captures without failing internally.</summary>
public sealed class RealDataTests
{
    public static TheoryData<string> CorpusDumps()
    {
        var data = new TheoryData<string>();
        if (TestPaths.Corpus is { } corpus && Directory.Exists(Path.Combine(corpus, "config_dump")))
        {
            foreach (var file in Directory.GetFiles(Path.Combine(corpus, "config_dump")).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }
        }
        else
        {
            data.Add("");
        }

        return data;
    }

    [Fact]
    public void Given_the_reviews_snapshot_When_analyzed_Then_no_rule_fails_internally_and_the_ejected_ratings_host_is_found()
    {
        var raw = SnapshotSources.Open(TestPaths.Fixture("snapshots", "reviews"));
        var snapshot = SnapshotDecoder.Decode(raw);

        var report = new RuleRunner(RulePacks.BuiltIn.Rules).Run(new RuleContext(snapshot, FixedClock.FixtureNow, RuleContext.InputsOf(raw, snapshot)));

        Assert.DoesNotContain(report.Outcomes, o => o.Status is RuleStatus.InternalError);

        // The bundle was captured without --control-plane: only the rules over the control plane's view are not run.
        Assert.Equal(
            RulePacks.BuiltIn.Rules.Where(r => r.Descriptor.Inputs.HasFlag(RuleInputs.ControlPlane)).Select(r => r.Descriptor.Id),
            report.Outcomes.Where(o => o.Status is RuleStatus.NotRun).Select(o => o.RuleId));
        var finding = Assert.Single(report.Findings, f => f.RuleId == "EL1005");
        Assert.Equal("outbound|9080|v2|ratings.default.svc.cluster.local", finding.Arguments["cluster"]);
    }

    [SkippableTheory]
    [MemberData(nameof(CorpusDumps))]
    public void Given_a_corpus_config_dump_When_analyzed_Then_no_rule_fails_internally(string name)
    {
        Skip.If(name.Length == 0, "The shared corpus (../shared/corpus) is not present.");
        var raw = SnapshotSources.Open(TestPaths.CorpusFile("config_dump", name));
        var snapshot = SnapshotDecoder.Decode(raw);

        var report = new RuleRunner(RulePacks.BuiltIn.Rules).Run(new RuleContext(snapshot, FixedClock.FixtureNow, RuleContext.InputsOf(raw, snapshot)));

        Assert.DoesNotContain(report.Findings, f => f.RuleId == InternalErrorRule.Descriptor.Id);
        Assert.Equal(RulePacks.BuiltIn.Rules.Count, report.Outcomes.Count);
    }
}
