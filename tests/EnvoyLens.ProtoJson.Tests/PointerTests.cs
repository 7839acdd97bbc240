using EnvoyLens.Core;
using EnvoyLens.ProtoJson.Tests.Messages;
using static EnvoyLens.ProtoJson.Tests.TestSupport;

namespace EnvoyLens.ProtoJson.Tests;

public sealed class PointerTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("kubernetes://default", "kubernetes:~1~1default")]
    [InlineData("a~b/c", "a~0b~1c")]
    [InlineData("~1", "~01")]
    [InlineData("/~", "~1~0")]
    public void Given_a_token_with_tilde_or_slash_When_appended_Then_it_is_escaped_as_rfc6901_says_and_reads_back(string token, string escaped)
    {
        var pointer = JsonPointer.Root.Append("x").Append(token);

        Assert.Equal("/x/" + escaped, pointer.Value);
        Assert.Equal(["x", token], pointer.Tokens);
    }

    [Fact]
    public void Given_camel_and_snake_case_input_When_a_problem_is_reported_Then_pointers_use_the_input_names()
    {
        var camel = Read(AllTypes.Descriptor, """{"rNested": [{}, {"child": {"bogus": 1}}]}""");
        var snake = Read(AllTypes.Descriptor, """{"r_nested": [{}, {"child": {"bogus": 1}}]}""");

        Assert.Equal("/rNested/1/child/bogus", Assert.Single(camel.Diagnostics).Pointer.Value);
        Assert.Equal("/r_nested/1/child/bogus", Assert.Single(snake.Diagnostics).Pointer.Value);
    }

    [Fact]
    public void Given_a_base_pointer_and_escaped_names_When_reported_Then_pointer_is_rfc6901_escaped()
    {
        var result = TestSupport.Reader.Read(
            AllTypes.Descriptor,
            System.Text.Encoding.UTF8.GetBytes("""{"mStruct": {"1": {"a/b": {"~x": 1}}}, "mI32": {"k\u002Fey": "v"}}"""),
            Source,
            JsonPointer.Parse("/configs/0"));

        // Struct contents are always typed, so only the bad map key is reported.
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("/configs/0/mI32/k~1ey", diagnostic.Pointer.Value);
    }

    [Fact]
    public void Given_tracked_types_When_read_Then_locations_are_recorded_by_reference()
    {
        var reader = new ProtoJsonReader(Resolver, new ProtoJsonReaderOptions { TrackedTypes = new HashSet<string> { "envoylens.protojson.test.Nested" } });
        var result = Read(AllTypes.Descriptor, """{"rNested": [{"name": "a"}, {"name": "b", "child": {}}], "any": {"@type": "type.googleapis.com/envoylens.protojson.test.Nested"}}""", reader);

        var message = Assert.IsType<AllTypes>(result.Message);
        Assert.Equal("/rNested/0", result.LocationOf(message.RNested[0])?.Value);
        Assert.Equal("/rNested/1/child", result.LocationOf(message.RNested[1].Child)?.Value);
        Assert.Equal("/any", result.LocationOf(result.Unpacked(message.Any)!)?.Value);
        Assert.Null(result.LocationOf(message));
        Assert.Null(result.LocationOf(new Nested { Name = "a" }));
    }
}
