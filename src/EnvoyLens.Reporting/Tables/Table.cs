using System.Globalization;
using EnvoyLens.Core;

namespace EnvoyLens.Reporting.Tables;

/// <summary>How a table is laid out as text.</summary>
public enum TableLayout
{
    /// <summary>A header line and one line per row, columns aligned (istioctl style).</summary>
    Rows,

    /// <summary>A single record shown as <c>Header: value</c> lines; JSON/YAML emit one object instead of an array.</summary>
    KeyValue,
}

/// <summary>One column: the header printed in text tables and the camelCase key used in JSON and YAML.</summary>
public sealed record Column(string Header, string Key);

/// <summary>
/// One cell: <see cref="Text"/> is what a text table shows; <see cref="Value"/> is what JSON/YAML emit
/// (null, <see cref="string"/>, <see cref="long"/>, <see cref="bool"/>, or a list of strings).
/// </summary>
public readonly record struct Cell(string Text, object? Value)
{
    public static Cell Of(string? text, string missing = "") =>
        new(string.IsNullOrEmpty(text) ? missing : text, string.IsNullOrEmpty(text) ? null : text);

    public static Cell Number(long? value, string missing = "-") =>
        new(value is { } v ? v.ToString(CultureInfo.InvariantCulture) : missing, value);

    public static Cell Flag(bool value) => new(value ? "true" : "false", value);

    public static Cell List(string text, IReadOnlyList<string> values) => new(text, values);
}

/// <summary>
/// A view of one kind of resource as rows of cells. <see cref="Name"/> is the view's stable id (clusters,
/// listeners, ...), used as the key in combined JSON/YAML output; <see cref="Title"/> heads it in combined text.
/// <see cref="Padding"/> is the number of spaces between columns (istioctl uses 5, or 1 for listeners).
/// </summary>
public sealed record Table(
    string Name,
    string Title,
    IReadOnlyList<Column> Columns,
    IReadOnlyList<IReadOnlyList<Cell>> Rows,
    int Padding = 5,
    TableLayout Layout = TableLayout.Rows)
{
    /// <summary>
    /// Per row, the resource it was built from (null where none is known), so that <c>-o json|yaml</c> can print the
    /// rows' resources instead of the rows; empty when the view does not say.
    /// </summary>
    public IReadOnlyList<RowSource?> Sources { get; init; } = [];

    /// <summary>Why the table is empty, when it is: the section is absent from the capture, or no row matched.</summary>
    public string? EmptyReason { get; init; }

    /// <summary>The text of every row, cell by cell (convenient for tests and comparisons).</summary>
    public IReadOnlyList<IReadOnlyList<string>> TextRows => Rows.Select(r => (IReadOnlyList<string>)r.Select(c => c.Text).ToArray()).ToArray();
}

/// <summary>The resource a row comes from: its kind and name, and its place in the source document when known.</summary>
public sealed record RowSource(ResourceKind Kind, string Name, JsonPointer? Pointer = null);
