using System.CommandLine;
using EnvoyLens.Core;

namespace EnvoyLens.Cli.Sources;

/// <summary>What the user asked to read: a single file or a snapshot bundle (directory or archive), and for wrapped multi-proxy dumps which proxy.</summary>
internal sealed record SourceSpec(SourceKind Kind, string Path, string? Proxy);

internal enum SourceKind
{
    File,
    Bundle,
}

/// <summary>
/// The source binder every command shares: a positional <c>PATH</c>, <c>--file PATH</c>, <c>--bundle PATH</c>
/// (exactly one of them) and <c>--proxy NAME</c>. A command adds them with <see cref="AddTo"/> and reads the
/// choice with <see cref="Bind"/>.
/// </summary>
internal sealed class SourceOptions
{
    private readonly Argument<string?> _path = new("PATH")
    {
        Description = "A config dump or other admin output file, or a snapshot bundle (directory or .tar.gz).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<string?> _file = new("--file", "-f")
    {
        Description = "Read one file: a config_dump JSON/YAML, or another admin endpoint's output.",
        HelpName = "PATH",
    };

    private readonly Option<string?> _bundle = new("--bundle", "-b")
    {
        Description = "Read a snapshot bundle: a directory or .tar.gz written by EnvoyLens.",
        HelpName = "PATH",
    };

    private readonly Option<string?> _proxy = new("--proxy")
    {
        Description = "For a dump wrapping several proxies, the one to read (namespace/pod or key); default the first.",
        HelpName = "NAME",
    };

    public void AddTo(Command command)
    {
        command.Arguments.Add(_path);
        command.Options.Add(_file);
        command.Options.Add(_bundle);
        command.Options.Add(_proxy);
    }

    /// <summary>The one source named on the command line; a usage error when none or several are named.</summary>
    public SourceSpec Bind(ParseResult result)
    {
        var given = new List<(SourceKind Kind, string Path)>();
        if (result.GetValue(_path) is { } path)
        {
            given.Add((Directory.Exists(path) ? SourceKind.Bundle : SourceKind.File, path));
        }

        if (result.GetValue(_file) is { } file)
        {
            given.Add((SourceKind.File, file));
        }

        if (result.GetValue(_bundle) is { } bundle)
        {
            given.Add((SourceKind.Bundle, bundle));
        }

        return given.Count switch
        {
            0 => throw new EnvoyLensException("no input named; give a PATH, --file PATH or --bundle PATH."),
            > 1 => throw new EnvoyLensException("name exactly one input: a PATH, --file PATH or --bundle PATH, not several."),
            _ => new SourceSpec(given[0].Kind, given[0].Path, result.GetValue(_proxy)),
        };
    }
}
