using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Config;

/// <summary>
/// EL3104: a busy cluster runs with Envoy's default circuit-breaker thresholds (1024 connections, pending requests and
/// requests, 3 retries). Busy means, from the stats: at least half of a default limit active now, or at least
/// 100 requests/s between two samples, or (one sample) a million requests since start.
/// </summary>
internal sealed class EL3104DefaultCircuitBreakers : IRule
{
    internal const uint EnvoyDefaultLimit = 1024;
    internal const double BusyActive = EnvoyDefaultLimit / 2;
    internal const double BusyRate = 100;
    internal const double BusyTotal = 1_000_000;

    public static RuleDescriptor Definition { get; } = new(
        "EL3104",
        "Default circuit breakers on a high-traffic cluster",
        RuleCategory.Config,
        Severity.Info,
        "Cluster {cluster} carries heavy traffic ({traffic}) with Envoy's default circuit breakers (1024 connections / pending / requests, 3 retries)",
        "Envoy's defaults were chosen for a generic proxy; a busy upstream can hit them during a spike and Envoy then fails requests locally with 503 UO (upstream_rq_pending_overflow) although the upstream is fine.",
        "Size the thresholds for the cluster's real concurrency (Envoy circuit_breakers.thresholds; Istio DestinationRule trafficPolicy.connectionPool) and watch upstream_rq_pending_overflow.",
        RuleInputs.ConfigDump | RuleInputs.Stats)
    {
        OptionalInputs = RuleInputs.Clusters,
        Example = "Cluster api carries heavy traffic (upstream_rq_active 700) with Envoy's default circuit breakers (1024 connections / pending / requests, 3 retries)",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        context.Stats is not { Stats.Count: > 0 } ? Applicability.No("the stats sample is empty")
        : Applicability.When(context.Snapshot.Clusters.Any(AtDefaults), "every cluster sets its circuit breakers");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var stats = context.Stats!;
        var names = StatsNames.For(context);
        var traffic = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var suffix in new[] { "upstream_rq_active", "upstream_cx_active", "upstream_rq_pending_active" })
        {
            foreach (var s in names.Find(stats, StatScope.Cluster, suffix).Where(s => s.KnownOwner && s.Stat.Value >= BusyActive))
            {
                traffic.TryAdd(s.Owner, $"{suffix} {Walk.Number(s.Stat.Value!.Value)}");
            }
        }

        foreach (var s in names.Find(stats, StatScope.Cluster, "upstream_rq_total").Where(s => s.KnownOwner))
        {
            var reading = CounterReading.Of(stats, s.Stat);
            var busy = reading.OverInterval
                ? stats.CapturedAt is { } t1 && stats.Earlier?.CapturedAt is { } t0 && t1 > t0 && reading.Count / (t1 - t0).TotalSeconds >= BusyRate
                : reading.Count >= BusyTotal;
            if (busy)
            {
                traffic.TryAdd(s.Owner, $"upstream_rq_total {Walk.Number(reading.Count)} {reading.Period}");
            }
        }

        foreach (var cluster in context.Snapshot.Clusters.Where(AtDefaults))
        {
            if (!traffic.TryGetValue(cluster.Name, out var busy))
            {
                continue;
            }

            yield return context.Report(Definition, cluster.Meta.Ref, cluster.Meta.Pointer,
                Args.Of(("cluster", cluster.Name), ("traffic", busy)),
                Args.Of([("circuit_breakers", cluster.CircuitBreakers.Count == 0 ? "not set" : "set to the defaults"), .. Walk.Istio(cluster.Name, cluster.Metadata)]));
        }
    }

    /// <summary>No DEFAULT-priority thresholds, or ones that restate Envoy's defaults.</summary>
    internal static bool AtDefaults(Cluster cluster)
    {
        var t = cluster.CircuitBreakers.FirstOrDefault(c => string.Equals(c.Priority, "DEFAULT", StringComparison.OrdinalIgnoreCase));
        return t is null ||
               ((t.MaxConnections ?? EnvoyDefaultLimit) == EnvoyDefaultLimit && (t.MaxPendingRequests ?? EnvoyDefaultLimit) == EnvoyDefaultLimit &&
                (t.MaxRequests ?? EnvoyDefaultLimit) == EnvoyDefaultLimit && (t.MaxRetries ?? 3) == 3);
    }
}
