using EnvoyLens.Admin;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Model;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;
using EnvoyLens.TestKit;

namespace EnvoyLens.Rules.Tests;

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>Ten minutes after the fixtures' <c>last_updated</c> (2026-11-20T09:50:00Z).</summary>
    public static FixedClock FixtureNow { get; } = new(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>
/// Loads <c>fixtures/rules/&lt;RuleId&gt;-&lt;slug&gt;/{pass,fail}/</c>: every file of the folder is one admin output
/// (config_dump.json, stats.txt, server_info.json, ...), read and decoded as one capture; a folder with a
/// <c>manifest.json</c> is read as a bundle.
/// </summary>
internal static class RuleFixtures
{
    public static string Folder(string ruleId, string variant)
    {
        var matches = Directory.GetDirectories(TestPaths.Fixture("rules"), ruleId + "-*");
        Assert.True(matches.Length == 1, $"Expected one fixture folder fixtures/rules/{ruleId}-<slug>, found {matches.Length}.");
        return Path.Combine(matches[0], variant);
    }

    public static RuleContext Context(string ruleId, string variant, TimeProvider? clock = null)
    {
        var folder = Folder(ruleId, variant);

        // A folder with a manifest is a bundle (the control-plane rules read its control_plane.json); otherwise loose files.
        var raw = File.Exists(Path.Combine(folder, "manifest.json"))
            ? SnapshotSources.Open(folder)
            : new RawSnapshot(folder, Directory.GetFiles(folder).Order(StringComparer.Ordinal).SelectMany(f => SnapshotSources.Open(f).Documents).ToList());
        var snapshot = SnapshotDecoder.Decode(raw);
        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Level != DiagnosticLevel.Info);
        return new RuleContext(snapshot, clock ?? FixedClock.FixtureNow, RuleContext.InputsOf(raw, snapshot));
    }

    public static EnvoySnapshot Decode(string path) => SnapshotDecoder.Decode(SnapshotSources.Open(path));

    /// <summary>Runs one rule alone over a fixture.</summary>
    public static AnalysisReport Run(string ruleId, string variant, TimeProvider? clock = null)
    {
        var rule = RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == ruleId);
        return new RuleRunner([rule]).Run(Context(ruleId, variant, clock));
    }

    /// <summary>The single finding of the rule on its fail fixture.</summary>
    public static Finding SingleFailure(string ruleId, TimeProvider? clock = null)
    {
        var report = Run(ruleId, "fail", clock);
        Assert.Equal(RuleStatus.Failed, report.Outcomes.Single().Status);
        return Assert.Single(report.Findings);
    }

    public static void AssertPasses(string ruleId)
    {
        var report = Run(ruleId, "pass");
        Assert.Empty(report.Findings);
        Assert.Equal(RuleStatus.Passed, report.Outcomes.Single().Status);
    }

    public static void AssertArguments(Finding finding, params (string Name, string Value)[] expected)
    {
        Assert.Equal(expected.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => $"{e.Name}={e.Value}"),
            finding.Arguments.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"));
    }
}
