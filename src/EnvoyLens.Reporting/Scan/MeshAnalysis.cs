using System.Globalization;
using EnvoyLens.Core;

namespace EnvoyLens.Reporting.Scan;

/// <summary>
/// The mesh-wide findings of a scan, computed from its rows alone (so a merge of shards finds the same): rules failing on
/// two pods or more ranked by pod count, proxies of one kind running different versions, proxies trusting different
/// root sets, and replicas of one workload whose configuration differs.
/// </summary>
public static class MeshAnalysis
{
    public const string Rule = "rule";
    public const string VersionSkew = "version-skew";
    public const string TrustRoots = "trust-roots";
    public const string ReplicaConfig = "replica-config";

    public static IReadOnlyList<MeshFinding> Of(IReadOnlyList<ScanPod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var read = pods.Where(p => p.WasRead).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var found = new List<MeshFinding>();

        var byRule = read
            .SelectMany(p => p.Findings.Select(f => (f.RuleId, f.Severity, Pod: p.Key)))
            .GroupBy(x => x.RuleId, StringComparer.Ordinal)
            .Select(g => (Rule: g.Key, Severity: g.Max(x => x.Severity), Pods: g.Select(x => x.Pod).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()))
            .Where(g => g.Pods.Count >= 2)
            .OrderByDescending(g => g.Pods.Count)
            .ThenBy(g => g.Rule, StringComparer.Ordinal);
        foreach (var (rule, severity, names) in byRule)
        {
            found.Add(new MeshFinding(Rule, rule, $"{rule} ({Level(severity)}) fails on {names.Count.ToString(CultureInfo.InvariantCulture)} of {Pods(read.Count)} read.", names));
        }

        foreach (var kind in read.Where(p => p.ProxyKind is not null && p.Version is not null).GroupBy(p => p.ProxyKind!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (OddOnesOut(kind, p => p.Version!) is { } odd)
            {
                found.Add(new MeshFinding(VersionSkew, kind.Key, $"{kind.Key} proxies run {odd.Groups.Count} versions: {Describe(odd.Groups)}.", odd.Pods));
            }
        }

        var trusting = read.Where(p => p.TrustRoots.Count > 0).ToList();
        if (OddOnesOut(trusting, p => string.Join(", ", p.TrustRoots)) is { } roots)
        {
            found.Add(new MeshFinding(TrustRoots, "mesh", $"proxies trust {roots.Groups.Count} different root sets: {Describe(roots.Groups)}.", roots.Pods));
        }

        foreach (var workload in read.Where(p => p.Workload is not null && p.ConfigFingerprint is not null)
            .GroupBy(p => p.Namespace + "/" + p.Workload, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (OddOnesOut(workload, p => p.ConfigFingerprint!) is { } odd)
            {
                var members = workload.Count();
                found.Add(new MeshFinding(ReplicaConfig, workload.Key,
                    $"{workload.Key}: {members.ToString(CultureInfo.InvariantCulture)} replicas with {odd.Groups.Count.ToString(CultureInfo.InvariantCulture)} different configurations; {string.Join(", ", odd.Pods)} differ{(odd.Pods.Count == 1 ? "s" : string.Empty)} from the others.",
                    odd.Pods));
            }
        }

        return found;
    }

    /// <summary>The groups of <paramref name="pods"/> by <paramref name="key"/> (largest first) and the pods outside the largest; null when all agree.</summary>
    private static (IReadOnlyList<(string Value, int Count)> Groups, IReadOnlyList<string> Pods)? OddOnesOut(IEnumerable<ScanPod> pods, Func<ScanPod, string> key)
    {
        var groups = pods.GroupBy(key, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        if (groups.Count < 2)
        {
            return null;
        }

        var odd = groups.Skip(1).SelectMany(g => g.Select(p => p.Key)).Order(StringComparer.Ordinal).ToList();
        return (groups.Select(g => (g.Key, g.Count())).ToList(), odd);
    }

    private static string Describe(IReadOnlyList<(string Value, int Count)> groups) =>
        string.Join("; ", groups.Select(g => $"{g.Value} on {Pods(g.Count)}"));

    private static string Pods(int n) => n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " pod" : " pods");

    private static string Level(Severity s) => s.ToString().ToLowerInvariant();
}
