using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary><c>envoylens config</c> on the demo bundle and authored dumps: resource output, wide, versions, invalid values, filters.</summary>
public sealed class ConfigViewsCommandTests
{
    private static string Reviews => TestPaths.Fixture("snapshots", "reviews");

    private static string InvalidEnum => TestPaths.Fixture("views", "invalid-enum", "config_dump.json");

    [Fact]
    public void Given_a_filter_When_clusters_are_printed_as_json_Then_the_full_configuration_of_each_matching_cluster_is_printed()
    {
        var result = Cli.Run("config", "clusters", "--bundle", Reviews, "--fqdn", "ratings.default.svc.cluster.local", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        var clusters = JsonNode.Parse(result.Out)!.AsArray();
        Assert.Equal(
            ["outbound|9080||ratings.default.svc.cluster.local", "outbound|9080|v1|ratings.default.svc.cluster.local", "outbound|9080|v2|ratings.default.svc.cluster.local"],
            clusters.Select(c => c!["name"]!.GetValue<string>()));
        Assert.All(clusters, c => Assert.Equal("type.googleapis.com/envoy.config.cluster.v3.Cluster", c!["@type"]!.GetValue<string>()));
        Assert.All(clusters, c => Assert.NotNull(c!["transport_socket_matches"]));
        Assert.Equal("EDS", clusters[0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Given_a_route_name_When_routes_are_printed_as_yaml_Then_the_route_configuration_is_printed_once_as_yaml()
    {
        var result = Cli.Run("config", "routes", "--bundle", Reviews, "--name", "9080", "-o", "yaml");

        Assert.Equal(0, result.ExitCode);
        var configs = IstioctlText.FromYaml(result.Out)!.AsArray();
        var config = Assert.Single(configs);
        Assert.Equal("9080", config!["name"]!.GetValue<string>());
        Assert.Equal("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", config["@type"]!.GetValue<string>());
        Assert.NotEmpty(config["virtual_hosts"]!.AsArray());
        Assert.StartsWith("- \"@type\": \"type.googleapis.com/envoy.config.route.v3.RouteConfiguration\"\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_all_When_printed_as_json_Then_one_object_holds_each_views_resources_and_the_bootstrap_is_an_object()
    {
        var result = Cli.Run("config", "all", "--bundle", Reviews, "-o", "json", "--at", "2026-11-20T10:00:00Z");

        Assert.Equal(0, result.ExitCode);
        var all = JsonNode.Parse(result.Out)!.AsObject();
        Assert.Equal(["bootstrap", "clusters", "listeners", "routes", "secrets", "endpoints", "ecds"], all.Select(p => p.Key));
        Assert.NotNull(all["bootstrap"]!["node"]);
        Assert.Equal(18, all["clusters"]!.AsArray().Count);
        Assert.All(all["secrets"]!.AsArray(), s => Assert.Equal("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", s!["@type"]!.GetValue<string>()));
        Assert.NotEmpty(all["endpoints"]!.AsArray());
    }

    [Fact]
    public void Given_the_rows_are_wanted_When_table_json_is_asked_Then_rows_are_printed()
    {
        var result = Cli.Run("config", "clusters", "--bundle", Reviews, "--fqdn", "ratings", "-o", "table-json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("ratings.default.svc.cluster.local", doc.RootElement[0].GetProperty("serviceFqdn").GetString());
    }

    [Fact]
    public void Given_wide_When_routes_listeners_and_clusters_are_printed_Then_cluster_action_name_and_tls_columns_are_added()
    {
        var routes = Cli.Run("config", "routes", "--bundle", Reviews, "--name", "ratings.default.svc.cluster.local:9080", "-o", "wide");
        var listeners = Cli.Run("config", "listeners", "--bundle", Reviews, "-o", "wide");
        var clusters = Cli.Run("config", "clusters", "--bundle", Reviews, "--fqdn", "reviews", "--subset", "v1", "-o", "wide");

        var routeLines = routes.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^NAME +VHOST NAME +DOMAINS +MATCH +VIRTUAL SERVICE +CLUSTER +ACTION$", routeLines[0]);
        Assert.Contains(routeLines.Skip(1), l => l.Contains("outbound|9080|", StringComparison.Ordinal) && l.EndsWith(" Route", StringComparison.Ordinal));
        Assert.StartsWith("NAME ", listeners.Out, StringComparison.Ordinal);
        Assert.Contains("\n10.96.121.33_9080 10.96.121.33 9080  ALL ", listeners.Out, StringComparison.Ordinal);
        var clusterLines = clusters.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("DESTINATION RULE +SNI +SAN +SECRET$", clusterLines[0]);
        Assert.Contains("outbound_.9080_.v1_.reviews.default.svc.cluster.local", clusterLines[1], StringComparison.Ordinal);
        Assert.Contains("spiffe://cluster.local/ns/default/sa/bookinfo-reviews", clusterLines[1], StringComparison.Ordinal);
        Assert.EndsWith("default,ROOTCA", clusterLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_node_with_a_build_version_When_bootstrap_is_printed_Then_istioctls_version_summary_comes_first()
    {
        var result = Cli.Run("config", "bootstrap", "--bundle", Reviews);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n');
        Assert.Equal(
            ["Istio Version:       1.24.2", "Istio Proxy Version: 8e5b2c7a41d9f03b6e12c4a7d58f9b30e6a1c27d", "Envoy Version:       1.32.3/Clean/RELEASE/BoringSSL"],
            lines[..3]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^Server Info Version: +[0-9a-f]{40}/1\\.32\\.3/Clean/RELEASE/BoringSSL$"));
    }

    [Fact]
    public void Given_a_misspelled_enum_When_a_view_is_printed_Then_the_value_shows_as_written_with_a_marker_and_stderr_counts_the_diagnostics()
    {
        var clusters = Cli.Run("config", "clusters", InvalidEnum);
        var endpoints = Cli.Run("config", "endpoints", InvalidEnum);

        Assert.Equal(0, clusters.ExitCode);
        Assert.Matches("\nweb\\.shop\\.svc\\.cluster\\.local +8080 +- +outbound +NOPE \\(invalid\\)", clusters.Out);
        Assert.DoesNotContain("STATIC", clusters.Out.Split('\n').Single(l => l.StartsWith("web.", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Matches("127\\.0\\.0\\.1:15020 +SICK \\(invalid\\)", endpoints.Out);
        Assert.Equal($"2 decode diagnostics; `envoylens decode {InvalidEnum}` lists them.\n", clusters.Err);
    }

    [Fact]
    public void Given_a_clean_capture_When_a_view_is_printed_Then_stderr_is_empty()
    {
        var result = Cli.Run("config", "clusters", TestPaths.Fixture("views", "ambient-waypoint", "config_dump.json"));

        Assert.Equal("", result.Err);
    }

    [Theory]
    [InlineData("clusters", "--direction", "INBOUND", "inbound")]
    [InlineData("listeners", "--type", "http", "HTTP")]
    [InlineData("endpoints", "--status", "healthy", "HEALTHY")]
    public void Given_an_enum_filter_in_another_case_When_filtering_Then_it_matches_like_the_exact_value(string view, string option, string spelled, string exact)
    {
        var a = Cli.Run("config", view, "--bundle", Reviews, option, spelled);
        var b = Cli.Run("config", view, "--bundle", Reviews, option, exact);

        Assert.Equal(0, a.ExitCode);
        Assert.Equal(b.Out, a.Out);
        Assert.True(a.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 1, a.Out);
    }

    [Fact]
    public void Given_a_direction_that_is_only_part_of_one_When_filtering_Then_nothing_matches_because_the_match_is_exact()
    {
        var result = Cli.Run("config", "clusters", "--bundle", Reviews, "--direction", "inbound");

        Assert.DoesNotContain("outbound", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clusters", "--direction", "sideways", "--direction must be one of inbound, outbound, inbound-vip (any case), not 'sideways'.")]
    [InlineData("listeners", "--type", "UDP", "--type must be one of HTTP, TCP, HTTP+TCP, UNKNOWN (any case), not 'UDP'.")]
    [InlineData("endpoints", "--status", "OK", "--status must be one of HEALTHY, UNHEALTHY, DRAINING, TIMEOUT, DEGRADED, UNKNOWN (any case), not 'OK'.")]
    public void Given_an_unknown_enum_filter_value_When_filtering_Then_it_is_refused_with_the_valid_values_and_exit_2(string view, string option, string value, string message)
    {
        var result = Cli.Run("config", view, "--bundle", Reviews, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal($"envoylens: {message}\n", result.Err);
    }

    [Fact]
    public void Given_filters_that_match_nothing_When_printed_Then_stderr_says_no_row_matched()
    {
        var result = Cli.Run("config", "clusters", "--bundle", Reviews, "--fqdn", "nothing.example");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("No clusters match the filters.\n", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_dump_without_the_section_When_printed_Then_stderr_says_the_section_is_absent()
    {
        var result = Cli.Run("config", "secrets", TestPaths.Fixture("views", "ambient-waypoint", "config_dump.json"));
        var ecds = Cli.Run("config", "ecds", TestPaths.Fixture("views", "ambient-waypoint", "config_dump.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No ECDS filters: the config dump has no EcdsConfigDump section.\n", ecds.Err);
        Assert.Equal("No secrets: the config dump has no SecretsConfigDump section.\n", result.Err);
    }

    [Fact]
    public void Given_a_dump_whose_sections_are_empty_When_printed_Then_stderr_says_the_section_holds_none()
    {
        var path = Path.Combine(Path.GetTempPath(), "envoylens-empty-sections-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """
            {"configs": [
              {"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump"},
              {"@type": "type.googleapis.com/envoy.admin.v3.RoutesConfigDump"}
            ]}
            """);
        try
        {
            var clusters = Cli.Run("config", "clusters", path);
            var routes = Cli.Run("config", "routes", path);
            var listeners = Cli.Run("config", "listeners", path);

            Assert.Equal(0, clusters.ExitCode);
            Assert.Equal("No clusters: the config dump's ClustersConfigDump holds none.\n", clusters.Err);
            Assert.Equal("No routes: the config dump's RoutesConfigDump holds none.\n", routes.Err);
            Assert.Equal("No listeners: the config dump has no ListenersConfigDump section.\n", listeners.Err);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Given_all_on_an_ambient_waypoint_When_printed_Then_rows_name_their_resources_and_match_all_inline_routes_read_as_their_cluster()
    {
        var result = Cli.Run("config", "all", TestPaths.Fixture("views", "ambient-waypoint", "config_dump.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("listener/main_internal           0     ALL   Cluster: inbound-vip|9090|http|ratings.shop.svc.cluster.local\n", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Inline Route: /*", result.Out, StringComparison.Ordinal);
        Assert.Contains("\nendpoint/envoy://connect_originate/10.20.3.41:9080 ", result.Out, StringComparison.Ordinal);
        Assert.Contains("\ncluster/agent ", result.Out, StringComparison.Ordinal);
        Assert.Contains("\nroute/inbound-vip|9090|http|ratings.shop.svc.cluster.local ", result.Out, StringComparison.Ordinal);
    }
}
