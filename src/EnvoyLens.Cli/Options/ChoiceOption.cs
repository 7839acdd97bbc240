using System.CommandLine;
using EnvoyLens.Core;

namespace EnvoyLens.Cli.Options;

/// <summary>
/// An option that takes one of a fixed set of words (any case), each standing for a <typeparamref name="T"/>: the
/// typed form of <c>--output</c>, <c>--fail-on</c>, <c>--purpose</c> and <c>--profile</c>. A word outside the set is one
/// sentence naming the option and the words it takes (<c>--output must be text or json, not 'xml'.</c>), exit 2.
/// </summary>
internal sealed class ChoiceOption<T>
{
    private readonly List<(string Word, T Value, bool Listed)> _choices = [];
    private readonly T _absent;

    /// <param name="absent">The value when the option is not given and has no default word.</param>
    /// <param name="defaultWord">The word used when the option is not given, shown in help as <c>[default: WORD]</c>; null for none.</param>
    public ChoiceOption(string name, string? alias, string description, string helpName, T absent, string? defaultWord)
    {
        _absent = absent;
        Option = alias is null ? new Option<string?>(name) : new Option<string?>(name, alias);
        Option.Description = description;
        Option.HelpName = helpName;
        if (defaultWord is not null)
        {
            Option.DefaultValueFactory = _ => defaultWord;
        }
    }

    /// <summary>The System.CommandLine option to add to a command.</summary>
    public Option<string?> Option { get; }

    /// <summary>Adds a word the option takes; an unlisted one is accepted but left out of the error sentence.</summary>
    public ChoiceOption<T> With(string word, T value, bool listed = true)
    {
        _choices.Add((word, value, listed));
        return this;
    }

    /// <summary>Adds this option to <paramref name="command"/>.</summary>
    public ChoiceOption<T> AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Option);
        return this;
    }

    /// <summary>The value the command line gives.</summary>
    public T Get(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return Parse(parse.GetValue(Option));
    }

    /// <summary>The value of <paramref name="word"/>; null is the option not given.</summary>
    public T Parse(string? word)
    {
        if (word is null)
        {
            return _absent;
        }

        foreach (var (w, value, _) in _choices)
        {
            if (string.Equals(w, word, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new EnvoyLensException($"{Option.Name} must be {Words(_choices.Where(c => c.Listed).Select(c => c.Word).ToList())}, not '{word}'.");
    }

    /// <summary><c>a</c>, <c>a or b</c>, <c>a, b or c</c>.</summary>
    internal static string Words(IReadOnlyList<string> words) =>
        words.Count <= 1 ? string.Join("", words) : string.Join(", ", words.Take(words.Count - 1)) + " or " + words[^1];
}
