using EnvoyLens.Core;
using EnvoyLens.TestKit;
using Xunit.Abstractions;

namespace EnvoyLens.Diff.Tests;

/// <summary>The pair istioctl's compare tests use: the differences are known from a sorted JSON comparison of the two files.</summary>
public sealed class CorpusPairTests(ITestOutputHelper log)
{
    [SkippableFact]
    public void Given_the_istio_compare_pair_When_diffed_Then_exactly_the_known_differences_are_found()
    {
        Skip.If(TestPaths.Corpus is null, "the shared corpus is not beside the checkout");
        var before = Captures.FromPath(TestPaths.CorpusFile("config_dump", "istio-compare-sidecar-configdump.json"));
        var after = Captures.FromPath(TestPaths.CorpusFile("config_dump", "istio-compare-sidecar-configdump-diff.json"));

        var changes = SnapshotDiffer.Diff(before, after);
        log.WriteLine(Captures.Text(changes));

        // A sorted JSON comparison of the two files shows: the ratings cluster and the reviews-v3 route config were
        // renamed 9080 -> 9999 (so removed and added), use_remote_address: false was dropped from connect_terminate's
        // HTTP connection manager (a BoolValue: false and unset are different messages), and main_internal's
        // details filter chain changed its stat prefix. Nothing else differs.
        var expected = new[]
        {
            (ResourceKind.Listener, "connect_terminate", ChangeType.Removed,
                "/filter_chains/default/filters/envoy.filters.network.http_connection_manager/typed_config/use_remote_address"),
            (ResourceKind.Listener, "main_internal", ChangeType.Changed,
                "/filter_chains/inbound-vip|9080||details.default.svc.cluster.local-http/filters/envoy.filters.network.http_connection_manager/typed_config/stat_prefix"),
            (ResourceKind.RouteConfig, "inbound-vip|9080|http|reviews-v3.default.svc.cluster.local", ChangeType.Removed, ""),
            (ResourceKind.RouteConfig, "inbound-vip|9999|http|reviews-v3.default.svc.cluster.local", ChangeType.Added, ""),
            (ResourceKind.Cluster, "inbound-vip|9080|http|ratings.default.svc.cluster.local", ChangeType.Removed, ""),
            (ResourceKind.Cluster, "inbound-vip|9999|http|ratings.default.svc.cluster.local", ChangeType.Added, ""),
        };
        Assert.Equal(expected, changes.Changes.Select(c => (c.Kind, c.Name, c.Type, c.Path)).ToArray());
        var statPrefix = changes.Changes.Single(c => c.Name == "main_internal");
        Assert.Equal("\"inbound_0.0.0.0_9080\"", statPrefix.Old);
        Assert.Equal("\"inbound_0.0.0.0_9999\"", statPrefix.New);
        Assert.Equal([new KindSummary(ResourceKind.Listener, 0, 0, 2), new KindSummary(ResourceKind.RouteConfig, 1, 1, 0), new KindSummary(ResourceKind.Cluster, 1, 1, 0)], changes.Kinds);
    }

    [SkippableFact]
    public void Given_a_real_dump_When_diffed_against_itself_Then_nothing_is_reported()
    {
        Skip.If(TestPaths.Corpus is null, "the shared corpus is not beside the checkout");
        var path = TestPaths.CorpusFile("config_dump", "istio-compare-sidecar-configdump.json");

        var changes = SnapshotDiffer.Diff(Captures.FromPath(path), Captures.FromPath(path));

        Assert.True(changes.IsEmpty);
    }
}
