using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.BuiltIn;

namespace EnvoyLens.Rules.Tests;

/// <summary>The stats-name resolver: config names with dots survive, the longest known name wins, never naive splitting.</summary>
public sealed class StatsNamesTests
{
    private const string Istio = "outbound|9080||api.default.svc.cluster.local";

    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    private static StatsNames Names() => StatsNames.For(RuleFixtures.Context("EL5001", "fail"));

    private static Stat Counter(string name, double value = 1, IReadOnlyDictionary<string, string>? tags = null) => new(name, StatKind.Counter, value, null, tags ?? NoTags);

    [Theory]
    [InlineData("cluster." + Istio + ".upstream_cx_connect_fail", "Cluster", Istio, "upstream_cx_connect_fail")]
    [InlineData("cluster." + Istio + ".outlier_detection.ejections_active", "Cluster", Istio, "outlier_detection.ejections_active")]
    [InlineData("listener.0.0.0.0_8080.ssl.connection_error", "Listener", "0.0.0.0_8080", "ssl.connection_error")]
    [InlineData("http.ingress_http.no_route", "Http", "ingress_http", "no_route")]
    public void Given_a_stat_of_a_known_owner_When_resolved_Then_owner_and_stat_are_split_at_the_known_name(string name, string scope, string owner, string suffix)
    {
        var resolved = Names().Resolve(Counter(name));

        Assert.NotNull(resolved);
        Assert.Equal((scope, owner, suffix, true), (resolved.Scope.ToString(), resolved.Owner, resolved.Suffix, resolved.KnownOwner));
    }

    [Fact]
    public void Given_a_stat_of_an_owner_the_config_does_not_know_When_resolved_Then_it_is_not_guessed()
    {
        Assert.Null(Names().Resolve(Counter("cluster.outbound|80||gone.default.svc.cluster.local.upstream_cx_total")));
    }

    [Fact]
    public void Given_an_unknown_owner_When_a_named_stat_is_searched_Then_the_owner_is_what_lies_between_prefix_and_that_stat()
    {
        var stats = new StatsSnapshot([Counter("cluster.outbound|80||gone.default.svc.cluster.local.upstream_cx_connect_fail", 3)], "stats.txt", "text");

        var found = Assert.Single(Names().Find(stats, StatScope.Cluster, "upstream_cx_connect_fail"));

        Assert.Equal("outbound|80||gone.default.svc.cluster.local", found.Owner);
        Assert.False(found.KnownOwner);
        Assert.Null(found.Resource);
    }

    [Fact]
    public void Given_a_known_owner_whose_name_continues_into_the_stat_When_searched_Then_the_longest_known_name_decides()
    {
        // "frontend" is a cluster; "cluster.frontend.ssl.connection_error" is its ssl.connection_error, not connection_error of "frontend.ssl".
        var stats = new StatsSnapshot([Counter("cluster.frontend.ssl.connection_error", 2)], "stats.txt", "text");
        var names = Names();

        Assert.Empty(names.Find(stats, StatScope.Cluster, "connection_error"));
        var found = Assert.Single(names.Find(stats, StatScope.Cluster, "ssl.connection_error"));
        Assert.Equal(("frontend", true), (found.Owner, found.KnownOwner));
    }

    [Fact]
    public void Given_Prometheus_stats_When_searched_Then_the_owner_comes_from_Envoys_tag()
    {
        var tags = new Dictionary<string, string> { ["envoy_cluster_name"] = Istio };
        var stats = new StatsSnapshot([Counter("envoy_cluster_upstream_cx_connect_fail", 5, tags)], "stats_prometheus.txt", "prometheus");

        var found = Assert.Single(Names().Find(stats, StatScope.Cluster, "upstream_cx_connect_fail"));

        Assert.Equal(Istio, found.Owner);
        Assert.Equal(new ResourceRef(ResourceKind.Cluster, Istio), found.Resource);
    }
}
