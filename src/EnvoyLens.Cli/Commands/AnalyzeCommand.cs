using System.CommandLine;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Services;
using EnvoyLens.Cli.Sources;

namespace EnvoyLens.Cli.Commands;

/// <summary><c>envoylens analyze [PATH]</c>: runs the rule catalog and reports findings; exit 1 at or above <c>--fail-on</c>.</summary>
internal static class AnalyzeCommand
{
    public static Command Create(AnalyzeService service, TimeProvider clock, TextWriter output)
    {
        var command = new Command("analyze",
            "Check a capture against the rule catalog ('envoylens rules') and report what is wrong, where (resource and " +
            "JSON pointer) and how to fix it. Exit 0 when nothing is at or above --fail-on, 1 when something is, 2 when " +
            "the input cannot be read or the command line is wrong.");
        var source = new SourceOptions();
        source.AddTo(command);
        var format = OutputOptions.Analyze().AddTo(command);
        var failOn = Severities.FailOn().AddTo(command);
        var enable = new Option<string[]>("--enable")
        {
            Description = "Run this rule even if it is off by default (repeatable).",
            HelpName = "ID",
        };
        var disable = new Option<string[]>("--disable")
        {
            Description = "Do not run this rule (repeatable).",
            HelpName = "ID",
        };
        var severity = new Option<string[]>("--severity")
        {
            Description = "Report this rule's findings at another severity, e.g. EL1004=error (repeatable).",
            HelpName = "ID=LEVEL",
        };
        var baseline = new Option<string?>("--baseline")
        {
            Description = "A previous 'analyze -o json' result: report only findings not in it (same rule, resource, pointer and arguments).",
            HelpName = "FILE",
        };
        var statsBefore = new Option<string?>("--stats-before")
        {
            Description = "An earlier /stats capture (file or bundle) of the same proxy: stats rules report counters over the interval, not since start.",
            HelpName = "PATH",
        };
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Text output: print every finding and all its evidence, and every rule that did not run, instead of grouping what one fix would change.",
        };
        var sarifRoot = new Option<string?>("--sarif-root")
        {
            Description = "SARIF output: make artifact URIs relative to this directory (default the working directory); paths outside it stay absolute file: URIs.",
            HelpName = "DIR",
        };
        command.Options.Add(enable);
        command.Options.Add(disable);
        command.Options.Add(severity);
        command.Options.Add(baseline);
        command.Options.Add(statsBefore);
        command.Options.Add(verbose);
        command.Options.Add(sarifRoot);
        var at = new AtOption("Judge certificate validity and time at this instant (ISO 8601, UTC when no offset is given) instead of now (the Linkerd rules judge a capture that records its capture time at that time).").AddTo(command);
        var showSecrets = ShowSecretsOption.AddTo(command);
        command.SetAction(parse => service.Run(
            new AnalyzeRequest(
                ShowSecretsOption.Apply(source.Bind(parse), parse, showSecrets),
                format.Get(parse),
                failOn.Get(parse),
                RuleSelection.Parse(parse.GetValue(enable) ?? [], parse.GetValue(disable) ?? [], parse.GetValue(severity) ?? []),
                parse.GetValue(baseline),
                parse.GetValue(statsBefore))
            {
                Verbose = parse.GetValue(verbose),
                SarifRoot = parse.GetValue(sarifRoot),
                At = at.Get(parse, clock),
            },
            output));
        return command;
    }
}
