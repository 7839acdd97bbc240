using System.Globalization;

namespace EnvoyLens.Core;

/// <summary>
/// How EnvoyLens writes instants and durations for people and in its own files: one format of each kind, invariant
/// culture, UTC.
/// </summary>
public static class TimeText
{
    /// <summary>An instant in UTC to the second: <c>2026-11-20T10:00:00Z</c>.</summary>
    public static string Utc(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>An instant in UTC with the fraction it has, none when whole: <c>2026-11-20T10:00:00.25Z</c>.</summary>
    public static string UtcPrecise(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>A duration for people: <c>3 days 4 hours</c>, <c>12 minutes</c>, <c>40 seconds</c>; the sign is dropped.</summary>
    public static string Human(TimeSpan span)
    {
        var s = span.Duration();
        if (s.TotalDays >= 1)
        {
            var days = (long)s.TotalDays;
            return s.Hours > 0 && days < 30 ? Part(days, "day") + " " + Part(s.Hours, "hour") : Part(days, "day");
        }

        if (s.TotalHours >= 1)
        {
            return s.Minutes > 0 ? Part((long)s.TotalHours, "hour") + " " + Part(s.Minutes, "minute") : Part((long)s.TotalHours, "hour");
        }

        return s.TotalMinutes >= 1 ? Part((long)s.TotalMinutes, "minute") : Part((long)s.TotalSeconds, "second");

        static string Part(long n, string unit) => string.Create(CultureInfo.InvariantCulture, $"{n} {unit}{(n == 1 ? "" : "s")}");
    }

    /// <summary>An elapsed time in a table or a sentence: <c>2h05m</c>, <c>3m07s</c>, <c>42s</c>; below zero is <c>0s</c>.</summary>
    public static string Compact(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m")
            : span.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m{span.Seconds:00}s")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds}s");
    }

    /// <summary>The number of seconds, to the millisecond without trailing zeros: <c>0.25</c>, <c>10</c>.</summary>
    public static string SecondsValue(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A duration as Envoy writes one: <c>0.25s</c>, <c>10s</c>.</summary>
    public static string Seconds(TimeSpan span) => SecondsValue(span) + "s";
}
