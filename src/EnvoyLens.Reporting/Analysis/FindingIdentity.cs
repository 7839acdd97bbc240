using System.Security.Cryptography;
using System.Text;
using EnvoyLens.Core;

namespace EnvoyLens.Reporting.Analysis;

/// <summary>
/// What makes two findings "the same" across runs, for <c>--baseline</c> and SARIF fingerprints: rule id, resource
/// kind and name, JSON pointer and the message arguments. Not the severity (users override it), not the wording, not
/// the source path (captures move).
/// </summary>
public static class FindingIdentity
{
    public static string Of(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return Of(finding.RuleId, finding.Resource?.Kind.ToString(), finding.Resource?.Name, finding.Pointer.Value, finding.Arguments);
    }

    public static string Of(string ruleId, string? resourceKind, string? resourceName, string pointer, IEnumerable<KeyValuePair<string, string>> arguments)
    {
        var sb = new StringBuilder();
        sb.Append(ruleId).Append('\u001f').Append(resourceKind).Append('\u001f').Append(resourceName).Append('\u001f').Append(pointer);
        foreach (var (key, value) in arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            sb.Append('\u001f').Append(key).Append('=').Append(value);
        }

        return sb.ToString();
    }

    /// <summary>A short stable hash of the identity (SARIF <c>partialFingerprints</c>).</summary>
    public static string Fingerprint(Finding finding) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Of(finding))))[..32];
}
