using System.Text.Json;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Reporting.Tables;
using EnvoyLens.Reporting.Views;
using EnvoyLens.TestKit;
using static EnvoyLens.Reporting.Tests.TestModel;

namespace EnvoyLens.Reporting.Tests;

public sealed class RenderingTests
{
    private static readonly EnvoySnapshot Proxy = Snapshot(
        routes: [RouteConfig("80", ResourceOrigin.Dynamic, VirtualHost("v", ["a.example", "a.example:80"], Route(Prefix("/x"))))],
        clusters: [Cluster("outbound|80||a.example"), Cluster("xds-grpc", "STATIC")]);

    private static string Render(IReadOnlyList<Table> tables, OutputFormat format)
    {
        var sw = new StringWriter();
        TableRenderer.Write(tables, format, sw);
        return sw.ToString();
    }

    [Fact]
    public void Given_a_view_When_written_as_json_Then_rows_are_objects_with_camelcase_keys_in_column_order_and_typed_values()
    {
        var json = Render(ConfigViews.Build(ViewKind.Clusters, Proxy), OutputFormat.TableJson);

        using var doc = JsonDocument.Parse(json);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["serviceFqdn", "port", "subset", "direction", "type", "destinationRule"], rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(80, rows[0].GetProperty("port").GetInt32());
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("subset").ValueKind);
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("port").ValueKind);
        Assert.Equal("xds-grpc", rows[1].GetProperty("serviceFqdn").GetString());
    }

    [Fact]
    public void Given_routes_When_written_as_json_Then_domains_hold_every_domain_while_the_table_shows_the_short_form()
    {
        var tables = ConfigViews.Build(ViewKind.Routes, Proxy);

        using var doc = JsonDocument.Parse(Render(tables, OutputFormat.TableJson));
        Assert.Equal(["a.example", "a.example:80"], doc.RootElement[0].GetProperty("domains").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("a.example", tables[0].TextRows[0][2]);
    }

    [Fact]
    public void Given_all_views_When_written_as_json_Then_one_object_holds_every_view_in_order()
    {
        using var doc = JsonDocument.Parse(Render(ConfigViews.Build(ViewKind.All, Proxy), OutputFormat.TableJson));

        Assert.Equal(["bootstrap", "clusters", "listeners", "routes", "secrets", "endpoints", "ecds"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("bootstrap").ValueKind);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("ecds").ValueKind);
    }

    [Fact]
    public void Given_a_view_When_written_as_yaml_Then_rows_are_a_sequence_of_mappings_with_quoted_strings()
    {
        var yaml = Render(ConfigViews.Build(ViewKind.Routes, Proxy), OutputFormat.TableYaml);

        Assert.Equal(
            "- name: \"80\"\n" +
            "  vhostName: \"v\"\n" +
            "  domains:\n" +
            "    - \"a.example\"\n" +
            "    - \"a.example:80\"\n" +
            "  match: \"/x*\"\n" +
            "  virtualService: null\n",
            yaml);
    }

    [Fact]
    public void Given_an_empty_view_When_written_Then_text_is_the_header_json_is_an_empty_array_yaml_is_an_empty_sequence()
    {
        var tables = ConfigViews.Build(ViewKind.Ecds, Snapshot());

        Assert.Equal("ECDS NAME     TYPE\n", Render(tables, OutputFormat.Table));
        Assert.Equal("[]\n", Render(tables, OutputFormat.TableJson));
        Assert.Equal("[]\n", Render(tables, OutputFormat.TableYaml));
    }

    [Fact]
    public void Given_all_views_as_text_When_written_Then_each_table_has_a_heading_and_tables_are_separated_by_a_blank_line()
    {
        var text = Render(ConfigViews.Build(ViewKind.All, Proxy), OutputFormat.Table);

        Assert.StartsWith("# Bootstrap\nIstio Version:", text, StringComparison.Ordinal);
        Assert.Contains("\n\n# Clusters\nNAME ", text, StringComparison.Ordinal);
        Assert.Contains("\n\n# ECDS\nECDS NAME", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_snapshot_without_bootstrap_When_the_bootstrap_view_is_written_Then_missing_values_read_dash()
    {
        var text = Render(ConfigViews.Build(ViewKind.Bootstrap, Proxy), OutputFormat.Table);

        Assert.Contains("Node ID:             -\n", text, StringComparison.Ordinal);
        Assert.Contains("Envoy Version:       -\n", text, StringComparison.Ordinal);
        Assert.Contains("Static Clusters:     -\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_bootstrap_When_the_bootstrap_view_is_built_Then_node_and_counts_are_shown()
    {
        var node = new NodeInfo("sidecar~10.0.0.1~app-1.shop~shop.svc.cluster.local", "app.shop", "envoy", "1.31.0", null,
            new Dictionary<string, JsonElement>());
        var boot = new BootstrapInfo(node, new SocketAddress("127.0.0.1", 15000), 2, 5, 0, "GRPC", ["xds-grpc"], [], null, EnvoyLens.Core.JsonPointer.Root);

        var row = BootstrapView.Build(Snapshot(bootstrap: boot)).TextRows[0];

        Assert.Equal(["-", "-", "1.31.0", "sidecar~10.0.0.1~app-1.shop~shop.svc.cluster.local", "app.shop", "shop", "-", "-", "127.0.0.1:15000", "xds-grpc", "GRPC", "2", "5", "0"], row);
    }

    [Fact]
    public void Every_json_key_of_every_view_is_documented_in_OUTPUT_md()
    {
        var doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "EnvoyLens.Reporting", "OUTPUT.md"));
        var tables = ConfigViews.Build(ViewKind.All, Snapshot());

        var missing = tables.SelectMany(t => t.Columns.Select(c => (t.Name, c.Key)))
            .Where(x => !doc.Contains($"| {x.Name} | `{x.Key}` |", StringComparison.Ordinal))
            .ToList();

        Assert.True(missing.Count == 0, "Undocumented keys: " + string.Join(", ", missing));
    }
}
