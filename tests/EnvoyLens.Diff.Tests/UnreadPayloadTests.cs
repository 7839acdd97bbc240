using System.Text.Json.Nodes;

namespace EnvoyLens.Diff.Tests;

/// <summary>
/// A payload one side could only hold as protobuf bytes of an unknown type (a control plane's Istio filter, marked
/// <c>@unread</c>) is not compared with the other side's JSON of it; its type still is, and so is everything around it.
/// </summary>
public sealed class UnreadPayloadTests
{
    private static readonly TreeDiff Walker = new([]);

    private static JsonNode Filter(JsonObject config) => new JsonObject { ["name"] = "istio.stats", ["typed_config"] = config };

    [Fact]
    public void Given_an_unread_payload_and_the_same_type_as_JSON_When_compared_Then_no_change()
    {
        var unread = Filter(new JsonObject { ["@type"] = "type.googleapis.com/stats.PluginConfig", ["@unread"] = "12 bytes of protobuf of a type EnvoyLens has no schema for" });
        var json = Filter(new JsonObject { ["@type"] = "type.googleapis.com/stats.PluginConfig", ["disable_host_header_fallback"] = true });

        Assert.Empty(Walker.Compare(unread, json));
        Assert.Empty(Walker.Compare(json, unread));
    }

    [Fact]
    public void Given_an_unread_payload_of_another_type_or_a_change_beside_it_When_compared_Then_those_are_reported()
    {
        var unread = Filter(new JsonObject { ["@type"] = "type.googleapis.com/stats.PluginConfig", ["@unread"] = "12 bytes" });
        var other = Filter(new JsonObject { ["@type"] = "type.googleapis.com/io.istio.http.peer_metadata.Config", ["upstream_discovery"] = new JsonArray() });
        var renamed = new JsonObject { ["name"] = "istio.stats2", ["typed_config"] = new JsonObject { ["@type"] = "type.googleapis.com/stats.PluginConfig", ["x"] = 1 } };

        Assert.Contains(Walker.Compare(unread, other), c => c.Path == "/typed_config/@type");
        Assert.Equal(["/name"], Walker.Compare(unread, renamed).Select(c => c.Path));
    }
}
