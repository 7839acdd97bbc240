using System.Text.Json;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Rendering;

/// <summary>
/// JSON form of views: a row is an object whose properties are the column keys in column order; a view is
/// an array of rows (an object for key/value views); several views are one object keyed by view name.
/// </summary>
internal static class JsonTableWriter
{
    public static void Write(IReadOnlyList<Table> tables, TextWriter output) => output.Write(JsonOutput.Write(json =>
    {
        if (tables.Count == 1)
        {
            WriteTable(json, tables[0]);
        }
        else
        {
            json.WriteStartObject();
            foreach (var table in tables)
            {
                json.WritePropertyName(table.Name);
                WriteTable(json, table);
            }

            json.WriteEndObject();
        }
    }));

    private static void WriteTable(Utf8JsonWriter json, Table table)
    {
        if (table.Layout == TableLayout.KeyValue)
        {
            WriteRow(json, table, table.Rows.Count > 0 ? table.Rows[0] : []);
            return;
        }

        json.WriteStartArray();
        foreach (var row in table.Rows)
        {
            WriteRow(json, table, row);
        }

        json.WriteEndArray();
    }

    private static void WriteRow(Utf8JsonWriter json, Table table, IReadOnlyList<Cell> row)
    {
        json.WriteStartObject();
        for (var i = 0; i < table.Columns.Count; i++)
        {
            json.WritePropertyName(table.Columns[i].Key);
            WriteValue(json, i < row.Count ? row[i].Value : null);
        }

        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case long l:
                json.WriteNumberValue(l);
                break;
            case int n:
                json.WriteNumberValue(n);
                break;
            case IEnumerable<string> list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    json.WriteStringValue(item);
                }

                json.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"A table cell holds a {value.GetType().Name}, which has no JSON form.");
        }
    }
}
