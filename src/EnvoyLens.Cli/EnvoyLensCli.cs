using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using EnvoyLens.Cli.Commands;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Services;
using EnvoyLens.Cli.Sources;
using EnvoyLens.Core;

namespace EnvoyLens.Cli;

/// <summary>
/// The composition root of the <c>envoylens</c> command. Builds the command tree over the application services,
/// parses, runs, and turns every failure into one line on stderr and a documented exit code.
/// </summary>
public static class EnvoyLensCli
{
    internal const string Name = Options.ToolInfo.Name;

    /// <summary>Help text is wrapped at this width whatever the terminal, so that it is the same everywhere.</summary>
    private const int HelpWidth = 100;

    /// <summary>Runs the command line <paramref name="args"/>, writing results to <paramref name="output"/> and errors to <paramref name="error"/>.</summary>
    /// <returns>One of <see cref="ExitCodes"/>.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, output, error, TimeProvider.System);

    internal static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider clock) => Run(args, output, error, clock, Name);

    /// <summary>As <see cref="Run(string[], TextWriter, TextWriter)"/>, with usage and error lines naming the command <paramref name="name"/> (see <see cref="InvocationName"/>).</summary>
    internal static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider clock, string name)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            var root = BuildRoot(new SnapshotLoader(clock, Notices.To(error)), clock, output);
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                error.Write(InvocationName.Apply($"{name}: {UsageError(parsed)}\n", name));
                return ExitCodes.InputOrUsageError;
            }

            // Help and version text go through a buffer so that trailing spaces of wrapped lines are dropped.
            using var help = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            var code = parsed.Invoke(new InvocationConfiguration { Output = help, Error = error, EnableDefaultExceptionHandler = false });
            WriteTrimmed(InvocationName.Apply(help.ToString(), name), output);
            return code;
        }
        catch (SnapshotInterruptedException e)
        {
            error.Write(ErrorLine(name, e.Message));
            return SnapshotService.Interrupted;
        }
        catch (EnvoyLensException e)
        {
            error.Write(ErrorLine(name, e.Message));
            return ExitCodes.InputOrUsageError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.Write(ErrorLine(name, e.Message));
            return ExitCodes.InputOrUsageError;
        }
        catch (Exception e)
        {
            error.Write($"{name}: unexpected {e.GetType().FullName}: {OneSentence(e.Message).TrimEnd('.')}; this is a bug.\n");
            return ExitCodes.InternalError;
        }
    }

    private static string ErrorLine(string name, string message) => InvocationName.Apply($"{name}: {OneSentence(message)}\n", name);

    internal static Command BuildRoot(SnapshotLoader loader, TimeProvider clock, TextWriter output)
    {
        var root = new Command(Name,
            "Reads what an Envoy proxy knows about itself (config_dump, /clusters, /stats, /certs, /server_info, ...) from a " +
            "file, a snapshot bundle, an admin URL or a Kubernetes pod (read-only), decodes it with the real Envoy API types, " +
            "and shows, analyzes, compares or captures it. " + ExitCodes.HelpText);
        var help = new HelpOption();
        if (help.Action is HelpAction action)
        {
            action.MaxWidth = HelpWidth;
        }

        root.Options.Add(help);
        root.Options.Add(new VersionOption { Action = new VersionAction() });
        root.Subcommands.Add(ConfigCommand.Create(new ConfigViewService(loader, clock), output));
        root.Subcommands.Add(DecodeCommand.Create(new DecodeReportService(loader), output));
        root.Subcommands.Add(AnalyzeCommand.Create(new AnalyzeService(loader, clock), clock, output));
        root.Subcommands.Add(RulesCommand.Create(output));
        root.Subcommands.Add(SnapshotCommand.Create(new SnapshotService(loader, clock), output));
        root.Subcommands.Add(DiffCommand.Create(new DiffService(loader), output));
        root.Subcommands.Add(CertsCommand.Create(new CertsService(loader), clock, output));
        root.Subcommands.Add(TraceCommand.Create(new TraceService(loader, clock), output));
        root.Subcommands.Add(StatusCommand.Create(new StatusService(loader, new DiffService(loader)), output));
        root.Subcommands.Add(ScanCommand.Create(clock, loader.Notices, output));
        root.SetAction(NoCommand);
        return root;
    }

    /// <summary><c>--version</c>: the version and the commit it was built from, as <see cref="ToolInfo.VersionLine"/>.</summary>
    private sealed class VersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.Write(ToolInfo.VersionLine + "\n");
            return ExitCodes.Ok;
        }
    }

    private static int NoCommand(ParseResult parse) =>
        throw new EnvoyLensException($"a command is required (analyze, rules, config, certs, diff, snapshot, decode, trace, status or scan); run '{Name} --help' for usage.");

    /// <summary>One sentence for a parse error: an unknown token first, else a missing subcommand, else the parser's first message.</summary>
    private static string UsageError(ParseResult parsed)
    {
        var unrecognized = parsed.UnmatchedTokens.FirstOrDefault();
        if (unrecognized is not null)
        {
            return $"unrecognized command or argument '{unrecognized}'; run '{CommandPath(parsed)} --help' for usage.";
        }

        if (parsed.CommandResult.Command.Subcommands.Count > 0 && parsed.CommandResult.Command.Action is null)
        {
            return $"'{CommandPath(parsed)}' needs a subcommand; run '{CommandPath(parsed)} --help' for usage.";
        }

        var message = parsed.Errors[0].Message;
        var cannotParse = System.Text.RegularExpressions.Regex.Match(message, "^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)'");
        return cannotParse.Success
            ? $"'{cannotParse.Groups["value"].Value}' is not a valid value for {cannotParse.Groups["option"].Value}."
            : OneSentence(message);
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var r = parsed.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(r.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static void WriteTrimmed(string text, TextWriter output)
    {
        if (text.Length == 0)
        {
            return;
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        output.Write(string.Join('\n', lines.Select(l => l.TrimEnd())) + "\n");
    }

    /// <summary>Folds a possibly multi-line message into one line ending with a period.</summary>
    internal static string OneSentence(string message)
    {
        var text = string.Join(' ', message.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return text.EndsWith('.') || text.EndsWith('?') || text.EndsWith('!') ? text : text + ".";
    }
}
