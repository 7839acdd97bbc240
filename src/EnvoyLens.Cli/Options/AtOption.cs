using System.CommandLine;
using System.Globalization;
using EnvoyLens.Core;

namespace EnvoyLens.Cli.Options;

/// <summary>
/// <c>--at TIME</c>: the instant certificates are judged at, as a <see cref="TimeProvider"/> (ISO 8601; a time
/// without an offset is UTC). Not given, it is the command's clock.
/// </summary>
internal sealed class AtOption
{
    public AtOption(string description = "Judge validity at this instant (ISO 8601, UTC when no offset is given) instead of now.")
    {
        Option = new Option<string?>("--at") { Description = description, HelpName = "TIME" };
    }

    public Option<string?> Option { get; }

    /// <summary>Adds this option to <paramref name="command"/>.</summary>
    public AtOption AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Option);
        return this;
    }

    /// <summary>The clock the command line asks for: <c>--at</c>'s instant, else <paramref name="clock"/>.</summary>
    public TimeProvider Get(ParseResult parse, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return Parse(parse.GetValue(Option), clock);
    }

    /// <summary>The clock of <paramref name="at"/>; null is <paramref name="clock"/>.</summary>
    public static TimeProvider Parse(string? at, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (at is null)
        {
            return clock;
        }

        return DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? new FixedTimeProvider(instant.ToUniversalTime())
            : throw new EnvoyLensException($"--at '{at}' is not a date and time; use ISO 8601 such as 2025-01-31T12:00:00Z.");
    }

    private sealed class FixedTimeProvider(DateTimeOffset instant) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => instant;
    }
}
