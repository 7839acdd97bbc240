using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EnvoyLens.Reporting.Rendering;

/// <summary>
/// How every JSON document EnvoyLens prints is written: indented by two spaces, <c>\n</c> line ends, characters
/// outside ASCII as they are (not <c>\u</c> escapes), and one newline after the document.
/// </summary>
public static class JsonOutput
{
    /// <summary>The writer settings of every printed JSON document.</summary>
    public static JsonWriterOptions Options { get; } = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The document <paramref name="body"/> writes, followed by a newline.</summary>
    public static string Write(Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            body(w);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
