using EnvoyLens.Core;
using EnvoyLens.Reporting.Scan;

namespace EnvoyLens.Reporting.Tests.Scan;

public sealed class MeshAnalysisTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Given_proxies_on_two_versions_When_analysed_Then_the_minority_is_named_as_version_skew_per_kind()
    {
        ScanPod[] pods =
        [
            Read("a", "istio", "1.32.3"),
            Read("b", "istio", "1.32.3"),
            Read("c", "istio", "1.31.0"),
            Read("d", "consul", "1.30.1"),
            Unread("e", "istio", "1.20.0"),
        ];
        var skew = Assert.Single(MeshAnalysis.Of(pods), m => m.Kind == MeshAnalysis.VersionSkew);
        Assert.Equal(("istio", "istio proxies run 2 versions: 1.32.3 on 2 pods; 1.31.0 on 1 pod."), (skew.Subject, skew.Message));
        Assert.Equal(["ns/c"], skew.Pods);
    }

    [Fact]
    public void Given_rules_failing_on_several_pods_When_analysed_Then_they_are_ranked_by_pod_count_then_id_and_single_pod_rules_left_out()
    {
        ScanPod[] pods =
        [
            Read("a", "istio", "1", ("EL1002", Severity.Error), ("EL3006", Severity.Info)),
            Read("b", "istio", "1", ("EL1002", Severity.Error), ("EL3006", Severity.Info), ("EL3006", Severity.Info)),
            Read("c", "istio", "1", ("EL2005", Severity.Error), ("EL1002", Severity.Error), ("EL4001", Severity.Error)),
            Read("d", "istio", "1", ("EL2005", Severity.Error)),
        ];
        var rules = MeshAnalysis.Of(pods).Where(m => m.Kind == MeshAnalysis.Rule).ToList();
        Assert.Equal(["EL1002", "EL2005", "EL3006"], rules.Select(r => r.Subject));
        Assert.Equal("EL1002 (error) fails on 3 of 4 pods read.", rules[0].Message);
        Assert.Equal(["ns/a", "ns/b"], rules[2].Pods);
    }

    [Fact]
    public void Given_replicas_of_one_deployment_When_one_config_differs_Then_only_that_workload_is_named()
    {
        ScanPod[] pods =
        [
            Read("web-1", "istio", "1") with { Workload = "Deployment/web", ConfigFingerprint = "aaaa" },
            Read("web-2", "istio", "1") with { Workload = "Deployment/web", ConfigFingerprint = "aaaa" },
            Read("web-3", "istio", "1") with { Workload = "Deployment/web", ConfigFingerprint = "bbbb" },
            Read("api-1", "istio", "1") with { Workload = "Deployment/api", ConfigFingerprint = "cccc" },
            Read("api-2", "istio", "1") with { Workload = "Deployment/api", ConfigFingerprint = "cccc" },
        ];
        var replica = Assert.Single(MeshAnalysis.Of(pods));
        Assert.Equal((MeshAnalysis.ReplicaConfig, "ns/Deployment/web"), (replica.Kind, replica.Subject));
        Assert.Equal(["ns/web-3"], replica.Pods);
    }

    [Fact]
    public void Given_a_result_When_written_as_json_and_read_back_Then_it_renders_the_same()
    {
        var result = new ScanResult(new ScanScope(null, "app=web", 1, 3), At,
        [
            Read("a", "istio", "1.32.3", ("EL1002", Severity.Error)) with { SoonestCertExpiry = At.AddDays(3), TrustRoots = ["CN=root sha256:0011"], Workload = "Deployment/a" },
            Unread("b", "istio", "1"),
        ], 3, 7) { Interrupted = true };
        var json = ScanJson.Render(result);
        var back = ScanJson.Read(System.Text.Encoding.UTF8.GetBytes(json), "test");
        Assert.Equal(json, ScanJson.Render(back));
        Assert.Equal(ScanTableRenderer.Render(result), ScanTableRenderer.Render(back));
        Assert.Contains("Shard 1/3. Interrupted: 2 of 3 pods scanned.", ScanTableRenderer.Summary(back), StringComparison.Ordinal);
    }

    private static ScanPod Read(string name, string kind, string version, params (string Rule, Severity Severity)[] findings) => new("ns", name)
    {
        ProxyKind = kind,
        Version = version,
        State = "LIVE",
        Findings = findings.Select(f => new ScanFinding(f.Rule, f.Severity, "Cluster x", "/configs/0", "msg")).ToList(),
    };

    private static ScanPod Unread(string name, string kind, string version) => new("ns", name)
    {
        ProxyKind = kind,
        Version = version,
        State = ScanStates.Unreachable,
        Reason = $"pod {name}.ns cannot be reached.",
    };
}
