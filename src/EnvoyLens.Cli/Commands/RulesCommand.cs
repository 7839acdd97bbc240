using System.Globalization;
using System.CommandLine;
using System.Text;
using EnvoyLens.Cli.Services;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Cli.Commands;

/// <summary><c>envoylens rules [ID]</c>: the rule catalog, or one rule explained.</summary>
internal static class RulesCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("rules", "List the analysis rules (id, default severity, category, title), or explain one rule: envoylens rules EL1001.");
        var id = new Argument<string?>("ID") { Description = "A rule id such as EL1001; omit it to list every rule.", Arity = ArgumentArity.ZeroOrOne };
        command.Arguments.Add(id);
        command.SetAction(parse =>
        {
            var wanted = parse.GetValue(id);
            output.Write(wanted is null ? List() : Explain(wanted));
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string List()
    {
        var rows = RuleCatalog.Descriptors.Select(d => (d.Id, Severity: AnalyzeService.Level(d.DefaultSeverity), Category: d.Category.ToString().ToLowerInvariant(), d.Title)).ToList();
        var sw = Math.Max("SEVERITY".Length, rows.Max(r => r.Severity.Length));
        var cw = Math.Max("CATEGORY".Length, rows.Max(r => r.Category.Length));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{"ID",-6}  {"SEVERITY".PadRight(sw)}  {"CATEGORY".PadRight(cw)}  TITLE\n");
        foreach (var r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.Id,-6}  {r.Severity.PadRight(sw)}  {r.Category.PadRight(cw)}  {r.Title}\n");
        }

        return sb.ToString();
    }

    internal static string Explain(string id)
    {
        var d = RuleCatalog.Find(id.Trim())
            ?? throw new EnvoyLensException($"there is no rule '{id}'; run 'envoylens rules' to list the rules.");
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{d.Id}: {d.Title}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Category:          {d.Category.ToString().ToLowerInvariant()}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Default severity:  {AnalyzeService.Level(d.DefaultSeverity)}{(d.EnabledByDefault ? "" : " (off by default; --enable " + d.Id + ")")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Reads:             {(d.Inputs == RuleInputs.None ? "nothing" : RuleRunner.Describe(d.Inputs))}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Message:           {d.MessageTemplate}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Why it matters\n  {d.Rationale}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"How to fix it\n  {d.Remediation}\n");
        return sb.ToString();
    }
}
