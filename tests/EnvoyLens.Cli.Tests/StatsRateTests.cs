using System.Globalization;
using System.Text.Json;
using EnvoyLens.Admin;
using Microsoft.AspNetCore.Http;

namespace EnvoyLens.Cli.Tests;

/// <summary><c>snapshot --interval</c> then <c>analyze BUNDLE</c>: counters are read over the interval between the two samples.</summary>
public sealed class StatsRateTests : IAsyncLifetime
{
    private const string Cluster = "outbound|9080|v1|ratings.default.svc.cluster.local";
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
    private LiveFixture _live = null!;

    public async Task InitializeAsync() => _live = await LiveFixture.StartAsync();

    public async Task DisposeAsync() => await _live.DisposeAsync();

    [Fact]
    public void Given_a_bundle_with_two_stats_samples_When_analyzed_Then_the_connect_failures_are_the_increase_over_the_interval_with_a_rate()
    {
        // Connect failures stand at 2 on the first /stats read and at 12 on the second.
        var reads = 0;
        _live.Admin.Routes["/stats"] = async context =>
        {
            var failures = Interlocked.Increment(ref reads) == 1 ? 2 : 12;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                "{\"stats\":[" +
                $"{{\"name\":\"cluster.{Cluster}.upstream_cx_connect_fail\",\"value\":{failures.ToString(CultureInfo.InvariantCulture)}}}," +
                $"{{\"name\":\"cluster.{Cluster}.upstream_cx_connect_timeout\",\"value\":0}}," +
                "{\"name\":\"server.live\",\"value\":1}]}");
        };
        var bundle = _live.Path("rates");

        var snapshot = Cli.RunAt(new SteppingClock(Start), "snapshot", "--admin", _live.AdminUrl, "-o", bundle, "--interval", "1s");
        var analysis = Cli.Run("analyze", bundle, "-o", "json", "--fail-on", "never");

        Assert.Equal(0, snapshot.ExitCode);
        Assert.Equal(0, analysis.ExitCode);
        Assert.Equal(2, reads);
        var times = BundleManifest.Read(File.ReadAllBytes(Path.Combine(bundle, BundleManifest.FileName)), bundle)
            .Files.Where(f => f.Endpoint == "stats").ToDictionary(f => f.Path, f => f.CapturedAt);
        Assert.Equal(TimeSpan.FromSeconds(1), times["stats.2.json"] - times["stats.json"]);

        using var report = JsonDocument.Parse(analysis.Out);
        var finding = Assert.Single(report.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "EL5001");
        Assert.Equal(
            $"Cluster {Cluster} failed to connect to its hosts in the 1s between the two stats samples (10/s): upstream_cx_connect_fail 10",
            finding.GetProperty("message").GetString());
        Assert.Equal(Cluster, finding.GetProperty("resource").GetProperty("name").GetString());
    }

    /// <summary>Fixed wall time that moves forward by each timer's due time, so an <c>--interval</c> wait shows in capture times exactly.</summary>
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private long _offsetTicks;

        public override DateTimeOffset GetUtcNow() => start.AddTicks(Interlocked.Read(ref _offsetTicks));

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
            {
                Interlocked.Add(ref _offsetTicks, dueTime.Ticks);
            }

            return System.CreateTimer(callback, state, dueTime, period);
        }
    }
}
