using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using EnvoyLens.Core;

namespace EnvoyLens.Admin;

/// <summary>What a bundle was captured from (see BUNDLE.md).</summary>
/// <param name="Kind"><c>pod</c>, <c>admin</c> (an admin URL) or <c>file</c>.</param>
public sealed record BundleTarget(string Kind, string? Name, string? Container, int? Port, string? Url);

/// <summary>One captured file of a bundle.</summary>
/// <param name="Endpoint">An endpoint name of <see cref="BundleManifest.EndpointNames"/> (<c>config_dump</c>, <c>clusters</c>, ...).</param>
/// <param name="Path">Relative path inside the bundle, with <c>/</c> separators.</param>
/// <param name="Url">The admin path and query it was read from, e.g. <c>/config_dump?include_eds</c>.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the file's bytes.</param>
/// <param name="Bytes">The file's size in bytes.</param>
public sealed record BundleFile(string Endpoint, string Path, string? Url, DateTimeOffset? CapturedAt, string Sha256, long Bytes)
{
    /// <summary>Describes <paramref name="content"/> stored at <paramref name="path"/>, computing its hash and size.</summary>
    public static BundleFile For(string endpoint, string path, byte[] content, string? url = null, DateTimeOffset? capturedAt = null) =>
        new(endpoint, path, url, capturedAt, BundleManifest.Sha256Hex(content), content.LongLength);
}

/// <summary>A part of a file that was replaced before the bundle was written.</summary>
public sealed record BundleRedaction(string File, string Pointer);

/// <summary>
/// The <c>manifest.json</c> of an EnvoyLens snapshot bundle, format <c>envoylens-bundle/v1</c> (see BUNDLE.md):
/// reading with one-sentence errors, and deterministic writing.
/// </summary>
public sealed record BundleManifest(
    string Format,
    string? Tool,
    BundleTarget? Target,
    string? EnvoyVersion,
    DateTimeOffset? CapturedAt,
    IReadOnlyList<BundleFile> Files,
    IReadOnlyList<BundleRedaction> Redactions)
{
    /// <summary>The proxy kind when it is not Envoy (<c>linkerd2-proxy</c>); null for Envoy, whose bundles do not say.</summary>
    public string? Proxy { get; init; }

    /// <summary>The version of a proxy that is not Envoy (linkerd2-proxy's <c>proxy_build_info</c>), when it was read.</summary>
    public string? ProxyVersion { get; init; }

    /// <summary>The format this reader and writer speak.</summary>
    public const string CurrentFormat = "envoylens-bundle/v1";

    /// <summary>The manifest's file name at the bundle's root.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Every endpoint name a manifest may use, in a stable order.</summary>
    public static IReadOnlyList<string> EndpointNames { get; } = AdminEndpoints.All.Select(n => n.Name).ToArray();

    /// <summary>The manifest name of an endpoint (<c>config_dump</c> for <see cref="AdminEndpoint.ConfigDump"/>).</summary>
    public static string EndpointName(AdminEndpoint endpoint) => AdminEndpoints.Of(endpoint).Name;

    /// <summary>The endpoint a manifest name stands for; false for names this version does not know.</summary>
    public static bool TryParseEndpoint(string name, out AdminEndpoint endpoint) => AdminEndpoints.TryParse(name, out endpoint);

    /// <summary>Lowercase hex SHA-256.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Reads a manifest; any problem is an <see cref="EnvoyLensException"/> naming <paramref name="source"/>.</summary>
    public static BundleManifest Read(byte[] json, string source)
    {
        // A string that is not UTF-8 would otherwise surface only when read, as an exception naming nothing.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw new EnvoyLensException($"{source} is not valid JSON: it is not UTF-8 text (a byte at offset {InvalidUtf8Offset(json).ToString(CultureInfo.InvariantCulture)} is not UTF-8).");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new EnvoyLensException($"{source} is not valid JSON (line {((ex.LineNumber ?? 0) + 1).ToString(CultureInfo.InvariantCulture)}).", ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new EnvoyLensException($"{source} is not a bundle manifest: it is not a JSON object.");
            }

            var format = Str(root, "format", source);
            if (format != CurrentFormat)
            {
                throw new EnvoyLensException(format is null
                    ? $"{source} is not a bundle manifest: it has no \"format\"."
                    : $"{source} has bundle format '{format}', but this EnvoyLens reads only '{CurrentFormat}'.");
            }

            BundleTarget? target = null;
            if (root.TryGetProperty("target", out var t) && t.ValueKind == JsonValueKind.Object)
            {
                int? port = t.TryGetProperty("port", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var pv) ? pv : null;
                target = new BundleTarget(Str(t, "kind", source) ?? "unknown", Str(t, "name", source), Str(t, "container", source), port, Str(t, "url", source));
            }

            var files = new List<BundleFile>();
            if (!root.TryGetProperty("files", out var fs) || fs.ValueKind != JsonValueKind.Array)
            {
                throw new EnvoyLensException($"{source} is not a bundle manifest: it has no \"files\" array.");
            }

            var index = 0;
            foreach (var f in fs.EnumerateArray())
            {
                var where = $"files[{index.ToString(CultureInfo.InvariantCulture)}]";
                var endpoint = Str(f, "endpoint", source) ?? throw new EnvoyLensException($"{source} {where} has no \"endpoint\".");
                var path = Str(f, "path", source) ?? throw new EnvoyLensException($"{source} {where} has no \"path\".");
                var sha = Str(f, "sha256", source) ?? throw new EnvoyLensException($"{source} {where} ({path}) has no \"sha256\".");
                if (!f.TryGetProperty("bytes", out var b) || !b.TryGetInt64(out var bytes) || bytes < 0)
                {
                    throw new EnvoyLensException($"{source} {where} ({path}) has no valid \"bytes\" size.");
                }

                files.Add(new BundleFile(endpoint, path, Str(f, "url", source), Time(f, "capturedAt", source), sha.ToLowerInvariant(), bytes));
                index++;
            }

            var redactions = new List<BundleRedaction>();
            if (root.TryGetProperty("redactions", out var rs) && rs.ValueKind == JsonValueKind.Array)
            {
                foreach (var r in rs.EnumerateArray())
                {
                    if (Str(r, "file", source) is { } file && Str(r, "pointer", source) is { } pointer)
                    {
                        redactions.Add(new BundleRedaction(file, pointer));
                    }
                }
            }

            return new BundleManifest(format, Str(root, "tool", source), target, Str(root, "envoyVersion", source), Time(root, "capturedAt", source), files, redactions)
            {
                Proxy = Str(root, "proxy", source),
                ProxyVersion = Str(root, "proxyVersion", source),
            };
        }
    }

    /// <summary>
    /// Writes the manifest as indented UTF-8 JSON with a fixed property order, files sorted by path and redactions by
    /// file then pointer, times in UTC (<c>2026-11-20T10:00:00Z</c>): the same manifest always gives the same bytes.
    /// </summary>
    public static byte[] Write(BundleManifest manifest)
    {
        using var stream = new MemoryStream();
        Write(manifest, stream);
        return stream.ToArray();
    }

    /// <inheritdoc cref="Write(BundleManifest)"/>
    public static void Write(BundleManifest manifest, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", manifest.Format);
            WriteOptional(w, "tool", manifest.Tool);
            if (manifest.Target is { } target)
            {
                w.WriteStartObject("target");
                w.WriteString("kind", target.Kind);
                WriteNullable(w, "name", target.Name);
                WriteNullable(w, "container", target.Container);
                if (target.Port is { } port)
                {
                    w.WriteNumber("port", port);
                }
                else
                {
                    w.WriteNull("port");
                }

                WriteNullable(w, "url", target.Url);
                w.WriteEndObject();
            }

            WriteOptional(w, "envoyVersion", manifest.EnvoyVersion);
            WriteOptional(w, "proxy", manifest.Proxy);
            WriteOptional(w, "proxyVersion", manifest.ProxyVersion);
            WriteOptional(w, "capturedAt", FormatTime(manifest.CapturedAt));
            w.WriteStartArray("files");
            foreach (var f in manifest.Files.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("endpoint", f.Endpoint);
                w.WriteString("path", f.Path);
                WriteOptional(w, "url", f.Url);
                WriteOptional(w, "capturedAt", FormatTime(f.CapturedAt));
                w.WriteString("sha256", f.Sha256.ToLowerInvariant());
                w.WriteNumber("bytes", f.Bytes);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("redactions");
            foreach (var r in manifest.Redactions.OrderBy(r => r.File, StringComparer.Ordinal).ThenBy(r => r.Pointer, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("file", r.File);
                w.WriteString("pointer", r.Pointer);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    internal static string? FormatTime(DateTimeOffset? time) =>
        time is { } t ? TimeText.UtcPrecise(t) : null;

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static string? Str(JsonElement obj, string name, string source)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            throw new EnvoyLensException($"{source} has \"{name}\" as a {v.ValueKind.ToString().ToLowerInvariant()}, not a string.");
        }

        try
        {
            return v.GetString();
        }
        catch (InvalidOperationException ex)
        {
            // An escaped lone surrogate ("\ud800") is valid JSON but no string.
            throw new EnvoyLensException($"{source} has \"{name}\" with an escape that is not a Unicode character.", ex);
        }
    }

    private static int InvalidUtf8Offset(ReadOnlySpan<byte> json)
    {
        System.Text.Unicode.Utf8.ToUtf16(json, new char[json.Length], out var read, out _, replaceInvalidSequences: false);
        return read;
    }

    private static DateTimeOffset? Time(JsonElement obj, string name, string source)
    {
        var text = Str(obj, name, source);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new EnvoyLensException($"{source} has \"{name}\" '{text}', which is not an ISO 8601 time.");
    }
}
