using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Rendering;

/// <summary>
/// YAML form of views, the same structure as the JSON form. Strings are always double-quoted (JSON string
/// escapes are valid YAML), so no value can be misread as a number, boolean or null.
/// </summary>
internal static class YamlTableWriter
{
    public static void Write(IReadOnlyList<Table> tables, TextWriter output)
    {
        var sb = new StringBuilder();
        if (tables.Count == 1)
        {
            WriteTable(sb, tables[0], 0);
        }
        else
        {
            foreach (var table in tables)
            {
                if (IsEmpty(table))
                {
                    sb.Append(table.Name).Append(": ").Append(table.Layout == TableLayout.KeyValue ? "{}" : "[]").Append('\n');
                    continue;
                }

                sb.Append(table.Name).Append(":\n");
                WriteTable(sb, table, 2);
            }
        }

        output.Write(sb.ToString());
    }

    private static bool IsEmpty(Table table) => table.Rows.Count == 0 || table.Columns.Count == 0;

    private static void WriteTable(StringBuilder sb, Table table, int indent)
    {
        var pad = new string(' ', indent);
        if (table.Layout == TableLayout.KeyValue)
        {
            if (IsEmpty(table))
            {
                sb.Append(pad).Append("{}\n");
                return;
            }

            WriteMapping(sb, table, table.Rows[0], indent, firstPrefix: pad);
            return;
        }

        if (table.Rows.Count == 0)
        {
            sb.Append(pad).Append("[]\n");
            return;
        }

        foreach (var row in table.Rows)
        {
            WriteMapping(sb, table, row, indent + 2, firstPrefix: pad + "- ");
        }
    }

    private static void WriteMapping(StringBuilder sb, Table table, IReadOnlyList<Cell> row, int indent, string firstPrefix)
    {
        var pad = new string(' ', indent);
        for (var i = 0; i < table.Columns.Count; i++)
        {
            sb.Append(i == 0 ? firstPrefix : pad).Append(table.Columns[i].Key).Append(':');
            var value = i < row.Count ? row[i].Value : null;
            if (value is not string and IEnumerable<string> list)
            {
                var items = list.ToList();
                if (items.Count == 0)
                {
                    sb.Append(" []\n");
                    continue;
                }

                sb.Append('\n');
                foreach (var item in items)
                {
                    sb.Append(pad).Append("  - ").Append(Quote(item)).Append('\n');
                }

                continue;
            }

            sb.Append(' ').Append(Scalar(value)).Append('\n');
        }
    }

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int n => n.ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"A table cell holds a {value.GetType().Name}, which has no YAML form."),
    };

    private static string Quote(string s) => "\"" + JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(s) + "\"";
}
