using System.CommandLine;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Services;
using EnvoyLens.Cli.Sources;

namespace EnvoyLens.Cli.Commands;

/// <summary><c>envoylens decode [PATH]</c>: what was read and every decode diagnostic.</summary>
internal static class DecodeCommand
{
    public static Command Create(DecodeReportService service, TextWriter output)
    {
        var command = new Command("decode",
            "Decode a capture and report what was read: documents, config dump form, counts per section and kind, " +
            "typed vs kept raw, and every decode diagnostic. Diagnostics are not failures (exit 0); an input that " +
            "cannot be read at all exits 2.");
        var source = new SourceOptions();
        source.AddTo(command);
        var format = OutputOptions.TextOrJson().AddTo(command);
        command.SetAction(parse => service.Run(source.Bind(parse), format.Get(parse), output));
        return command;
    }
}
