using System.Text;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Rendering;

namespace EnvoyLens.Reporting.Analysis;

/// <summary>
/// <c>envoylens analyze -o sarif</c>: one SARIF 2.1.0 run. <c>tool.driver.rules</c> comes from the descriptors of the
/// rules that ran (id order, so <c>ruleIndex</c> is stable); each result carries its rule id and index, level
/// (error / warning / note), message, a physical location (the source document) and a logical location (resource kind
/// and name, the JSON pointer as <c>fullyQualifiedName</c>), a fingerprint of its <see cref="FindingIdentity"/>, and the
/// arguments and evidence as properties. Results keep report order.
/// </summary>
public static class SarifRenderer
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
    public const string ToolName = "envoylens";
    public const string FingerprintKey = "envoylens/identity/v1";

    public static string Render(AnalysisResult result, string toolVersion) => Render(result, toolVersion, new SarifOptions());

    public static string Render(AnalysisResult result, string toolVersion, SarifOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var rules = result.Descriptors.OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        var index = rules.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonOutput.Options))
        {
            w.WriteStartObject();
            w.WriteString("$schema", SchemaUri);
            w.WriteString("version", "2.1.0");
            w.WriteStartArray("runs");
            w.WriteStartObject();
            WriteTool(w, rules, toolVersion);
            w.WriteString("columnKind", "unicodeCodePoints");
            w.WriteStartArray("results");
            foreach (var f in result.Findings)
            {
                var source = f.Source ?? result.Origin;
                var region = f.Source is not null && options.Regions.TryGetValue(f.Source, out var regions) && regions.TryGetValue(f.Pointer.Value, out var r) ? r : (SourceRegion?)null;
                WriteResult(w, f, index.TryGetValue(f.RuleId, out var i) ? i : -1, ArtifactUri(source, options.Root), region);
            }

            w.WriteEndArray();
            w.WriteStartObject("properties");
            w.WriteString("origin", result.Origin);
            w.WriteStartObject("ruleStatus");
            foreach (var r in result.Rules)
            {
                w.WriteString(r.Id, r.Status);
            }

            w.WriteEndObject();
            if (result.Baseline is not null)
            {
                w.WriteString("baseline", result.Baseline);
                w.WriteNumber("baselineSuppressed", result.BaselineSuppressed);
            }

            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>SARIF's level for a severity: error, warning or note.</summary>
    public static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    /// <summary>A rule's SARIF <c>name</c>: its title in PascalCase (<c>RouteTargetsAClusterThatDoesNotExist</c>).</summary>
    public static string RuleName(RuleDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var sb = new StringBuilder();
        foreach (var word in descriptor.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var letters = new string(word.Where(char.IsAsciiLetterOrDigit).ToArray());
            if (letters.Length > 0)
            {
                sb.Append(char.ToUpperInvariant(letters[0])).Append(letters.AsSpan(1));
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// A URI reference for a finding's source: <c>file:</c> URIs for absolute paths, escaped relative references for
    /// the rest (bundle members, admin paths such as <c>/init_dump</c>).
    /// </summary>
    public static string ArtifactUri(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Path.IsPathFullyQualified(source) && Uri.TryCreate(source, UriKind.Absolute, out var absolute) && absolute.IsFile)
        {
            return absolute.AbsoluteUri;
        }

        return string.Join('/', source.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
    }

    /// <summary>
    /// A URI reference for a finding's source as read from <paramref name="root"/>: an <c>http(s)</c> admin URL as it is;
    /// a path (a file, a bundle member) relative to <paramref name="root"/> when it lies inside it, else a <c>file:</c> URI.
    /// Without a root, as <see cref="ArtifactUri(string)"/>.
    /// </summary>
    public static string ArtifactUri(string source, string? root)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Uri.TryCreate(source, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return url.AbsoluteUri;
        }

        if (root is null)
        {
            return ArtifactUri(source);
        }

        var full = Path.GetFullPath(source, root);
        var relative = Path.GetRelativePath(root, full);
        return Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) ||
               relative.StartsWith("../", StringComparison.Ordinal)
            ? ArtifactUri(full)
            : ArtifactUri(relative);
    }

    private static void WriteTool(Utf8JsonWriter w, IReadOnlyList<RuleDescriptor> rules, string toolVersion)
    {
        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", ToolName);
        w.WriteString("version", toolVersion);
        w.WriteString("semanticVersion", toolVersion);
        w.WriteStartArray("rules");
        foreach (var d in rules)
        {
            w.WriteStartObject();
            w.WriteString("id", d.Id);
            w.WriteString("name", RuleName(d));
            Text(w, "shortDescription", d.Title);
            Text(w, "fullDescription", d.Rationale);
            w.WriteStartObject("help");
            w.WriteString("text", d.Remediation);
            w.WriteString("markdown", $"**Why it matters.** {d.Rationale}\n\n**How to fix it.** {d.Remediation}" + (d.Example is null ? "" : $"\n\n**Example.** {d.Example}"));
            w.WriteEndObject();
            w.WriteStartObject("messageStrings");
            Text(w, "default", d.MessageTemplate);
            w.WriteEndObject();
            w.WriteStartObject("defaultConfiguration");
            w.WriteString("level", Level(d.DefaultSeverity));
            w.WriteBoolean("enabled", d.EnabledByDefault);
            w.WriteEndObject();
            w.WriteStartObject("properties");
            w.WriteString("category", d.Category.ToString().ToLowerInvariant());
            w.WriteStartArray("tags");
            w.WriteStringValue(d.Category.ToString().ToLowerInvariant());
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter w, Finding f, int ruleIndex, string uri, SourceRegion? region)
    {
        w.WriteStartObject();
        w.WriteString("ruleId", f.RuleId);
        if (ruleIndex >= 0)
        {
            w.WriteNumber("ruleIndex", ruleIndex);
        }

        w.WriteString("level", Level(f.Severity));
        Text(w, "message", f.Message);
        w.WriteStartArray("locations");
        w.WriteStartObject();
        w.WriteStartObject("physicalLocation");
        w.WriteStartObject("artifactLocation");
        w.WriteString("uri", uri);
        w.WriteEndObject();
        if (region is { } r)
        {
            w.WriteStartObject("region");
            w.WriteNumber("startLine", r.Line);
            w.WriteNumber("startColumn", r.Column);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartArray("logicalLocations");
        w.WriteStartObject();
        w.WriteString("name", f.Resource?.Name ?? "proxy");
        if (!f.Pointer.IsRoot)
        {
            w.WriteString("fullyQualifiedName", f.Pointer.Value);
        }

        w.WriteString("kind", f.Resource?.Kind.ToString() ?? "Proxy");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("partialFingerprints");
        w.WriteString(FingerprintKey, FindingIdentity.Fingerprint(f));
        w.WriteEndObject();
        w.WriteStartObject("properties");
        w.WriteString("pointer", f.Pointer.Value);
        w.WriteString("remediation", f.Remediation);
        AnalysisJsonRenderer.WriteMap(w, "arguments", f.Arguments);
        AnalysisJsonRenderer.WriteMap(w, "evidence", f.Evidence);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Text(Utf8JsonWriter w, string name, string text)
    {
        w.WriteStartObject(name);
        w.WriteString("text", text);
        w.WriteEndObject();
    }
}

/// <summary>
/// How <see cref="SarifRenderer"/> places results: artifact URIs relative to <see cref="Root"/> (an absolute directory;
/// null keeps paths as given), and the region of each finding by source and JSON pointer (<see cref="SourceRegions"/>).
/// </summary>
public sealed record SarifOptions
{
    public string? Root { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, SourceRegion>> Regions { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, SourceRegion>>(StringComparer.Ordinal);
}
