using System.Globalization;
using EnvoyLens.Diff;
using EnvoyLens.Reporting.Diff;

namespace EnvoyLens.Reporting.Html;

/// <summary>
/// <c>diff -o html</c>: per-kind counts, the summary sentences, then per resource its changed paths side by side
/// (before, after). Values longer than <see cref="MaxValue"/> characters are cut, and beyond <see cref="MaxChanges"/>
/// changed paths the rest are counted, not shown (<c>diff -o json</c> holds them all).
/// </summary>
public static class DiffHtmlRenderer
{
    public const int MaxValue = 2_000;

    public const int MaxChanges = 5_000;

    public static string Render(ReportHeader header, ChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(changes);
        var resources = changes.Changes.GroupBy(c => (c.Kind, c.Name)).ToList();
        // The header's source already names both sides ("before → after").
        var w = HtmlPage.Begin(header,
        [
            ("Changes", $"{Count(changes.Changes.Count, "changed path")} in {Count(resources.Count, "resource")}"),
        ]);
        w.Open("section", ("id", "kinds")).Element("h2", "Per kind").Line();
        if (changes.IsEmpty)
        {
            w.Element("p", "No differences.", ("class", "note"));
        }
        else
        {
            w.Open("table", ("id", "kind-counts")).Open("tr").Element("th", "KIND").Element("th", "ADDED").Element("th", "REMOVED").Element("th", "CHANGED").Close("tr");
            foreach (var k in changes.Kinds)
            {
                w.Open("tr").Element("td", k.Kind.ToString()).Element("td", N(k.Added)).Element("td", N(k.Removed)).Element("td", N(k.Changed)).Close("tr");
            }

            w.Close("table");
        }

        if (changes.Summaries.Count > 0 || ChangeSetTextRenderer.NotComparedSentence(changes) is not null)
        {
            w.Element("h2", "In short").Open("ul", ("id", "summaries"));
            foreach (var s in changes.Summaries)
            {
                w.Element("li", s);
            }

            if (ChangeSetTextRenderer.NotComparedSentence(changes) is { } note)
            {
                w.Element("li", "Note: " + note, ("class", "note"));
            }

            w.Close("ul");
        }

        w.Close("section").Line();
        w.Open("section", ("id", "resources")).Element("h2", "Changed resources").Line();
        var shown = 0;
        foreach (var resource in resources)
        {
            if (shown >= MaxChanges)
            {
                w.Element("p", string.Create(CultureInfo.InvariantCulture,
                    $"{changes.Changes.Count - shown} more changed paths are not shown; 'envoylens diff -o json' lists them all."), ("class", "note"), ("id", "cut"));
                break;
            }

            var whole = resource.FirstOrDefault(c => c.Path.Length == 0);
            w.Open("details", ("class", "resource-diff"), ("open", "open"), ("data-kind", resource.Key.Kind.ToString()));
            w.Open("summary").Element("strong", resource.Key.Kind + " ").Element("code", resource.Key.Name)
                .Text(whole is not null ? whole.Type == ChangeType.Added ? ": added" : ": removed" : ": " + Count(resource.Count(), "changed path")).Close("summary");
            if (whole is null)
            {
                w.Open("table", ("class", "side-by-side")).Open("tr").Element("th", "PATH").Element("th", "BEFORE").Element("th", "AFTER").Close("tr");
                foreach (var c in resource)
                {
                    shown++;
                    w.Open("tr", ("data-change", c.Type.ToString().ToLowerInvariant())).Open("td").Element("code", c.Path).Close("td");
                    w.Open("td", ("class", c.Type is ChangeType.Added ? null : "removed")).Element("pre", c.Type == ChangeType.Added ? "(unset)" : Cut(c.Old)).Close("td");
                    w.Open("td", ("class", c.Type is ChangeType.Removed ? null : "added")).Element("pre", c.Type == ChangeType.Removed ? "(unset)" : Cut(c.New)).Close("td");
                    w.Close("tr").Line();
                }

                w.Close("table");
            }
            else
            {
                shown++;
            }

            w.Close("details").Line();
        }

        w.Close("section").Line();
        return HtmlPage.End(w);
    }

    private static string Cut(string? value) =>
        value is null ? "(unset)" : value.Length <= MaxValue ? value : string.Concat(value.AsSpan(0, MaxValue), "…");

    private static string Count(int n, string noun) => N(n) + " " + noun + (n == 1 ? "" : "s");

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
