using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Decode;

namespace EnvoyLens.Cli.Services;

/// <summary>Output forms of <c>envoylens decode</c>.</summary>
internal enum DecodeFormat
{
    Text,
    Json,
}

/// <summary>
/// <c>envoylens decode</c>: what was read (documents, the config dump's form), counts per section and kind,
/// typed vs raw, and every decode diagnostic. Diagnostics are not failures: the exit code is 0 when the
/// capture could be read at all.
/// </summary>
internal sealed class DecodeReportService(SnapshotLoader loader)
{
    public int Run(SourceSpec source, DecodeFormat format, TextWriter output)
    {
        var loaded = loader.Load(source);
        var report = DecodeReport.From(loaded.Raw, loaded.Snapshot);
        output.Write(format == DecodeFormat.Json ? DecodeReportRenderer.Json(report) : DecodeReportRenderer.Text(report));
        return ExitCodes.Ok;
    }

    public static DecodeFormat ParseFormat(string? value) => value?.ToLowerInvariant() switch
    {
        null or "text" => DecodeFormat.Text,
        "json" => DecodeFormat.Json,
        _ => throw new EnvoyLensException($"--output must be text or json, not '{value}'."),
    };
}
