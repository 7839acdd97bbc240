using System.CommandLine;
using EnvoyLens.Cli.Sources;

namespace EnvoyLens.Cli.Commands;

/// <summary>
/// <c>--show-secrets</c>, shared by every command that prints configuration: without it secrets are replaced by
/// <c>[redacted]</c> by the same rules a snapshot bundle is written with.
/// </summary>
internal static class ShowSecretsOption
{
    public static Option<bool> AddTo(Command command)
    {
        var option = new Option<bool>("--show-secrets")
        {
            Description = "Show secrets (private keys, passwords, credential headers and metadata) as read; by default they print as [redacted].",
        };
        command.Options.Add(option);
        return option;
    }

    /// <summary><paramref name="spec"/> with <c>--show-secrets</c> as given.</summary>
    public static SourceSpec Apply(SourceSpec spec, ParseResult parse, Option<bool> option) => spec with { ShowSecrets = parse.GetValue(option) };
}
