using EnvoyLens.Admin.Live;
using EnvoyLens.Core;

namespace EnvoyLens.Admin.Tests;

public sealed class AdminEndpointsTests
{
    [Fact]
    public void Given_the_endpoint_table_When_indexed_Then_it_has_one_row_per_endpoint_in_enum_order()
    {
        var all = Enum.GetValues<AdminEndpoint>();

        Assert.Equal(all, AdminEndpoints.All.Select(e => e.Endpoint));
        Assert.All(all, e => Assert.Equal(e, AdminEndpoints.Of(e).Endpoint));
        Assert.Equal(all.Length, AdminEndpoints.All.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(all.Length, AdminEndpoints.All.Select(e => e.Path).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(all.Length, AdminEndpoints.All.Select(e => e.FileName).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Given_the_endpoint_table_When_the_allowlist_is_built_Then_it_allows_exactly_the_table_paths_of_each_proxy_kind()
    {
        var envoy = AdminEndpoints.All.Where(e => e.Proxies.HasFlag(ProxyKinds.Envoy)).ToList();
        var linkerd = AdminEndpoints.All.Where(e => e.Proxies.HasFlag(ProxyKinds.Linkerd2Proxy)).ToList();

        Assert.Equal(envoy.Select(e => e.Path).Order(StringComparer.Ordinal), AdminAllowlist.Paths);
        Assert.All(envoy, e => Assert.True(AdminAllowlist.IsAllowed(e.Path, out _), e.Path));
        Assert.Equal(["/live", "/metrics", "/ready"], AdminAllowlist.PathsFor(ProxyKind.Linkerd2Proxy));
        Assert.Equal(["/live", "/metrics", "/ready"], linkerd.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/live")]
    public void Given_a_linkerd_path_When_checked_for_an_envoy_Then_it_is_refused_and_for_a_linkerd_proxy_allowed(string path)
    {
        Assert.False(AdminAllowlist.IsAllowed(path, out var reason));
        Assert.Equal($"'{path}' is not a read-only endpoint EnvoyLens reads from an Envoy proxy (allowed: {string.Join(", ", AdminAllowlist.Paths)})", reason);
        Assert.True(AdminAllowlist.IsAllowed(path, ProxyKind.Linkerd2Proxy, out _));
    }

    [Theory]
    [InlineData("/config_dump")]
    [InlineData("/stats/prometheus")]
    [InlineData("/quitquitquit")]
    [InlineData("/shutdown")]
    [InlineData("/metrics?x=1")]
    [InlineData("/tasks")]
    [InlineData("/proxy-log-level")]
    public void Given_a_path_linkerd2_proxy_does_not_serve_read_only_When_checked_for_it_Then_it_is_refused(string pathAndQuery)
    {
        Assert.False(AdminAllowlist.IsAllowed(pathAndQuery, ProxyKind.Linkerd2Proxy, out var reason));
        Assert.NotEmpty(reason);
    }

    [Theory]
    [InlineData(AdminEndpoint.ConfigDump, "config_dump", "/config_dump", "config_dump.json", "config_dump", false)]
    [InlineData(AdminEndpoint.StatsPrometheus, "stats_prometheus", "/stats/prometheus", "stats_prometheus.txt", "stats", true)]
    [InlineData(AdminEndpoint.Ready, "ready", "/ready", "ready.txt", "ready", true)]
    [InlineData(AdminEndpoint.HotRestartVersion, "hot_restart_version", "/hot_restart_version", "hot_restart_version.txt", "hot_restart_version", true)]
    [InlineData(AdminEndpoint.ServerInfo, "server_info", "/server_info", "server_info.json", "server_info", false)]
    [InlineData(AdminEndpoint.LinkerdMetrics, "metrics", "/metrics", "metrics.txt", "metrics", true)]
    [InlineData(AdminEndpoint.Live, "live", "/live", "live.txt", "live", true)]
    public void Given_an_endpoint_When_described_Then_name_path_file_and_kind_are_its_own(
        AdminEndpoint endpoint, string name, string path, string fileName, string kind, bool text)
    {
        var info = AdminEndpoints.Of(endpoint);

        Assert.Equal((name, path, fileName, kind, text), (info.Name, info.Path, info.FileName, info.Kind, info.IsText));
        Assert.True(AdminEndpoints.TryParse(name, out var back));
        Assert.Equal(endpoint, back);
    }

    [Fact]
    public void Given_rule_inputs_When_named_Then_each_names_the_endpoint_that_provides_it()
    {
        Assert.Equal(["a config dump", "/clusters", "/stats", "/server_info", "/init_dump", "/certs", "/listeners", "the control plane's view (snapshot --control-plane)"],
            RuleInputNames.Of(RuleInputs.ConfigDump | RuleInputs.Clusters | RuleInputs.Stats | RuleInputs.ServerInfo | RuleInputs.InitDump | RuleInputs.Certs | RuleInputs.Listeners | RuleInputs.ControlPlane));
        Assert.Null(AdminEndpoints.Providing(RuleInputs.ControlPlane));
        Assert.Equal(AdminEndpoint.Stats, AdminEndpoints.Providing(RuleInputs.Stats)?.Endpoint);
        Assert.Null(AdminEndpoints.Providing(RuleInputs.None));
    }

    [Fact]
    public void Given_the_full_capture_plan_When_listed_Then_each_item_is_stored_under_its_endpoint_file_name()
    {
        Assert.Equal(
            ["/server_info", "/config_dump?include_eds", "/clusters?format=json", "/listeners?format=json", "/certs", "/stats?format=json", "/init_dump", "/ready"],
            CapturePlan.Full.Items.Select(i => i.PathAndQuery));
        Assert.All(CapturePlan.Full.Items, i => Assert.Equal(AdminEndpoints.Of(i.Endpoint).FileName, i.FileName));
    }
}
