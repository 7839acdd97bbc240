using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Certs;

/// <summary>One certificate as the <c>certs</c> table shows it; plain values, already formatted by the caller.</summary>
public sealed record CertificateRow(
    string Source,
    int Position,
    string Subject,
    IReadOnlyList<string> SubjectAltNames,
    string? SpiffeId,
    string Issuer,
    string Serial,
    string Key,
    string SignatureAlgorithm,
    string NotBefore,
    string NotAfter,
    string TimeLeft,
    string LifetimeUsed,
    string Status);

/// <summary>
/// The <c>certs</c> view: one row per certificate of every chain and trust bundle, in source then position order. Text
/// tables narrower than every column drop columns, least useful first (SIGNATURE, NOT BEFORE, KEY, ISSUER, USED, SANS,
/// SERIAL, SUBJECT, SPIFFE ID), until the table fits; SOURCE, POS, NOT AFTER, TIME LEFT and STATUS always stay, and
/// when even they do not fit, SOURCE cells are shortened (ending in <c>...</c>, never below 20 characters).
/// </summary>
public static class CertificatesView
{
    private static readonly Column[] Columns =
    [
        new("SOURCE", "source"), new("POS", "position"), new("SUBJECT", "subject"), new("SANS", "subjectAltNames"),
        new("SPIFFE ID", "spiffeId"), new("ISSUER", "issuer"), new("SERIAL", "serial"), new("KEY", "key"),
        new("SIGNATURE", "signatureAlgorithm"), new("NOT BEFORE", "notBefore"), new("NOT AFTER", "notAfter"),
        new("TIME LEFT", "timeLeft"), new("USED", "lifetimeUsed"), new("STATUS", "status"),
    ];

    /// <summary>Indexes into <see cref="Columns"/>, in the order they are dropped to fit a width.</summary>
    private static readonly int[] DropOrder = [8, 9, 7, 5, 12, 3, 6, 2, 4];

    private const int MinimumSourceWidth = 20;

    private const int Padding = 2;

    /// <summary>Every column (for <c>-o wide</c>, JSON and YAML).</summary>
    public static Table Build(IReadOnlyList<CertificateRow> rows) => Build(rows, null);

    /// <summary>The table; with <paramref name="width"/>, only as many columns as fit in that many characters.</summary>
    public static Table Build(IReadOnlyList<CertificateRow> rows, int? width)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var cells = rows.Select(r => (IReadOnlyList<Cell>)
        [
            Cell.Of(r.Source), Cell.Number(r.Position), Cell.Of(r.Subject, "-"), Cell.List(r.SubjectAltNames.Count == 0 ? "-" : string.Join(",", r.SubjectAltNames), r.SubjectAltNames),
            Cell.Of(r.SpiffeId, "-"), Cell.Of(r.Issuer, "-"), Cell.Of(r.Serial), Cell.Of(r.Key), Cell.Of(r.SignatureAlgorithm),
            Cell.Of(r.NotBefore), Cell.Of(r.NotAfter), Cell.Of(r.TimeLeft), Cell.Of(r.LifetimeUsed), Cell.Of(r.Status),
        ]).ToList();
        var table = new Table("certificates", "Certificates", Columns, cells, Padding: Padding);
        if (width is not { } max)
        {
            return table;
        }

        var widths = Enumerable.Range(0, Columns.Length)
            .Select(i => cells.Select(r => TabWriter.Width(r[i].Text)).Append(TabWriter.Width(Columns[i].Header)).Max()).ToArray();
        var kept = Enumerable.Range(0, Columns.Length).ToList();
        foreach (var drop in DropOrder)
        {
            if (kept.Sum(i => widths[i]) + (Padding * (kept.Count - 1)) <= max)
            {
                break;
            }

            kept.Remove(drop);
        }

        var excess = kept.Sum(i => widths[i]) + (Padding * (kept.Count - 1)) - max;
        var sourceWidth = Math.Max(MinimumSourceWidth, widths[0] - Math.Max(0, excess));
        return table with
        {
            Columns = kept.Select(i => Columns[i]).ToList(),
            Rows = cells.Select(r => (IReadOnlyList<Cell>)kept.Select(i => i == 0 ? Shorten(r[i], sourceWidth) : r[i]).ToList()).ToList(),
        };
    }

    private static Cell Shorten(Cell cell, int width)
    {
        if (TabWriter.Width(cell.Text) <= width)
        {
            return cell;
        }

        var runes = cell.Text.EnumerateRunes().Take(width - 3);
        return cell with { Text = string.Concat(runes.Select(r => r.ToString())) + "..." };
    }

    /// <summary>Problems (unreadable blocks) as a second table: source, block, message.</summary>
    public static Table Problems(IReadOnlyList<(string Source, string Block, string Message)> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return new Table("problems", "Problems", [new("SOURCE", "source"), new("BLOCK", "block"), new("PROBLEM", "problem")],
            problems.Select(p => (IReadOnlyList<Cell>)[Cell.Of(p.Source), Cell.Of(p.Block, "-"), Cell.Of(p.Message)]).ToList(), Padding: 2);
    }
}
