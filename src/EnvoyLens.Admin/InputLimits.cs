using System.Globalization;
using EnvoyLens.Core;

namespace EnvoyLens.Admin;

/// <summary>
/// The sizes EnvoyLens reads, checked before the bytes are: one document is at most <see cref="MaxDocumentBytes"/>;
/// one that is not JSON (YAML, text, or anything else) at most <see cref="MaxTextBytes"/>, decided from its first
/// bytes, so a huge file of NULs or text is refused at once instead of exhausting memory on the way.
/// </summary>
public static class InputLimits
{
    /// <summary>The largest document read (2 GiB less a little: the largest byte array .NET holds).</summary>
    public static readonly long MaxDocumentBytes = Array.MaxLength;

    /// <summary>The largest document read whose first bytes are not JSON (YAML and text are parsed as strings: 256 MiB).</summary>
    public const long MaxTextBytes = 256L << 20;

    /// <summary>How many leading bytes decide whether a document is JSON.</summary>
    internal const int SniffBytes = 4096;

    /// <summary>
    /// Refuses a document of <paramref name="length"/> bytes starting with <paramref name="head"/> that is over the
    /// limits; one sentence naming <paramref name="shown"/>, the size and the limit.
    /// </summary>
    public static void Check(ReadOnlySpan<byte> head, long length, string shown)
    {
        if (length > MaxDocumentBytes)
        {
            throw new EnvoyLensException(
                $"{shown} is {Bytes(length)}, over the {Bytes(MaxDocumentBytes)} EnvoyLens reads of one document.");
        }

        if (length > MaxTextBytes && !LooksLikeJson(head))
        {
            throw new EnvoyLensException(
                $"{shown} is not JSON (it starts with {Describe(head)}) and, at {Bytes(length)}, is over the 256 MiB EnvoyLens reads of input that is not JSON.");
        }
    }

    /// <summary>True when the first byte after a BOM and whitespace opens a JSON object or array.</summary>
    internal static bool LooksLikeJson(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        var first = head.IndexOfAnyExcept(" \t\r\n"u8);
        return first >= 0 && head[first] is (byte)'{' or (byte)'[';
    }

    private static string Describe(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return "a gzip header";
        }

        var first = head.IndexOfAnyExcept(" \t\r\n"u8);
        return first < 0 ? "nothing but whitespace" : head[first] == 0 ? "NUL bytes" : head[first] < 0x20 ? "binary data" : "text";
    }

    internal static string Bytes(long bytes) =>
        bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

    /// <summary>
    /// Reads the file at <paramref name="path"/> whole, checking the limits on its size and first bytes before the rest
    /// is read: a regular file exactly as large as it was when opened; a stream without a size (a pipe) until its end,
    /// refused once it passes the limit.
    /// </summary>
    public static byte[] ReadFile(string path, string shown)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var known = stream.CanSeek ? stream.Length : -1;
            var head = new byte[SniffBytes];
            var headLength = ReadAtMost(stream, head);
            var sized = known >= 0 ? known : headLength;
            Check(head.AsSpan(0, headLength), sized, shown);
            if (known >= 0)
            {
                // A regular file: exactly the size stat gave, in one array.
                var content = new byte[Math.Max(known, headLength)];
                head.AsSpan(0, headLength).CopyTo(content);
                if (content.Length > headLength)
                {
                    stream.ReadExactly(content, headLength, content.Length - headLength);
                }

                return content;
            }

            // A pipe or device without a size: until the end, within the limits.
            using var rest = new MemoryStream(SniffBytes * 4);
            rest.Write(head, 0, headLength);
            var buffer = new byte[1 << 16];
            var limit = LooksLikeJson(head.AsSpan(0, headLength)) ? MaxDocumentBytes : MaxTextBytes;
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                if (rest.Length + read > limit)
                {
                    Check(head.AsSpan(0, headLength), rest.Length + read, shown);
                }

                rest.Write(buffer, 0, read);
            }

            return rest.ToArray();
        }
        catch (EndOfStreamException ex)
        {
            throw new EnvoyLensException($"{shown} became shorter while it was read; read it again when nothing writes to it.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EnvoyLensException($"{shown} cannot be read ({ex.Message.TrimEnd('.')}).", ex);
        }
    }

    private static int ReadAtMost(Stream stream, byte[] buffer)
    {
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        return total;
    }
}
