using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Linkerd;

/// <summary>What the Linkerd rules (EL6xxx) share: applicability, counters over the interval, findings on <c>/metrics</c>.</summary>
internal static class LinkerdRule
{
    /// <summary>The admin port of linkerd2-proxy: kubelet probes arrive there in plain text by design.</summary>
    public const string AdminPort = "4191";

    /// <summary>The instant the Linkerd rules judge time at: the capture's (a bundle's), else the clock (<c>--at</c>, else now).</summary>
    public static DateTimeOffset Now(RuleContext context) => context.CapturedAt ?? context.Clock.GetUtcNow();

    public static Applicability AppliesTo(RuleContext context) =>
        Applicability.When(context.Linkerd is not null, "the capture holds no linkerd2-proxy /metrics");

    /// <summary>
    /// How much <paramref name="count"/> grew: since the proxy started with one sample; between the samples with two (a
    /// counter that went down, after a restart, counts from zero).
    /// </summary>
    public static double Increase(LinkerdCount count, IEnumerable<LinkerdCount>? earlier)
    {
        if (earlier is null)
        {
            return count.Value;
        }

        var before = earlier.FirstOrDefault(e => string.Equals(e.Metric, count.Metric, StringComparison.Ordinal) && string.Equals(e.Key, count.Key, StringComparison.Ordinal));
        return before is null || before.Value > count.Value ? count.Value : count.Value - before.Value;
    }

    /// <summary>A finding on the proxy's <c>/metrics</c>, resource the metric (or what it is about).</summary>
    public static Finding Report(RuleContext context, RuleDescriptor definition, string resource, IReadOnlyDictionary<string, string> arguments, IReadOnlyDictionary<string, string>? evidence = null) =>
        context.Report(definition, new ResourceRef(ResourceKind.Stats, resource), JsonPointer.Root, arguments, evidence, context.Linkerd!.Source);

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A duration as people read it: <c>3d 4h</c>, <c>5h 12m</c>, <c>42m</c>, <c>17s</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        span = span.Duration();
        return span.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d {span.Hours}h")
            : span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes}m")
            : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds}s");
    }
}
