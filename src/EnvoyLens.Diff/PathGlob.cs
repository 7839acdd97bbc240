using System.Text;
using System.Text.RegularExpressions;

namespace EnvoyLens.Diff;

/// <summary>A glob over JSON pointers: <c>*</c> matches within one token, <c>**</c> any number of whole tokens.</summary>
internal sealed class PathGlob
{
    private readonly Regex _regex;

    public PathGlob(string pattern)
    {
        Pattern = pattern;
        var p = pattern.StartsWith('/') ? pattern : "/" + pattern;
        var sb = new StringBuilder("^");
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] == '/' && i + 2 < p.Length + 0 && p.AsSpan(i).StartsWith("/**"))
            {
                sb.Append("(/[^/]*)*");
                i += 2;
            }
            else if (p[i] == '*')
            {
                sb.Append("[^/]*");
            }
            else
            {
                sb.Append(Regex.Escape(p[i].ToString()));
            }
        }

        // A pattern also covers everything below what it names.
        sb.Append("(/.*)?$");
        _regex = new Regex(sb.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    public string Pattern { get; }

    public bool Matches(string path) => _regex.IsMatch(path);
}
