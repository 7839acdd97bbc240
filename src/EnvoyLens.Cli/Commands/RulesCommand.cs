using System.CommandLine;
using System.Globalization;
using System.Text;
using EnvoyLens.Cli.Options;
using EnvoyLens.Cli.Services;
using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Cli.Commands;

/// <summary>
/// <c>envoylens rules [ID]</c>: the rule catalog (every pack of <see cref="RulePacks.Catalog"/>), or one rule explained.
/// <c>-o json</c> gives the descriptors as data. The hidden <c>--markdown</c> prints the rule reference (RULES.md at the repository root) from the descriptors.
/// </summary>
internal static class RulesCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("rules", "List the analysis rules (id, default severity, category, title), or explain one rule: envoylens rules EL1001.");
        var id = new Argument<string?>("ID") { Description = "A rule id such as EL1001; omit it to list every rule.", Arity = ArgumentArity.ZeroOrOne };
        var markdown = new Option<bool>("--markdown") { Description = "Print the rule reference as Markdown (RULES.md).", Hidden = true };
        var format = OutputOptions.TextOrJson("Output format: text or json (every field of the rule descriptors).", acceptTable: true);
        command.Arguments.Add(id);
        format.AddTo(command);
        command.Options.Add(markdown);
        command.SetAction(parse =>
        {
            var wanted = parse.GetValue(id);
            var json = format.Get(parse) == TextOrJson.Json;
            output.Write(parse.GetValue(markdown) ? Markdown()
                : json ? Json(wanted is null ? RulePacks.Catalog.Descriptors : [Find(wanted)], single: wanted is not null)
                : wanted is null ? List() : Explain(wanted));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static RuleDescriptor Find(string id) =>
        RulePacks.Catalog.Find(id) ?? throw new EnvoyLensException($"there is no rule '{id}'; run 'envoylens rules' to list the rules.");

    /// <summary>
    /// <c>rules -o json</c>: an array of rule objects (one object for <c>rules ID</c>) with id, title, category, default
    /// severity, whether it is on by default, the inputs it reads, its pack, message template, rationale, remediation and example.
    /// </summary>
    internal static string Json(IReadOnlyList<RuleDescriptor> descriptors, bool single) => Reporting.Rendering.JsonOutput.Write(w =>
    {
        if (!single)
        {
            w.WriteStartArray();
        }

        foreach (var d in descriptors)
        {
            w.WriteStartObject();
            w.WriteString("id", d.Id);
            w.WriteString("title", d.Title);
            w.WriteString("category", Category(d));
            w.WriteString("defaultSeverity", Severities.Name(d.DefaultSeverity));
            w.WriteBoolean("enabledByDefault", d.EnabledByDefault);
            w.WriteString("reads", Reads(d));
            w.WriteString("pack", RulePacks.Catalog.PackOf(d.Id) ?? "engine");
            w.WriteString("messageTemplate", d.MessageTemplate);
            w.WriteString("rationale", d.Rationale);
            w.WriteString("remediation", d.Remediation);
            w.WriteString("example", d.Example);
            w.WriteEndObject();
        }

        if (!single)
        {
            w.WriteEndArray();
        }
    });

    internal static string List()
    {
        var rows = RulePacks.Catalog.Descriptors.Select(d => (d.Id, Severity: Severities.Name(d.DefaultSeverity), Category: Category(d), d.Title)).ToList();
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
        var d = Find(id);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{d.Id}: {d.Title}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Category:          {Category(d)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Default severity:  {Severities.Name(d.DefaultSeverity)}{(d.EnabledByDefault ? "" : " (off by default; --enable " + d.Id + ")")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Reads:             {Reads(d)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Message:           {d.MessageTemplate}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Why it matters\n  {d.Rationale}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"How to fix it\n  {d.Remediation}\n");
        if (d.Example is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\nExample\n  {d.Example}\n");
        }

        return sb.ToString();
    }

    /// <summary>The rule reference, one section per rule with fixed headings, generated from the descriptors of every pack.</summary>
    internal static string Markdown()
    {
        var sb = new StringBuilder();
        sb.Append("# EnvoyLens analysis rules\n\n");
        sb.Append("<!-- Generated from the rule descriptors by `envoylens rules --markdown > RULES.md`; do not edit by hand. -->\n\n");
        sb.Append("Ids are `EL` + four digits; the first digit is the area: EL0xxx engine, EL1xxx references between resources, ");
        sb.Append("EL2xxx state and control plane, EL3xxx configuration (EL30xx listeners and routes, EL31xx clusters and upstream TLS), ");
        sb.Append("EL4xxx certificates, EL5xxx stats. Retired ids are never reused. `envoylens rules ID` shows the same text.\n\n");
        sb.Append("| Id | Severity | Category | Title |\n|---|---|---|---|\n");
        foreach (var d in RulePacks.Catalog.Descriptors)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| [{d.Id}](#{d.Id.ToLowerInvariant()}) | {Severities.Name(d.DefaultSeverity)} | {Category(d)} | {Escape(d.Title)} |\n");
        }

        foreach (var d in RulePacks.Catalog.Descriptors)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n## {d.Id}\n\n**{Escape(d.Title)}**\n\n");
            sb.Append(CultureInfo.InvariantCulture, $"- Category: {Category(d)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"- Default severity: {Severities.Name(d.DefaultSeverity)}{(d.EnabledByDefault ? "" : " (off by default)")}\n");
            sb.Append(CultureInfo.InvariantCulture, $"- Reads: {Reads(d)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"- Pack: {RulePacks.Catalog.PackOf(d.Id) ?? "engine"}\n");
            sb.Append(CultureInfo.InvariantCulture, $"- Message: `{d.MessageTemplate}`\n\n");
            sb.Append(CultureInfo.InvariantCulture, $"### Why it matters\n\n{d.Rationale}\n\n");
            sb.Append(CultureInfo.InvariantCulture, $"### How to fix it\n\n{d.Remediation}\n");
            if (d.Example is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\n### Example\n\n> {Escape(d.Example)}\n");
            }
        }

        return sb.ToString();
    }

    private static string Category(RuleDescriptor d) => d.Category.ToString().ToLowerInvariant();

    private static string Reads(RuleDescriptor d) => d.Inputs == RuleInputs.None ? "nothing" : RuleRunner.Describe(d.Inputs);

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
