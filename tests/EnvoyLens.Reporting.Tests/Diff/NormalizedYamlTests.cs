using System.Text.Json.Nodes;
using EnvoyLens.Reporting.Diff;

namespace EnvoyLens.Reporting.Tests.Diff;

public sealed class NormalizedYamlTests
{
    [Fact]
    public void Given_nested_objects_lists_and_scalars_When_rendered_Then_block_yaml_with_quoted_strings_and_plain_keys()
    {
        var node = JsonNode.Parse("""
            {"name":"outbound|9080||ratings","connect_timeout":"5s","port":9080,"http2":true,"none":null,
             "outlier":{"consecutive_5xx":5},"empty":{},"domains":["a","b"],"chains":[{"name":"c1","filters":[]},{"name":"c2"}],
             "outbound|9080||x":1}
            """);

        var yaml = NormalizedYaml.Render(node);

        Assert.Equal(
            "name: \"outbound|9080||ratings\"\n" +
            "connect_timeout: \"5s\"\n" +
            "port: 9080\n" +
            "http2: true\n" +
            "none: null\n" +
            "outlier:\n  consecutive_5xx: 5\n" +
            "empty: {}\n" +
            "domains:\n- \"a\"\n- \"b\"\n" +
            "chains:\n- name: \"c1\"\n  filters: []\n- name: \"c2\"\n" +
            "\"outbound|9080||x\": 1\n",
            yaml);
    }

    [Fact]
    public void Given_strings_that_look_like_other_types_When_rendered_Then_they_stay_strings()
    {
        var yaml = NormalizedYaml.Render(JsonNode.Parse("""{"a":"true","b":"10","c":"null","d":"line\nbreak"}"""));

        Assert.Equal("a: \"true\"\nb: \"10\"\nc: \"null\"\nd: \"line\\nbreak\"\n", yaml);
    }

    [Fact]
    public void Given_an_any_type_key_When_rendered_Then_it_is_quoted_because_at_cannot_start_a_plain_yaml_scalar()
    {
        var yaml = NormalizedYaml.Render(JsonNode.Parse("""{"@type":"type.googleapis.com/x.Y","a@b":1}"""));

        Assert.Equal("\"@type\": \"type.googleapis.com/x.Y\"\na@b: 1\n", yaml);
    }

    [Fact]
    public void Given_an_absent_resource_When_rendered_Then_null()
    {
        Assert.Null(NormalizedYaml.Render(null));
    }
}
