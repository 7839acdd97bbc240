using System.Text;

namespace EnvoyLens.Reporting.Tables;

/// <summary>
/// Aligns cells into columns the way Go's <c>text/tabwriter</c> does with minwidth 0, pad character ' ' and
/// no flags, for lines that all hold the same number of cells: every column but the last is padded to its
/// widest cell plus <c>padding</c> spaces (empty cells included); the last cell of a line is written as is.
/// Widths count Unicode scalar values, like Go counts runes.
/// </summary>
internal static class TabWriter
{
    public static void Write(TextWriter output, IReadOnlyList<IReadOnlyList<string>> lines, int padding)
    {
        if (lines.Count == 0)
        {
            return;
        }

        var columns = lines.Max(l => l.Count);
        var widths = new int[columns];
        foreach (var line in lines)
        {
            for (var i = 0; i < line.Count - 1; i++)
            {
                widths[i] = Math.Max(widths[i], Width(line[i]));
            }
        }

        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            sb.Clear();
            for (var i = 0; i < line.Count; i++)
            {
                sb.Append(line[i]);
                if (i < line.Count - 1)
                {
                    sb.Append(' ', widths[i] + padding - Width(line[i]));
                }
            }

            sb.Append('\n');
            output.Write(sb.ToString());
        }
    }

    internal static int Width(string s)
    {
        var n = 0;
        foreach (var _ in s.EnumerateRunes())
        {
            n++;
        }

        return n;
    }
}
