using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary>Shared by the analyze tests: the fixtures' clock and rule fixture paths.</summary>
internal static class AnalyzeTestKit
{
    public static TimeProvider FixtureNow { get; } = new Clock(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));

    /// <summary><c>fixtures/rules/&lt;id&gt;-*/&lt;variant&gt;/config_dump.json</c>.</summary>
    public static string RuleDump(string id, string variant) =>
        Path.Combine(Directory.GetDirectories(TestPaths.Fixture("rules"), id + "-*").Single(), variant, "config_dump.json");

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
