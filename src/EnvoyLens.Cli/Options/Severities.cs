using EnvoyLens.Core;
using EnvoyLens.Reporting.Analysis;

namespace EnvoyLens.Cli.Options;

/// <summary>The one reading of severity words on the command line (<c>--fail-on</c>, <c>--severity ID=LEVEL</c>) and their printed names.</summary>
internal static class Severities
{
    /// <summary>The levels, most severe first, as their words.</summary>
    private static readonly Severity[] Levels = [Severity.Error, Severity.Warning, Severity.Info];

    /// <summary>The word of a level: <c>error</c>, <c>warning</c>, <c>info</c>.</summary>
    public static string Name(Severity s) => AnalysisResult.Level(s);

    /// <summary>The level <paramref name="word"/> names (any case); null when it names none.</summary>
    public static Severity? Parse(string word) =>
        Levels.Where(s => string.Equals(Name(s), word, StringComparison.OrdinalIgnoreCase)).Select(s => (Severity?)s).FirstOrDefault();

    /// <summary><c>--fail-on error|warning|info|never</c> (default error); <c>never</c> is null.</summary>
    public static ChoiceOption<Severity?> FailOn()
    {
        var option = new ChoiceOption<Severity?>("--fail-on", null, "Exit 1 when a finding is at or above this severity: error, warning, info or never.",
            "error|warning|info|never", Severity.Error, "error");
        foreach (var s in Levels)
        {
            option.With(Name(s), s);
        }

        return option.With("never", null);
    }

    /// <summary>One <c>--severity ID=LEVEL</c>: the id as written and its level.</summary>
    public static (string Id, Severity Level) Override(string item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var eq = item.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new EnvoyLensException($"--severity '{item}' must have the form ID=LEVEL, e.g. EL1004=error.");
        }

        var level = Parse(item[(eq + 1)..])
            ?? throw new EnvoyLensException($"--severity '{item}' names level '{item[(eq + 1)..]}'; use error, warning or info.");
        return (item[..eq], level);
    }
}
