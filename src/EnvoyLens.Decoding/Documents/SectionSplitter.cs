using System.Text.Json;
using EnvoyLens.Decoding.Normalize;

namespace EnvoyLens.Decoding.Documents;

/// <summary>
/// Splits one config dump section object into a shell — the object with its repeated fields of dynamic entries
/// emptied — and the byte ranges of those fields' elements, in one forward pass without a tree. Each element can then
/// be read, mapped and dropped on its own, so a section of thousands of clusters is never held as one message tree.
/// </summary>
internal static class SectionSplitter
{
    private static readonly byte[] EmptyArray = "[]"u8.ToArray();

    private static JsonReaderOptions Options => new()
    {
        // The layout pass has refused comments already; not looking for them is the reader's fast path.
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = true,
        MaxDepth = 256,
    };

    /// <summary>One element of a streamed field.</summary>
    /// <param name="Field">The index of its field in the section's <see cref="StreamedField"/> list.</param>
    /// <param name="Key">The field's key as the document spells it (proto or JSON name), for pointers.</param>
    /// <param name="Index">Its index in the array.</param>
    /// <param name="Offset">Byte offset of the element's opening brace in the section.</param>
    /// <param name="Length">Byte length of the element, closing brace included.</param>
    internal readonly record struct Element(int Field, string Key, int Index, int Offset, int Length);

    /// <summary>A split section.</summary>
    /// <param name="Shell">The section's bytes with each streamed field's array emptied (<c>[]</c>).</param>
    /// <param name="Fields">The section type's streamed fields.</param>
    /// <param name="Elements">The elements, field by field in <paramref name="Fields"/> order, each in array order.</param>
    internal sealed record Split(byte[] Shell, IReadOnlyList<StreamedField> Fields, IReadOnlyList<Element> Elements)
    {
        /// <summary>How many elements are read (in parallel when there are cores for it) before they are used.</summary>
        private const int Batch = 64;

        /// <summary>
        /// Reads every element with <paramref name="read"/>, a batch at a time across the cores, and hands each result
        /// to <paramref name="use"/> in document order on the calling thread, which uses one batch while the cores read
        /// the next: at most two batches of results are alive at a time, and what <paramref name="use"/> sees is the
        /// same on every run. <paramref name="read"/> must be thread-safe and share no state with
        /// <paramref name="use"/>; the first exception it throws is rethrown as itself.
        /// </summary>
        public void ForEachElement<T>(Func<Element, T> read, Action<Element, T> use)
        {
            if (Environment.ProcessorCount == 1)
            {
                foreach (var element in Elements)
                {
                    use(element, read(element));
                }

                return;
            }

            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
            T[] ReadBatch(int first)
            {
                var results = new T[Math.Min(Batch, Elements.Count - first)];
                Parallel.For(0, results.Length, parallel, i => results[i] = read(Elements[first + i]));
                return results;
            }

            var next = Elements.Count > 0 ? Task.Run(() => ReadBatch(0)) : null;
            for (var start = 0; next is not null; start += Batch)
            {
                T[] results;
                try
                {
                    results = next.GetAwaiter().GetResult();
                }
                catch (AggregateException e) when (e.Flatten().InnerExceptions.Count > 0)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
                    throw;
                }

                var following = start + Batch;
                next = following < Elements.Count ? Task.Run(() => ReadBatch(following)) : null;
                for (var i = 0; i < results.Length; i++)
                {
                    var result = results[i];
                    results[i] = default!;
                    use(Elements[start + i], result);
                }
            }
        }
    }

    /// <summary>
    /// The split of <paramref name="section"/>, or null when it is to be read whole: not a JSON object, no top-level
    /// <c>@type</c> string of a type with streamed fields (or <c>@type</c> given twice), a streamed field given twice (under either of its names), a
    /// streamed array holding something other than objects, or JSON that does not parse (the reader of the whole
    /// section reports that as it always has).
    /// </summary>
    public static Split? TrySplit(ReadOnlyMemory<byte> section, Func<string, IReadOnlyList<StreamedField>?> fieldsOf)
    {
        try
        {
            return Scan(section.Span, fieldsOf);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Malformed JSON, or a key that is not valid text (an escaped lone surrogate): the whole-section reader
            // reports it as it always has.
            return null;
        }
    }

    /// <summary>
    /// The split of a config dump entry: from the <see cref="Outline"/> the layout pass recorded when the entry is
    /// read as it stands in the document (<paramref name="prepared"/> is <paramref name="original"/>), which spares a
    /// pass over it; otherwise (a rewritten v2-era entry, or no outline) by <see cref="TrySplit"/>.
    /// </summary>
    public static Split? Of(ConfigEntry entry, ReadOnlyMemory<byte> original, ReadOnlyMemory<byte> prepared, Func<string, IReadOnlyList<StreamedField>?> fieldsOf) =>
        entry.Outline is { } outline && prepared.Equals(original)
            ? Build(prepared.Span, outline, fieldsOf)
            : TrySplit(prepared, fieldsOf);

    private static Split? Scan(ReadOnlySpan<byte> json, Func<string, IReadOnlyList<StreamedField>?> fieldsOf)
    {
        var r = new Utf8JsonReader(json, Options);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var outline = new Outline();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var key = r.GetString()!;
            r.Read();
            outline.Record(ref r, key, 0);
            if (key == "@type" && outline.TypeUrl is { } typeUrl && fieldsOf(typeUrl) is null)
            {
                // A section that is only read whole (bootstrap, scoped routes, ...): no need to walk the rest.
                return null;
            }
        }

        return Build(json, outline, fieldsOf);
    }

    private static Split? Build(ReadOnlySpan<byte> json, Outline outline, Func<string, IReadOnlyList<StreamedField>?> fieldsOf)
    {
        var keys = outline.Keys;

        // A type given twice is read whole: the reader and this pass must agree on the one the section is.
        if (outline.TypeUrl is not { } typeUrl || keys.Count(k => k == "@type") > 1 || fieldsOf(typeUrl) is not { } fields)
        {
            return null;
        }

        var chosen = new List<(int Field, Array Array)>();
        for (var f = 0; f < fields.Count; f++)
        {
            var field = fields[f];
            if (keys.Count(k => k == field.Name || k == field.JsonName) > 1)
            {
                return null;
            }

            foreach (var array in outline.Arrays)
            {
                if (array.Key == field.Name || array.Key == field.JsonName)
                {
                    if (!array.OnlyObjects)
                    {
                        return null;
                    }

                    chosen.Add((f, array));
                }
            }
        }

        var elements = new List<Element>();
        foreach (var (field, array) in chosen)
        {
            for (var i = 0; i < array.Elements.Count; i++)
            {
                elements.Add(new Element(field, array.Key, i, array.Elements[i].Offset, array.Elements[i].Length));
            }
        }

        return new Split(Shell(json, chosen.Select(c => c.Array).OrderBy(a => a.Offset).ToList()), fields, elements);
    }

    private static byte[] Shell(ReadOnlySpan<byte> json, List<Array> emptied)
    {
        var length = json.Length - emptied.Sum(a => a.Length - EmptyArray.Length);
        var shell = new byte[length];
        var from = 0;
        var to = 0;
        foreach (var array in emptied)
        {
            json[from..array.Offset].CopyTo(shell.AsSpan(to));
            to += array.Offset - from;
            EmptyArray.CopyTo(shell.AsSpan(to));
            to += EmptyArray.Length;
            from = array.Offset + array.Length;
        }

        json[from..].CopyTo(shell.AsSpan(to));
        return shell;
    }

    /// <summary>An array at the top level of a section, with the byte ranges of its objects (relative to the section).</summary>
    internal sealed record Array(string Key, int Offset, int Length, List<(int Offset, int Length)> Elements, bool OnlyObjects);

    /// <summary>
    /// What one forward pass over a section's top-level properties records for splitting it: every key, the value of
    /// the last <c>@type</c> string, and each array value with its objects' ranges. The layout pass records one for
    /// each config entry as it walks past it (<see cref="ConfigEntry.Outline"/>), so the split needs no pass of its own.
    /// </summary>
    internal sealed class Outline
    {
        public List<string> Keys { get; } = [];

        public string? TypeUrl { get; private set; }

        public List<Array> Arrays { get; } = [];

        /// <summary>
        /// Records the property <paramref name="key"/> whose value is the current token and moves past that value
        /// (onto its last token). <paramref name="sectionStart"/> is the reader's index of the section's opening
        /// brace. False when the input ends inside the value (a reader over part of a document).
        /// </summary>
        public bool Record(ref Utf8JsonReader r, string key, long sectionStart)
        {
            Keys.Add(key);
            if (key == "@type" && r.TokenType == JsonTokenType.String)
            {
                TypeUrl = r.GetString();
                return true;
            }

            if (r.TokenType != JsonTokenType.StartArray)
            {
                return r.TokenType is not JsonTokenType.StartObject || r.TrySkip();
            }

            var start = (int)(r.TokenStartIndex - sectionStart);
            var elements = new List<(int Offset, int Length)>();
            var onlyObjects = true;
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                var offset = (int)(r.TokenStartIndex - sectionStart);
                var isObject = r.TokenType == JsonTokenType.StartObject;
                onlyObjects &= isObject;
                if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !r.TrySkip())
                {
                    return false;
                }

                if (isObject)
                {
                    elements.Add((offset, (int)(r.BytesConsumed - sectionStart) - offset));
                }
            }

            if (r.TokenType != JsonTokenType.EndArray)
            {
                return false;
            }

            Arrays.Add(new Array(key, start, (int)(r.BytesConsumed - sectionStart) - start, elements, onlyObjects));
            return true;
        }
    }
}
