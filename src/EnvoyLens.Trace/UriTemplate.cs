using System.Text;
using System.Text.RegularExpressions;

namespace EnvoyLens.Trace;

/// <summary>
/// Envoy's URI templates (<c>envoy.path.match.uri_template</c> and <c>envoy.path.rewrite.uri_template</c>): a path
/// template of literals, <c>*</c> (exactly one path segment), <c>**</c> (the rest of the path, slashes included;
/// at most once, last) and variables <c>{name}</c> (one segment) or <c>{name=PATTERN}</c> (PATTERN of literals,
/// <c>*</c> and <c>**</c>), matched against the whole path without its query; a rewrite template puts the captured
/// variables back with <c>{name}</c>. Segments hold the characters RFC 3986 allows in a path segment.
/// </summary>
internal static class UriTemplate
{
    private const string SegmentChars = @"[a-zA-Z0-9\-._~%!$&'()+,;:@=]";
    private const string OneSegment = SegmentChars + "+";
    private const string AnySegments = @"[a-zA-Z0-9\-._~%!$&'()+,;:@=/]*";
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200);

    /// <summary>The template as an anchored regular expression with one named group per variable; null with <paramref name="error"/> when it is not a valid template.</summary>
    public static Regex? Compile(string template, out string? error)
    {
        error = null;
        if (!template.StartsWith('/'))
        {
            error = "it does not start with '/'";
            return null;
        }

        var pattern = new StringBuilder("^");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var globs = 0;
        for (var i = 0; i < template.Length;)
        {
            if (template[i] == '{')
            {
                var close = template.IndexOf('}', i);
                if (close < 0)
                {
                    error = "a '{' is not closed";
                    return null;
                }

                var body = template[(i + 1)..close];
                var eq = body.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? body : body[..eq];
                if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(name[0]) || !names.Add(name))
                {
                    error = $"variable '{{{body}}}' has an invalid or repeated name";
                    return null;
                }

                pattern.Append("(?<").Append(name).Append('>');
                if (eq < 0)
                {
                    pattern.Append(OneSegment);
                }
                else if (!Operators(body[(eq + 1)..], pattern, ref globs, ref error))
                {
                    return null;
                }

                pattern.Append(')');
                i = close + 1;
                continue;
            }

            var next = template.IndexOf('{', i);
            var run = next < 0 ? template[i..] : template[i..next];
            if (run.Contains('}', StringComparison.Ordinal) || !Operators(run, pattern, ref globs, ref error))
            {
                error ??= "a '}' has no '{'";
                return null;
            }

            i += run.Length;
        }

        if (globs > 1)
        {
            error = "it has more than one '**'";
            return null;
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, Timeout);
    }

    /// <summary>Literals, <c>*</c> and <c>**</c> of a template run or a variable's pattern.</summary>
    private static bool Operators(string run, StringBuilder pattern, ref int globs, ref string? error)
    {
        for (var i = 0; i < run.Length; i++)
        {
            var c = run[i];
            if (c == '*')
            {
                if (i + 1 < run.Length && run[i + 1] == '*')
                {
                    globs++;
                    pattern.Append(AnySegments);
                    i++;
                }
                else
                {
                    pattern.Append(OneSegment);
                }
            }
            else if (c == '/' || Regex.IsMatch(c.ToString(), "^" + SegmentChars + "$", RegexOptions.CultureInvariant, Timeout))
            {
                pattern.Append(Regex.Escape(c.ToString()));
            }
            else
            {
                error = $"'{c}' is not allowed in a path template";
                return false;
            }
        }

        return true;
    }

    /// <summary>The rewrite template with each <c>{name}</c> replaced by what <paramref name="match"/> captured; null with <paramref name="error"/> when it names a variable the match lacks.</summary>
    public static string? Rewrite(string template, Match match, out string? error)
    {
        error = null;
        var result = new StringBuilder();
        for (var i = 0; i < template.Length;)
        {
            if (template[i] != '{')
            {
                result.Append(template[i++]);
                continue;
            }

            var close = template.IndexOf('}', i);
            var name = close < 0 ? string.Empty : template[(i + 1)..close];
            if (name.Length == 0 || !match.Groups[name].Success)
            {
                error = $"the rewrite template '{template}' names a variable the path template does not capture ({(name.Length == 0 ? template[i..] : name)})";
                return null;
            }

            result.Append(match.Groups[name].Value);
            i = close + 1;
        }

        return result.ToString();
    }
}
