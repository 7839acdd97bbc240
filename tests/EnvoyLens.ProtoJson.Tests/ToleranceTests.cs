using EnvoyLens.Core;
using EnvoyLens.ProtoJson.Tests.Messages;
using Google.Protobuf;
using static EnvoyLens.ProtoJson.Tests.TestSupport;

namespace EnvoyLens.ProtoJson.Tests;

public sealed class ToleranceTests
{
    [Fact]
    public void Given_unknown_field_When_read_Then_it_is_skipped_kept_raw_and_reported()
    {
        var result = Read(AllTypes.Descriptor, """{"text": "a", "mystery": {"deep": [1, {"x": 2}]}, "i32": 3}""");

        var message = Assert.IsType<AllTypes>(result.Message);
        Assert.Equal(("a", 3), (message.Text, message.I32));
        var raw = Assert.Single(result.RawPayloads);
        Assert.Equal("""{"deep": [1, {"x": 2}]}""", raw.Json);
        Assert.Equal("/mystery", raw.Pointer.Value);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticLevel.Warning, DiagnosticCodes.UnknownField), (diagnostic.Level, diagnostic.Code));
        Assert.Contains("envoylens.protojson.test.AllTypes", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("'mystery'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nested", "\"not an object\"")]
    [InlineData("color", "\"PURPLE\"")]
    [InlineData("duration", "\"5 minutes\"")]
    [InlineData("duration", "\"1.0000000001s\"")]
    [InlineData("timestamp", "\"2024-13-01T00:00:00Z\"")]
    [InlineData("i32", "2147483648")]
    [InlineData("u32", "-1")]
    [InlineData("u64", "\"18446744073709551616\"")]
    [InlineData("i32", "1.5")]
    [InlineData("flt", "1e39")]
    [InlineData("data", "\"@@@\"")]
    [InlineData("flag", "\"true\"")]
    [InlineData("text", "12")]
    [InlineData("rI32", "{}")]
    [InlineData("mI32", "{\"x\": \"y\"}")]
    [InlineData("wU32", "\"x\"")]
    [InlineData("any", "{\"name\": \"no type\"}")]
    public void Given_value_of_the_wrong_shape_When_read_Then_only_that_field_is_skipped(string field, string token)
    {
        var result = Read(AllTypes.Descriptor, $$"""{"text": "kept", "{{field}}": {{token}}, "i64": 9}""");

        var message = Assert.IsType<AllTypes>(result.Message);
        if (field != "text")
        {
            Assert.Equal("kept", message.Text);
        }

        Assert.Equal(9, message.I64);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticLevel.Warning, DiagnosticCodes.InvalidValue), (diagnostic.Level, diagnostic.Code));
        Assert.StartsWith("/" + field, diagnostic.Pointer.Value, StringComparison.Ordinal);
        Assert.EndsWith(".", diagnostic.Message, StringComparison.Ordinal);
        var raw = Assert.Single(result.RawPayloads);
        Assert.Contains(raw.Json, token, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_invalid_element_in_repeated_field_When_read_Then_other_elements_are_kept()
    {
        var result = Read(AllTypes.Descriptor, """{"rI32": [1, "x", 3], "rColor": ["RED", "NOPE"]}""");

        var message = Assert.IsType<AllTypes>(result.Message);
        Assert.Equal([1, 3], message.RI32);
        Assert.Equal([Color.Red], message.RColor);
        Assert.Equal(["/rI32/1", "/rColor/1"], result.Diagnostics.Select(d => d.Pointer.Value));
    }

    [Fact]
    public void Given_two_members_of_a_oneof_When_read_Then_the_last_wins_with_a_diagnostic()
    {
        var result = Read(AllTypes.Descriptor, """{"choiceText": "first", "choiceNumber": 7}""");

        var message = Assert.IsType<AllTypes>(result.Message);
        Assert.Equal(AllTypes.ChoiceOneofCase.ChoiceNumber, message.ChoiceCase);
        Assert.Equal(7, message.ChoiceNumber);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("/choiceNumber", diagnostic.Pointer.Value);
        Assert.Contains("choice_text", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"text": "a", """, 1)]
    [InlineData("""{"text": "a" "i32": 1}""", 1)]
    [InlineData("{\n  \"text\": \"a\",\n  \"nested\": {\"name\": }\n}", 3)]
    [InlineData("", 1)]
    [InlineData("""{"text": "a"} {"text": "b"}""", 1)]
    [InlineData("{\n  /* proto3 JSON has no comments */ \"text\": \"a\"\n}", 2)]
    [InlineData("{\"text\": \"a\" // nor these\n}", 1)]
    public void Given_malformed_json_When_read_Then_message_is_null_with_one_error_naming_the_line(string json, int line)
    {
        var result = Read(AllTypes.Descriptor, json);

        Assert.Null(result.Message);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticLevel.Error, DiagnosticCodes.InvalidResource), (diagnostic.Level, diagnostic.Code));
        Assert.Contains($"line {line}", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(Source, diagnostic.Source);
    }

    [Fact]
    public void Given_malformed_json_read_as_any_When_read_Then_no_exception_escapes()
    {
        var result = ReadAny("""{"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "c", "load_assignment": {""");

        Assert.Null(result.Message);
        Assert.Equal(DiagnosticCodes.InvalidResource, Assert.Single(result.Diagnostics).Code);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    public void Given_a_non_object_for_a_message_When_read_Then_message_is_null_with_an_error(string json)
    {
        var result = Read(AllTypes.Descriptor, json);

        Assert.Null(result.Message);
        Assert.Equal((DiagnosticLevel.Error, DiagnosticCodes.InvalidResource), (Assert.Single(result.Diagnostics).Level, result.Diagnostics[0].Code));
    }

    [Fact]
    public void Given_a_descriptor_without_generated_type_When_read_Then_an_argument_exception_is_thrown()
    {
        var descriptor = Google.Protobuf.Reflection.FileDescriptor.BuildFromByteStrings(
            [new Google.Protobuf.Reflection.FileDescriptorProto
            {
                Name = "dynamic.proto",
                Package = "dyn",
                MessageType = { new Google.Protobuf.Reflection.DescriptorProto { Name = "Dynamic" } },
            }.ToByteString()])[0].MessageTypes[0];

        Assert.Throws<ArgumentException>(() => Read(descriptor, "{}"));
    }

    [Fact]
    public void Given_deeply_nested_json_beyond_the_depth_limit_When_read_Then_an_error_is_reported_not_thrown()
    {
        var json = string.Concat(Enumerable.Repeat("{\"child\":", 400)) + "{}" + new string('}', 400);

        var result = Read(Nested.Descriptor, json);

        Assert.Null(result.Message);
        Assert.Equal(DiagnosticCodes.InvalidResource, Assert.Single(result.Diagnostics).Code);
    }
}
