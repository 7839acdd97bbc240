using System.Globalization;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Decoding.Canonical;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Reporting.Views;

namespace EnvoyLens.Cli.Services;

/// <summary>What <c>envoylens config VIEW</c> was asked for.</summary>
internal sealed record ConfigRequest(ViewKind View, SourceSpec Source, OutputFormat Format, ViewOptions Options);

/// <summary>
/// Loads the capture, builds the requested view(s) and writes them: tables (<c>-o table|wide</c>), the rows'
/// resources in full (<c>-o json|yaml</c>, from the config dump's canonical trees), or the rows as data
/// (<c>-o table-json|table-yaml</c>). On stderr, why an empty table is empty, and one line when the capture had
/// decode warnings or errors.
/// </summary>
internal sealed class ConfigViewService(SnapshotLoader loader, TimeProvider clock)
{
    /// <summary>The clock VALID CERT is judged by when no <c>--at</c> is given.</summary>
    public TimeProvider Clock => clock;

    public int Run(ConfigRequest request, TextWriter output)
    {
        Validate(request.Options);
        var loaded = loader.Load(request.Source);
        var options = request.Options with { Wide = request.Format == OutputFormat.Wide };
        var tables = ConfigViews.Build(request.View, loaded.Snapshot, options);
        if (request.Format is OutputFormat.Json or OutputFormat.Yaml)
        {
            var canonical = CanonicalReader.Read(loaded.Raw, new DecodeOptions { Proxy = request.Source.Proxy });
            ResourceRenderer.Write(tables, canonical, request.Format, output);
        }
        else
        {
            TableRenderer.Write(tables, request.Format, output);
        }

        foreach (var table in tables.Where(t => t.EmptyReason is not null))
        {
            loader.Notices.Notice(table.EmptyReason!);
        }

        var count = loaded.Snapshot.Diagnostics.Count(d => d.Level is DiagnosticLevel.Warning or DiagnosticLevel.Error);
        if (count > 0)
        {
            var noun = count == 1 ? "decode diagnostic" : "decode diagnostics";
            loader.Notices.Notice(string.Create(CultureInfo.InvariantCulture, $"{count} {noun}; `envoylens decode {SourceText(request.Source)}` lists them."));
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// Refuses an enum filter value that no row can have (<c>--direction</c>, <c>--type</c>, <c>--status</c>; matched
    /// in any case), naming the valid ones, before anything is read.
    /// </summary>
    internal static void Validate(ViewOptions options)
    {
        Check("--direction", options.Clusters.Direction, ClusterFilter.Directions);
        Check("--type", options.Listeners.Type, ListenerFilter.Types);
        Check("--status", options.Endpoints.Status, EndpointFilter.Statuses);

        static void Check(string option, string? value, IReadOnlyList<string> valid)
        {
            if (!string.IsNullOrEmpty(value) && !valid.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                throw new EnvoyLensException($"{option} must be one of {string.Join(", ", valid)} (any case), not '{value}'.");
            }
        }
    }

    /// <summary>The source as <c>envoylens decode</c> takes it.</summary>
    private static string SourceText(SourceSpec source) => source.Kind switch
    {
        SourceKind.Bundle => "--bundle " + source.Path,
        SourceKind.Admin => "--admin " + source.Path,
        SourceKind.Pod => "--pod " + source.Path,
        _ => source.Path,
    };
}
