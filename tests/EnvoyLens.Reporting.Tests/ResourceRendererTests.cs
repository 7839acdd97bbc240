using System.Text.Json.Nodes;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Tests;

public sealed class ResourceRendererTests
{
    private static readonly IReadOnlyList<Column> Columns = [new("NAME", "name")];

    private static CanonicalResource Resource(ResourceKind kind, string name, string pointer, string marker) =>
        new(kind, name, null, () => new JsonObject { ["name"] = name, ["marker"] = marker }, JsonPointer.Parse(pointer));

    private static string Render(IReadOnlyList<Table> tables, CanonicalSnapshot canonical, OutputFormat format)
    {
        var sw = new StringWriter();
        ResourceRenderer.Write(tables, canonical, format, sw);
        return sw.ToString();
    }

    [Fact]
    public void Given_rows_from_the_same_resource_When_written_as_json_Then_each_resource_is_printed_once_in_row_order()
    {
        var canonical = new CanonicalSnapshot("t", [Resource(ResourceKind.Listener, "a", "/configs/2/static_listeners/0/listener", "a"), Resource(ResourceKind.Listener, "b", "/configs/2/static_listeners/1/listener", "b")], []);
        var table = new Table("listeners", "Listeners", Columns, [[Cell.Of("b")], [Cell.Of("b")], [Cell.Of("a")]])
        {
            Sources = [new RowSource(ResourceKind.Listener, "b"), new RowSource(ResourceKind.Listener, "b"), new RowSource(ResourceKind.Listener, "a")],
        };

        var json = JsonNode.Parse(Render([table], canonical, OutputFormat.Json))!.AsArray();

        Assert.Equal(["b", "a"], json.Select(n => n!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Given_two_resources_of_one_name_When_a_row_names_its_place_Then_the_resource_at_that_place_is_printed()
    {
        var canonical = new CanonicalSnapshot("t",
        [
            Resource(ResourceKind.Listener, "l", "/configs/2/dynamic_listeners/0/warming_state/listener", "warming"),
            Resource(ResourceKind.Listener, "l", "/configs/2/dynamic_listeners/0/active_state/listener", "active"),
        ], []);
        var table = new Table("listeners", "Listeners", Columns, [[Cell.Of("l")]])
        {
            Sources = [new RowSource(ResourceKind.Listener, "l", JsonPointer.Parse("/configs/2/dynamicListeners/0/activeState/listener"))],
        };

        var json = JsonNode.Parse(Render([table], canonical, OutputFormat.Json))!.AsArray();

        Assert.Equal("active", Assert.Single(json)!["marker"]!.GetValue<string>());
    }

    [Fact]
    public void Given_a_key_value_view_and_several_views_When_written_Then_one_object_per_view_and_null_for_a_missing_bootstrap()
    {
        var canonical = new CanonicalSnapshot("t", [Resource(ResourceKind.Cluster, "c", "/configs/1/static_clusters/0/cluster", "c")], []);
        var bootstrap = new Table("bootstrap", "Bootstrap", Columns, [[Cell.Of("-")]], Layout: TableLayout.KeyValue);
        var clusters = new Table("clusters", "Clusters", Columns, [[Cell.Of("c")]]) { Sources = [new RowSource(ResourceKind.Cluster, "c")] };

        var yaml = Render([bootstrap, clusters], canonical, OutputFormat.Yaml);

        Assert.Equal("bootstrap: null\nclusters:\n- name: \"c\"\n  marker: \"c\"\n", yaml);
    }
}
