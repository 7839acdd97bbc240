using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Scan;

/// <summary>
/// <c>envoylens scan</c>'s table: one row per pod (POD, NAMESPACE, PROXY, STATE, ERRORS, WARNINGS, SOONEST CERT EXPIRY,
/// TOP FINDING), then why each unread pod could not be read, a summary line, and the mesh-wide findings.
/// </summary>
public static class ScanTableRenderer
{
    private static readonly string[] Headers = ["POD", "NAMESPACE", "PROXY", "STATE", "ERRORS", "WARNINGS", "SOONEST CERT EXPIRY", "TOP FINDING"];

    public static string Render(ScanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var output = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var lines = new List<IReadOnlyList<string>> { Headers };
        foreach (var pod in result.Pods)
        {
            lines.Add(
            [
                pod.Name,
                pod.Namespace,
                Proxy(pod),
                pod.State,
                pod.WasRead ? Number(pod.Count(Severity.Error)) : "-",
                pod.WasRead ? Number(pod.Count(Severity.Warning)) : "-",
                Expiry(pod.SoonestCertExpiry, result.At),
                TopFinding(pod),
            ]);
        }

        if (result.Pods.Count > 0)
        {
            TabWriter.Write(output, lines, 3);
        }
        else
        {
            output.Write("No pods with a proxy were found.\n");
        }

        var unread = result.Pods.Where(p => !p.WasRead).ToList();
        if (unread.Count > 0)
        {
            output.Write("\nNot read:\n");
            foreach (var pod in unread)
            {
                output.Write($"  {pod.Key}: {pod.Reason}\n");
            }
        }

        output.Write("\n" + Summary(result) + "\n");
        var mesh = MeshAnalysis.Of(result.Pods);
        if (mesh.Count > 0)
        {
            output.Write("\nMesh-wide:\n");
            foreach (var finding in mesh)
            {
                var names = finding.Pods.Count <= 5 ? string.Join(", ", finding.Pods) : string.Join(", ", finding.Pods.Take(5)) + $", ... ({Number(finding.Pods.Count - 5)} more)";
                output.Write($"  {finding.Message}\n");
                if (finding.Kind == MeshAnalysis.Rule)
                {
                    output.Write($"    {names}\n");
                }
            }
        }

        return output.ToString();
    }

    /// <summary>The summary sentence: pods read and not, skipped, findings, and whether the scan was interrupted.</summary>
    public static string Summary(ScanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var read = result.Pods.Count(p => p.WasRead);
        var text = $"{Pods(result.Pods.Count)} with a proxy: {Number(read)} read, {Number(result.FailedCount)} could not be read; " +
                   $"{Number(result.Count(Severity.Error))} errors, {Number(result.Count(Severity.Warning))} warnings, {Number(result.Count(Severity.Info))} info; " +
                   $"{Pods(result.WithoutProxy)} without a proxy skipped.";
        if (result.Scope.ShardCount is { } n && result.Scope.ShardIndex is { } i)
        {
            text += $" Shard {Number(i)}/{Number(n)}.";
        }

        if (result.Interrupted)
        {
            text += $" Interrupted: {Number(result.Pods.Count)} of {Pods(result.Planned)} scanned.";
        }

        return text;
    }

    private static string Proxy(ScanPod pod) =>
        pod.ProxyKind is null ? "-" : pod.Version is null ? pod.ProxyKind : pod.ProxyKind + " " + pod.Version;

    private static string TopFinding(ScanPod pod)
    {
        if (!pod.WasRead || pod.Findings.Count == 0)
        {
            return "-";
        }

        var top = pod.Findings[0];
        return top.Resource is null ? top.RuleId : top.RuleId + " " + top.Resource;
    }

    /// <summary>The expiry as <c>2026-11-21T10:00:00Z</c>, with <c>(expired)</c> when it is before <paramref name="at"/>.</summary>
    public static string Expiry(DateTimeOffset? expiry, DateTimeOffset at) => expiry is not { } e
        ? "-"
        : e.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + (e <= at ? " (expired)" : string.Empty);

    private static string Pods(int n) => Number(n) + (n == 1 ? " pod" : " pods");

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
