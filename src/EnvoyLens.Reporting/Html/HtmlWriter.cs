using System.Globalization;
using System.Text;

namespace EnvoyLens.Reporting.Html;

/// <summary>
/// The one way HTML is written: element names and attribute names are the caller's constants, every text and every
/// attribute value goes through <see cref="Escape"/>. Nothing taken from a capture can become markup, so a resource
/// named <c>&lt;script&gt;</c> is shown as text. <see cref="Markup"/> takes only the fixed strings of this assembly
/// (style sheet, script), never data.
/// </summary>
public sealed class HtmlWriter
{
    private readonly StringBuilder _sb = new();

    /// <summary>The text with <c>&amp; &lt; &gt; " '</c> replaced by their character references: safe as text and as a quoted attribute value.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            } ?? c.ToString());
        }

        return sb.ToString();
    }

    /// <summary>A number as the page shows it (invariant culture, at most two decimals).</summary>
    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Opens <paramref name="tag"/> with the attributes whose value is not null (values escaped).</summary>
    public HtmlWriter Open(string tag, params (string Name, string? Value)[] attributes)
    {
        _sb.Append('<').Append(tag);
        Attributes(attributes);
        _sb.Append('>');
        return this;
    }

    /// <summary>An element without content (<c>&lt;input&gt;</c>, <c>&lt;line/&gt;</c> in SVG).</summary>
    public HtmlWriter Void(string tag, params (string Name, string? Value)[] attributes)
    {
        _sb.Append('<').Append(tag);
        Attributes(attributes);
        _sb.Append(tag is "input" or "meta" or "br" ? ">" : "/>");
        return this;
    }

    public HtmlWriter Close(string tag)
    {
        _sb.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>Escaped text.</summary>
    public HtmlWriter Text(string? text)
    {
        _sb.Append(Escape(text));
        return this;
    }

    /// <summary><c>&lt;tag attrs&gt;text&lt;/tag&gt;</c>, the text escaped.</summary>
    public HtmlWriter Element(string tag, string? text, params (string Name, string? Value)[] attributes) =>
        Open(tag, attributes).Text(text).Close(tag);

    /// <summary>A line break in the source, to keep the file readable.</summary>
    public HtmlWriter Line()
    {
        _sb.Append('\n');
        return this;
    }

    /// <summary>Fixed markup of this assembly (never data).</summary>
    internal HtmlWriter Markup(string markup)
    {
        _sb.Append(markup);
        return this;
    }

    public override string ToString() => _sb.ToString();

    private void Attributes((string Name, string? Value)[] attributes)
    {
        foreach (var (name, value) in attributes)
        {
            if (value is not null)
            {
                _sb.Append(' ').Append(name).Append("=\"").Append(Escape(value)).Append('"');
            }
        }
    }
}
