using System.Globalization;

namespace EnvoyLens.Reporting.Diff;

/// <summary>A unified diff (3 lines of context) of two texts, by longest common subsequence of lines.</summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    public static void Render(string beforeName, string? before, string afterName, string? after, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var a = Lines(before);
        var b = Lines(after);
        output.Write($"--- {beforeName}\n+++ {afterName}\n");

        // LCS table over lines; resources are small enough (thousands of lines) for the quadratic table.
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var ops = new List<(char Op, string Line, int A, int B)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                ops.Add((' ', a[x], x++, y++));
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                // Removed lines before added ones, as diff -u prints them.
                ops.Add(('-', a[x], x++, y));
            }
            else
            {
                ops.Add(('+', b[y], x, y++));
            }
        }

        var k = 0;
        while (k < ops.Count)
        {
            if (ops[k].Op == ' ')
            {
                k++;
                continue;
            }

            var start = Math.Max(0, k - Context);
            var end = k;
            var lastChange = k;
            while (end < ops.Count && (ops[end].Op != ' ' || end - lastChange <= 2 * Context))
            {
                if (ops[end].Op != ' ')
                {
                    lastChange = end;
                }

                end++;
            }

            end = Math.Min(ops.Count, lastChange + Context + 1);
            var hunk = ops.GetRange(start, end - start);
            var aCount = hunk.Count(o => o.Op != '+');
            var bCount = hunk.Count(o => o.Op != '-');
            output.Write(string.Create(CultureInfo.InvariantCulture, $"@@ -{hunk[0].A + 1},{aCount} +{hunk[0].B + 1},{bCount} @@\n"));
            foreach (var o in hunk)
            {
                output.Write($"{o.Op}{o.Line}\n");
            }

            k = end;
        }
    }

    private static string[] Lines(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
}
