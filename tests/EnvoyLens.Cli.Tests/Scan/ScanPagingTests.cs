using System.Text.Json.Nodes;

namespace EnvoyLens.Cli.Tests.Scan;

/// <summary>
/// Pod discovery across pages: the Kubernetes API test server pages its pod lists (<c>limit</c>, <c>continue</c>) with
/// pages smaller than the scan's limit, as a real API server may; every pod of every page must be a row, each page asked
/// for with the continue token of the one before. Port-forwards are refused (403) so that each pod's row is quick.
/// </summary>
public sealed class ScanPagingTests : IAsyncLifetime
{
    private ScanFleet _fleet = null!;

    public async Task InitializeAsync()
    {
        _fleet = await ScanFleet.StartAsync();
        _fleet.Api.ForbidPortForward = true;
    }

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public void Given_an_api_server_with_pages_of_30_When_all_namespaces_are_scanned_Then_the_pods_of_all_seven_pages_are_rows()
    {
        _fleet.Api.MaxPageSize = 30;

        var root = Scan("-A");

        Assert.Equal(_fleet.ProxyPods.Order(StringComparer.Ordinal), Keys(root));
        Assert.Equal(200, _fleet.ProxyPods.Count);
        Assert.Equal(_fleet.WithoutProxy, (int)root["summary"]!["withoutProxy"]!);
        Assert.All(root["pods"]!.AsArray(), p => Assert.Contains((string?)p!["state"], (string[])["forbidden", "no sidecar"]));

        // 203 pods (200 with a proxy, 3 without) in pages of 30: 7 lists, the first without a token.
        var lists = Lists("/api/v1/pods");
        Assert.Equal(7, lists.Count);
        Assert.All(lists, q => Assert.Contains("limit=500", q, StringComparison.Ordinal));
        Assert.DoesNotContain("continue=", lists[0], StringComparison.Ordinal);
        Assert.All(lists.Skip(1), q => Assert.Contains("continue=", q, StringComparison.Ordinal));
        Assert.Equal(6, lists.Skip(1).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Given_an_api_server_with_pages_of_4_When_a_namespace_is_scanned_with_a_selector_Then_the_selector_holds_on_every_page()
    {
        _fleet.Api.MaxPageSize = 4;

        var root = Scan("-n", "team-3", "-l", "app=svc-1");

        var expected = _fleet.ProxyPods.Where(k => k.StartsWith("team-3/svc-1-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(6, expected.Count);
        Assert.Equal(expected, Keys(root));
        var lists = Lists("/api/v1/namespaces/team-3/pods");
        Assert.Equal(2, lists.Count);
        Assert.All(lists, q => Assert.Contains("labelSelector=app%3Dsvc-1", q, StringComparison.Ordinal));
        Assert.Contains("continue=", lists[1], StringComparison.Ordinal);
    }

    private JsonNode Scan(params string[] scope)
    {
        var result = Cli.Run(["scan", .. scope, "--kubeconfig", _fleet.Kubeconfig, "--at", ScanFleet.At, "--concurrency", "8", "--timeout-per-pod", "10s", "--qps", "0", "-o", "json"]);
        Assert.Equal((1, string.Empty), (result.ExitCode, result.Err));
        return JsonNode.Parse(result.Out)!;
    }

    private static List<string> Keys(JsonNode root) =>
        root["pods"]!.AsArray().Select(p => (string)p!["namespace"]! + "/" + (string)p["name"]!).ToList();

    /// <summary>The query strings of the list requests to <paramref name="path"/>, in the order they came.</summary>
    private List<string> Lists(string path) =>
        _fleet.Api.Requests.Where(r => r.Method == "GET" && r.Path == path).Select(r => r.Query).ToList();
}
