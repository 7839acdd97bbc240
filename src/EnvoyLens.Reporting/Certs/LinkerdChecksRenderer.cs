using System.Globalization;
using System.Text;
using EnvoyLens.Certs.Checks;
using EnvoyLens.Reporting.Rendering;

namespace EnvoyLens.Reporting.Certs;

/// <summary><c>envoylens certs linkerd</c>: <c>linkerd check</c>'s identity checks, one line each, as text or JSON.</summary>
public static class LinkerdChecksRenderer
{
    /// <summary>The JSON schema name.</summary>
    public const string Schema = "envoylens-linkerd-identity/v1";

    /// <summary>True when no check failed (warnings pass, as with <c>linkerd check</c>).</summary>
    public static bool Passed(IReadOnlyList<LinkerdCheck> checks) => checks.All(c => c.Status != CheckStatus.Failed);

    /// <summary>The checks under <c>linkerd check</c>'s section heading, each <c>✔|‼|✖ name — sentence</c>, then the verdict.</summary>
    public static string Text(IReadOnlyList<LinkerdCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var sb = new StringBuilder("linkerd-identity\n----------------\n");
        foreach (var c in checks)
        {
            sb.Append(Mark(c.Status)).Append(' ').Append(c.Name).Append(" — ").Append(c.Sentence).Append('\n');
        }

        var failed = checks.Count(c => c.Status == CheckStatus.Failed);
        var warned = checks.Count(c => c.Status == CheckStatus.Warning);
        sb.Append('\n').Append(failed > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Status check results are ✖ ({failed} of {checks.Count} checks failed)\n")
            : warned > 0
                ? string.Create(CultureInfo.InvariantCulture, $"Status check results are ✔ ({warned} warning(s))\n")
                : "Status check results are ✔\n");
        return sb.ToString();
    }

    /// <summary><c>-o json</c>: <c>{"schema", "identityDomain", "at", "passed", "checks": [{"name", "status", "message"}]}</c>.</summary>
    public static string Json(IReadOnlyList<LinkerdCheck> checks, string identityDomain, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(checks);
        return JsonOutput.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("identityDomain", identityDomain);
            w.WriteString("at", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteBoolean("passed", Passed(checks));
            w.WriteStartArray("checks");
            foreach (var c in checks)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("status", c.Status switch { CheckStatus.Passed => "passed", CheckStatus.Warning => "warning", _ => "failed" });
                w.WriteString("message", c.Sentence);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static string Mark(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "✔",
        CheckStatus.Warning => "‼",
        _ => "✖",
    };
}
