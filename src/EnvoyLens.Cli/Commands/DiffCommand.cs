using System.CommandLine;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Services;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;
using EnvoyLens.Diff;
using EnvoyLens.Reporting.Diff;

namespace EnvoyLens.Cli.Commands;

/// <summary><c>envoylens diff BEFORE AFTER</c>: semantic, resource-by-resource comparison of two captures.</summary>
internal static class DiffCommand
{
    public static Command Create(DiffService service, TextWriter output)
    {
        var command = new Command("diff",
            "Compare two captures resource by resource (listeners, route configs, virtual hosts, routes, clusters, endpoints, " +
            "secrets, ECDS, bootstrap), ignoring versions, timestamps, ordering and default values. Exit 0, or with " +
            "--exit-code 0 when equal and 1 when different; 2 when an input cannot be read or the command line is wrong. Secret " +
            "values print as [redacted] and are not compared (the output says how many) unless --show-secrets.");
        var sources = SourceOptions.Positional(
            ("BEFORE", "The first capture: a config dump file, a snapshot bundle or folder of admin outputs, an admin URL (http://HOST:PORT), pod/NAME.NAMESPACE[@CONTEXT], csds://HOST:PORT[/NODE_ID] (the config a control plane holds for that proxy: CSDS, else istiod's debug xDS; plaintext gRPC, TLS with --ca, --cert or --insecure-skip-verify), or istiod://[REVISION]/[NODE_ID] (the same from istiod found through Kubernetes in --istio-namespace and port-forwarded to: port 15010, or 15012 with a TLS option and a token); without NODE_ID, the node of the other side's capture."),
            ("AFTER", "The second capture, in any of the same forms."));
        var format = OutputOptions.TextJsonOrHtml("Output format: text (summary, then field paths old -> new), json (schema envoylens-diff/v1) or html (one self-contained page, changed paths side by side).");
        var exitCode = new Option<bool>("--exit-code") { Description = "Exit 1 when the captures differ, 0 when they are equal." };
        var ignore = new Option<string[]>("--ignore")
        {
            Description = "Leave out field paths matching this JSON-pointer glob (* within a segment, ** any depth), e.g. '**/stat_prefix' (repeatable).",
            HelpName = "GLOB",
        };
        var kinds = new Option<string[]>("--kinds")
        {
            Description = "Compare only these kinds: listeners, routes, clusters, endpoints, secrets, ecds, bootstrap, scoped-routes (comma-separated).",
            HelpName = "KINDS",
        };
        var noEds = new Option<bool>("--no-eds") { Description = "Do not compare endpoints (EDS load assignments)." };
        var full = new Option<string?>("--full")
        {
            Description = "Show a unified diff of one resource's normalized YAML instead (name, or kind:name); text only.",
            HelpName = "RESOURCE",
        };
        sources.AddTo(command);
        format.AddTo(command);
        command.Options.Add(exitCode);
        command.Options.Add(ignore);
        command.Options.Add(kinds);
        command.Options.Add(noEds);
        command.Options.Add(full);
        var showSecrets = ShowSecretsOption.AddTo(command);
        var controlPlane = ControlPlaneOptions.ForSources();
        controlPlane.AddTo(command);
        command.SetAction(parse =>
        {
            var sides = sources.BindSides(parse);
            if (controlPlane.BindConnection(parse, sides[0].Live.Timeout) is { } connection)
            {
                if (sides.All(s => s.Kind != SourceKind.ControlPlane))
                {
                    throw new EnvoyLensException($"{ControlPlaneOptions.ConnectionOptionNames} apply only to a csds:// or istiod:// input, and neither BEFORE nor AFTER is one.");
                }

                sides = sides.Select(s => s.Kind == SourceKind.ControlPlane ? s with { ControlPlane = connection } : s).ToList();
            }

            return service.Run(
                new DiffRequest(
                    ShowSecretsOption.Apply(sides[0], parse, showSecrets),
                    ShowSecretsOption.Apply(sides[1], parse, showSecrets),
                    format.Get(parse),
                    parse.GetValue(exitCode),
                    ParseOptions(parse.GetValue(ignore) ?? [], parse.GetValue(kinds) ?? [], parse.GetValue(noEds)),
                    parse.GetValue(full)),
                output);
        });
        return command;
    }

    private static DiffOptions ParseOptions(IEnumerable<string> ignore, IEnumerable<string> kinds, bool noEds)
    {
        var selected = kinds
            .SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .SelectMany(ChangeSetTextRenderer.KindsNamed)
            .ToHashSet();
        return new DiffOptions
        {
            Ignore = ignore.ToList(),
            Kinds = selected.Count == 0 ? null : selected,
            IncludeEndpoints = !noEds,
        };
    }
}
