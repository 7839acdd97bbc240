using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Rendering;

/// <summary>
/// Writes the rows of views (JSON and YAML as rows too: <c>config</c> prints resources through <see cref="ResourceRenderer"/>). One view is written on its own (a table, a JSON array / object, a YAML sequence / mapping);
/// several views are written one after the other with a heading in text, and as one object keyed by view
/// name in JSON and YAML. Lines end with <c>\n</c> whatever the platform.
/// </summary>
public static class TableRenderer
{
    public static void Write(IReadOnlyList<Table> tables, OutputFormat format, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(output);
        switch (format)
        {
            case OutputFormat.Table or OutputFormat.Wide:
                WriteText(tables, output);
                break;
            case OutputFormat.TableJson or OutputFormat.Json:
                JsonTableWriter.Write(tables, output);
                break;
            case OutputFormat.TableYaml or OutputFormat.Yaml:
                YamlTableWriter.Write(tables, output);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown output format.");
        }
    }

    /// <summary>Writes one table as aligned text (header line, then rows).</summary>
    public static void WriteText(Table table, TextWriter output)
    {
        if (table.Layout == TableLayout.KeyValue)
        {
            var row = table.Rows.Count > 0 ? table.Rows[0] : [];
            var lines = table.Columns
                .Select((c, i) => (IReadOnlyList<string>)[c.Header + ":", i < row.Count ? row[i].Text : "-"])
                .ToList();
            TabWriter.Write(output, lines, 1);
            return;
        }

        var all = new List<IReadOnlyList<string>>(table.Rows.Count + 1) { table.Columns.Select(c => c.Header).ToArray() };
        all.AddRange(table.TextRows);
        TabWriter.Write(output, all, table.Padding);
    }

    private static void WriteText(IReadOnlyList<Table> tables, TextWriter output)
    {
        if (tables.Count == 1)
        {
            WriteText(tables[0], output);
            return;
        }

        for (var i = 0; i < tables.Count; i++)
        {
            if (i > 0)
            {
                output.Write('\n');
            }

            output.Write("# " + tables[i].Title + "\n");
            WriteText(tables[i], output);
        }
    }
}
