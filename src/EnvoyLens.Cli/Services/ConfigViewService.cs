using System.Globalization;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Reporting.Views;

namespace EnvoyLens.Cli.Services;

/// <summary>What <c>envoylens config VIEW</c> was asked for.</summary>
internal sealed record ConfigRequest(ViewKind View, SourceSpec Source, OutputFormat Format, ViewOptions Options);

/// <summary>Loads the capture, builds the requested view(s) and writes them.</summary>
internal sealed class ConfigViewService(SnapshotLoader loader, TimeProvider clock)
{
    /// <summary>The clock VALID CERT is judged by when no <c>--at</c> is given.</summary>
    public TimeProvider Clock => clock;

    public int Run(ConfigRequest request, TextWriter output)
    {
        var loaded = loader.Load(request.Source);
        var tables = ConfigViews.Build(request.View, loaded.Snapshot, request.Options);
        TableRenderer.Write(tables, request.Format, output);
        return ExitCodes.Ok;
    }

    /// <summary>Parses <c>--output</c> for config views.</summary>
    public static OutputFormat ParseFormat(string? value) => value?.ToLowerInvariant() switch
    {
        null or "table" => OutputFormat.Table,
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        _ => throw new EnvoyLensException($"--output must be table, json or yaml, not '{value}'."),
    };

    /// <summary>Parses <c>--at</c> (ISO 8601; a time without offset is UTC); null means the service's clock.</summary>
    public TimeProvider ClockAt(string? at)
    {
        if (at is null)
        {
            return clock;
        }

        return DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? new FixedTimeProvider(instant)
            : throw new EnvoyLensException($"--at '{at}' is not a date and time; use ISO 8601 such as 2025-01-31T12:00:00Z.");
    }

    private sealed class FixedTimeProvider(DateTimeOffset instant) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => instant.ToUniversalTime();
    }
}
