using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Reporting.Decode;

namespace EnvoyLens.Cli.Services;

/// <summary>
/// <c>envoylens decode</c>: what was read (documents, the config dump's form), counts per section and kind,
/// typed vs raw, and every decode diagnostic. Diagnostics are not failures: the exit code is 0 when the
/// capture could be read at all.
/// </summary>
internal sealed class DecodeReportService(SnapshotLoader loader)
{
    public int Run(SourceSpec source, TextOrJson format, TextWriter output)
    {
        var loaded = loader.Load(source);
        var report = DecodeReport.From(loaded.Raw, loaded.Snapshot);
        output.Write(format == TextOrJson.Json ? DecodeReportRenderer.Json(report) : DecodeReportRenderer.Text(report));
        return ExitCodes.Ok;
    }
}
