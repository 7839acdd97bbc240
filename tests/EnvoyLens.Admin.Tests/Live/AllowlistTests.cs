using EnvoyLens.Admin.Live;
using EnvoyLens.Core;
using EnvoyLens.TestKit.Live;

namespace EnvoyLens.Admin.Tests.Live;

public sealed class AllowlistTests
{
    public static TheoryData<string> Refused() => new(
        "/quitquitquit",
        "/healthcheck/fail",
        "/healthcheck/ok",
        "/drain_listeners",
        "/drain_listeners?inboundonly",
        "/logging",
        "/logging?level=debug",
        "/reset_counters",
        "/runtime_modify?key=value",
        "/cpuprofiler?enable=y",
        "/heapprofiler?enable=y",
        "/tap",
        "/reopen_logs",
        "/",
        "",
        "/help",
        "/stats?format=html",
        "/stats?format=active-html",
        "/stats?format=prometheus&histogram_buckets=detailed",
        "/stats/recentlookups",
        "/stats/recentlookups/enable",
        "/contention",
        "/heap_dump",
        "/config_dump?format=html",
        "/clusters?format=html",
        "/certs?x=1",
        "/config_dump/../quitquitquit",
        "/QUITQUITQUIT",
        "/Config_dump",
        "/config_dump#x",
        "/config_dump?mask=a&mask=b",
        "/stats?filter=a b",
        "http://evil.example/config_dump",
        "//evil.example/config_dump");

    private static readonly string[] AllowedReads =
    [
        "/config_dump",
        "/config_dump?include_eds",
        "/config_dump?resource=dynamic_active_clusters&mask=cluster.name&name_regex=%5Ereviews",
        "/clusters?format=json",
        "/listeners?format=json",
        "/certs",
        "/stats?format=json&filter=%5Ecluster%5C.&usedonly&type=Counters",
        "/stats",
        "/stats/prometheus",
        "/server_info",
        "/ready",
        "/init_dump",
        "/runtime",
        "/memory",
        "/hot_restart_version",
    ];

    public static TheoryData<string> Allowed() => new(AllowedReads);

    [Theory]
    [MemberData(nameof(Refused))]
    public void Given_a_request_outside_the_allowlist_When_checked_Then_it_is_refused_with_a_reason(string pathAndQuery)
    {
        Assert.False(AdminAllowlist.IsAllowed(pathAndQuery, out var reason));
        Assert.NotEmpty(reason);
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Given_an_allowlisted_read_When_checked_Then_it_passes(string pathAndQuery) =>
        Assert.True(AdminAllowlist.IsAllowed(pathAndQuery, out _));

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Given_a_refused_request_When_the_client_is_asked_for_it_Then_no_byte_reaches_the_server(string pathAndQuery)
    {
        await using var server = await FakeAdminServer.StartAsync();
        using var dir = new TempDirectory();
        using var client = new AdminClient(AdminTarget.ForUrl(server.BaseAddress.ToString()));

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.DownloadAsync(pathAndQuery, dir.File("out")));

        Assert.StartsWith("EnvoyLens refuses to request", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.BaseAddress.GetLeftPart(UriPartial.Authority), error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Given_every_allowlisted_read_When_fetched_Then_exactly_those_GETs_arrive()
    {
        await using var server = await FakeAdminServer.StartAsync();
        using var dir = new TempDirectory();
        using var client = new AdminClient(AdminTarget.ForUrl(server.BaseAddress.ToString()));
        var wanted = AllowedReads.ToList();

        foreach (var (pathAndQuery, i) in wanted.Select((p, i) => (p, i)))
        {
            try
            {
                await client.DownloadAsync(pathAndQuery, dir.File("f" + i));
            }
            catch (EnvoyLensException e) when (e.Message.Contains("HTTP 404", StringComparison.Ordinal))
            {
                // The fake serves no /runtime, /memory or /hot_restart_version; the request still arrived.
            }
        }

        Assert.Equal(wanted, server.Requests.Select(r => r.PathAndQuery));
        Assert.All(server.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public void Given_query_values_When_built_Then_they_are_percent_encoded_and_still_allowed()
    {
        var built = AdminAllowlist.Build("/config_dump", ("mask", "static_clusters,dynamic_active_clusters"), ("name_regex", "^reviews .*&x"));

        Assert.Equal("/config_dump?mask=static_clusters%2Cdynamic_active_clusters&name_regex=%5Ereviews%20.%2A%26x", built.Replace("*", "%2A", StringComparison.Ordinal));
        Assert.True(AdminAllowlist.IsAllowed(built, out _));
    }

    [Theory]
    [InlineData("ftp://host:1")]
    [InlineData("http://host:15000/config_dump")]
    [InlineData("http://user:pw@host:15000")]
    [InlineData("http://host:15000/?x=1")]
    [InlineData("not a url")]
    public void Given_an_admin_URL_with_more_than_scheme_host_and_port_When_parsed_Then_it_is_refused(string url) =>
        Assert.Throws<EnvoyLensException>(() => AdminTarget.ForUrl(url));

    [Theory]
    [InlineData("http://10.0.0.5:4191", ProxyKind.Linkerd2Proxy)]
    [InlineData("https://proxy.example:4191", ProxyKind.Linkerd2Proxy)]
    [InlineData("http://10.0.0.5:15000", ProxyKind.Envoy)]
    [InlineData("http://10.0.0.5:9901", ProxyKind.Envoy)]
    public void Given_an_admin_URL_When_parsed_Then_linkerd2_proxys_admin_port_makes_it_a_Linkerd_target(string url, ProxyKind proxy) =>
        Assert.Equal(proxy, AdminTarget.ForUrl(url).Proxy);

    [Fact]
    public void Given_an_admin_URL_on_port_4191_When_Envoy_paths_are_checked_Then_they_are_refused_and_the_Linkerd_paths_pass()
    {
        var target = AdminTarget.ForUrl("http://10.0.0.5:4191");

        Assert.Throws<EnvoyLensException>(() => AdminAllowlist.Check("/config_dump", target.Display, target.Proxy));
        AdminAllowlist.Check("/metrics", target.Display, target.Proxy);
    }
}
