using System.Text.Json;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// Commands on v2-era dumps (filters configured with a Struct, tcp_proxy v1 route tables) and on egctl's single-type
/// outputs: listeners show their routes and clusters as istioctl would, and the reference rules see them.
/// </summary>
public sealed class LegacyDumpCommandTests
{
    private static string V2Dump(string file)
    {
        Assert.True(TestPaths.Corpus is not null, "The shared corpus (../shared/corpus) is not present.");
        return TestPaths.CorpusFile("config_dump", file);
    }

    private static string Authored => TestPaths.Fixture("legacy", "v2-struct-configs", "config_dump.json");

    /// <summary>(address, port, match, destination) of each row of <c>config listeners -o json</c>.</summary>
    private static List<(string Address, int Port, string Match, string Destination)> Listeners(params string[] args)
    {
        var result = Cli.Run(["config", "listeners", .. args, "-o", "table-json"]);
        Assert.True(result.ExitCode == 0, result.Err);
        using var doc = JsonDocument.Parse(result.Out);
        return doc.RootElement.EnumerateArray()
            .Select(r => (string.Join(",", r.GetProperty("addresses").EnumerateArray().Select(a => a.GetString())), r.GetProperty("port").GetInt32(),
                r.GetProperty("match").GetString()!, r.GetProperty("destination").GetString()!))
            .ToList();
    }

    private static List<(string Rule, string Resource, Dictionary<string, string> Arguments)> Findings(string source)
    {
        var result = Cli.Run("analyze", source, "-o", "json", "--fail-on", "never");
        Assert.True(result.ExitCode == 0, result.Err);
        using var doc = JsonDocument.Parse(result.Out);
        return doc.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("ruleId").GetString()!, f.GetProperty("resource").GetProperty("name").GetString()!,
                f.GetProperty("arguments").EnumerateObject().ToDictionary(a => a.Name, a => a.Value.ToString())))
            .ToList();
    }

    [Fact]
    public void Config_listeners_of_the_2020_v2_dump_shows_the_tcp_listener_cluster_and_the_http_listener_inline_route()
    {
        var rows = Listeners(V2Dump("istio-2020-v2-camelcase-configdump.json"));

        Assert.Equal(2, rows.Count);
        Assert.Equal(("172.21.134.116", 443, "Addr: 172.21.134.116/32", "Cluster: outbound|443||istio-galley.istio-system.svc.cluster.local"), rows[0]);
        Assert.Equal(("0.0.0.0", 8080, "ALL"), (rows[1].Address, rows[1].Port, rows[1].Match));
        Assert.StartsWith("Inline Route: istio-pilot.istio-system.svc.cluster.local/", rows[1].Destination, StringComparison.Ordinal);
        Assert.EndsWith(" /*", rows[1].Destination, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_listeners_of_the_2018_v2_dump_shows_the_http_listener_inline_route()
    {
        var rows = Listeners(V2Dump("istio-2018-v2-mapform-configdump.json"));

        var row = Assert.Single(rows);
        Assert.Equal(("0.0.0.0", 8080, "ALL"), (row.Address, row.Port, row.Match));
        Assert.StartsWith("Inline Route: istio-pilot.istio-system.svc.cluster.local/istio-pilot.istio-system.svc.cluster.local:8080/", row.Destination, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TCP", 443)]
    [InlineData("HTTP", 8080)]
    public void Config_listeners_type_filter_selects_the_v2_listeners_by_their_converted_filters(string type, int port)
    {
        var rows = Listeners(V2Dump("istio-2020-v2-camelcase-configdump.json"), "--type", type);

        Assert.Equal(port, Assert.Single(rows).Port);
    }

    [Fact]
    public void Config_listeners_of_an_authored_v2_dump_shows_rds_names_and_one_row_per_v1_tcp_route()
    {
        var rows = Listeners(Authored);

        Assert.Equal(
            [
                ("10.0.0.7", 3306, "Addr: 10.0.0.7/32", "Cluster: outbound|3306||mysql.shop.svc.cluster.local"),
                ("0.0.0.0", 9080, "ALL", "Route: 9080"),
                ("0.0.0.0", 9091, "ALL", "Route: 9091"),
                ("0.0.0.0", 27017, "Addr: 10.0.0.6/32:27017", "Cluster: outbound|27017||mongo-b.shop.svc.cluster.local"),
                ("0.0.0.0", 27017, "Addr: 10.0.0.5/32", "Cluster: outbound|27017||mongo-a.shop.svc.cluster.local"),
            ],
            rows);
        Assert.Equal([9080, 9091], Listeners(Authored, "--type", "HTTP").Select(r => r.Port));
        Assert.Equal([3306, 27017, 27017], Listeners(Authored, "--type", "TCP").Select(r => r.Port));
    }

    [Fact]
    public void Analyze_of_an_authored_v2_dump_finds_the_missing_rds_route_config_and_tcp_cluster_and_only_those()
    {
        var findings = Findings(Authored);

        var missingRoute = Assert.Single(findings, f => f.Rule == "EL1001");
        Assert.Equal("0.0.0.0_9091", missingRoute.Resource);
        Assert.Equal("9091", missingRoute.Arguments["route_config"]);
        var missingCluster = Assert.Single(findings, f => f.Rule == "EL1003");
        Assert.Equal("0.0.0.0_27017", missingCluster.Resource);
        Assert.Equal("outbound|27017||mongo-b.shop.svc.cluster.local", missingCluster.Arguments["cluster"]);
    }

    [Fact]
    public void Analyze_of_the_2020_v2_dump_finds_that_the_v1_tcp_route_cluster_does_not_exist()
    {
        var findings = Findings(V2Dump("istio-2020-v2-camelcase-configdump.json"));

        var finding = Assert.Single(findings, f => f.Rule == "EL1003");
        Assert.Equal("172.21.134.116_443", finding.Resource);
        Assert.Equal("outbound|443||istio-galley.istio-system.svc.cluster.local", finding.Arguments["cluster"]);
        Assert.DoesNotContain(findings, f => f.Rule == "EL1001");
    }

    [Theory]
    [InlineData("istio-2018-v2-mapform-configdump.json", "/configs/listeners")]
    [InlineData("istio-2020-v2-camelcase-configdump.json", "/configs/2")]
    public void Decode_of_a_v2_dump_lists_the_conversions_and_every_struct_config_it_kept_raw(string file, string listenersPointer)
    {
        var result = Cli.Run("decode", V2Dump(file), "-o", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var diagnostics = doc.RootElement.GetProperty("diagnostics").EnumerateArray().ToList();
        var note = Assert.Single(diagnostics, d => d.GetProperty("pointer").GetString() == listenersPointer && d.GetProperty("message").GetString()!.Contains("v2-era", StringComparison.Ordinal));
        Assert.Contains("envoy.http_connection_manager → envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager", note.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Every filter whose Struct was not converted ('mixer') is reported where it is, never silently dropped.
        var raw = diagnostics.Where(d => d.GetProperty("code").GetString() == "unknown-field" && d.GetProperty("pointer").GetString()!.EndsWith("/config", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(raw);
        Assert.All(raw, d => Assert.Contains("has no field 'config'", d.GetProperty("message").GetString(), StringComparison.Ordinal));
        Assert.Equal(file.Contains("2020", StringComparison.Ordinal) ? 2 : 1, raw.Count);
    }

    [Theory]
    [InlineData("listener.yaml")]
    [InlineData("listener.json")]
    public void Config_listeners_of_an_egctl_listener_output_shows_its_rds_route(string file)
    {
        var rows = Listeners(TestPaths.Fixture("egctl", "config-envoy-proxy", file));

        Assert.Equal(("0.0.0.0", 10080, "ALL", "Route: default/eg/http"), Assert.Single(rows));
    }
}
