using EnvoyLens.ProtoJson.Tests.Messages;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using static EnvoyLens.ProtoJson.Tests.TestSupport;

namespace EnvoyLens.ProtoJson.Tests;

public sealed class WellKnownTypeTests
{
    [Theory]
    [InlineData("1.5s", 1L, 500_000_000)]
    [InlineData("-0.000000001s", 0L, -1)]
    [InlineData("0s", 0L, 0)]
    [InlineData("-3.25s", -3L, -250_000_000)]
    [InlineData("315576000000s", 315576000000L, 0)]
    public void Given_duration_strings_When_read_Then_seconds_and_nanos_match(string text, long seconds, int nanos)
    {
        var message = ReadClean<AllTypes>($$"""{"duration": "{{text}}"}""");

        Assert.Equal(new Duration { Seconds = seconds, Nanos = nanos }, message.Duration);
    }

    [Theory]
    [InlineData("2024-03-04T08:37:44Z", "2024-03-04T08:37:44Z", 0)]
    [InlineData("2024-03-04T08:37:44.5Z", "2024-03-04T08:37:44Z", 500_000_000)]
    [InlineData("2024-03-04T09:37:44.123456789+01:00", "2024-03-04T08:37:44Z", 123_456_789)]
    [InlineData("2024-03-04T00:07:44-08:30", "2024-03-04T08:37:44Z", 0)]
    [InlineData("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", 0)]
    public void Given_rfc3339_timestamps_When_read_Then_instant_is_utc(string text, string utcSeconds, int nanos)
    {
        var message = ReadClean<AllTypes>($$"""{"timestamp": "{{text}}"}""");

        var expected = Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(utcSeconds, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected.Seconds, message.Timestamp.Seconds);
        Assert.Equal(nanos, message.Timestamp.Nanos);
    }

    [Fact]
    public void Given_field_mask_When_read_Then_paths_are_snake_case()
    {
        var message = ReadClean<AllTypes>("""{"fieldMask": "fooBar.bazQux,a"}""");

        Assert.Equal(["foo_bar.baz_qux", "a"], message.FieldMask.Paths);
    }

    [Fact]
    public void Given_struct_value_and_list_When_read_Then_they_match_google_parser()
    {
        const string json = """
            {"structValue": {"a": 1, "b": [true, null, "s", {"c": {}}], "d": null},
             "value": {"x": [1.5]}, "listValue": [1, "a", null, []], "nullValue": null, "rValue": [null, 2],
             "empty": {}}
            """;

        var message = ReadClean<AllTypes>(json);

        Assert.Equal(GoogleParser().Parse<AllTypes>(json), message);
        Assert.Equal(Value.KindOneofCase.NullValue, message.StructValue.Fields["d"].KindCase);
        Assert.Equal(1.5, message.Value.StructValue.Fields["x"].ListValue.Values[0].NumberValue);
        Assert.Equal(4, message.ListValue.Values.Count);
        Assert.NotNull(message.Empty);
    }

    [Fact]
    public void Given_value_field_set_to_null_When_read_Then_it_holds_a_null_value()
    {
        var message = ReadClean<AllTypes>("""{"value": null}""");

        Assert.NotNull(message.Value);
        Assert.Equal(Value.KindOneofCase.NullValue, message.Value.KindCase);
    }

    [Fact]
    public void Given_all_wrappers_When_read_Then_values_are_set_and_match_google_parser()
    {
        const string json = """
            {"wBool": false, "wI32": -1, "wI64": "5", "wU32": 0, "wU64": "18446744073709551615", "wFlt": "NaN",
             "wDbl": 2.5, "wStr": "", "wBytes": "AQ=="}
            """;

        var message = ReadClean<AllTypes>(json);

        Assert.Equal(GoogleParser().Parse<AllTypes>(json), message);
        Assert.False(message.WBool);
        Assert.Equal(0u, message.WU32);
        Assert.Equal(ulong.MaxValue, message.WU64);
        Assert.Equal(string.Empty, message.WStr);
        Assert.Equal(ByteString.CopyFrom(1), message.WBytes);
    }

    [Fact]
    public void Given_any_holding_well_known_types_When_read_Then_payloads_use_the_value_property()
    {
        const string json = """
            {"anys": [
              {"@type": "type.googleapis.com/google.protobuf.Duration", "value": "2s"},
              {"@type": "type.googleapis.com/google.protobuf.Struct", "value": {"k": "v"}},
              {"@type": "type.googleapis.com/google.protobuf.UInt32Value", "value": 8},
              {"@type": "type.googleapis.com/google.protobuf.Empty", "value": {}},
              {"@type": "type.googleapis.com/google.protobuf.Value", "value": null},
              {"@type": "type.googleapis.com/google.protobuf.Any", "value": {"@type": "type.googleapis.com/google.protobuf.Timestamp", "value": "2024-01-01T00:00:00Z"}}
            ]}
            """;

        var message = ReadClean<AllTypes>(json);

        Assert.Equal(GoogleParser().Parse<AllTypes>(json), message);
        Assert.Equal(2, message.Anys[0].Unpack<Duration>().Seconds);
        Assert.Equal("v", message.Anys[1].Unpack<Struct>().Fields["k"].StringValue);
        Assert.Equal(8u, message.Anys[2].Unpack<UInt32Value>().Value);
        Assert.Equal(Value.KindOneofCase.NullValue, message.Anys[4].Unpack<Value>().KindCase);
        Assert.Equal(1704067200, message.Anys[5].Unpack<Any>().Unpack<Timestamp>().Seconds);
    }

    [Fact]
    public void Given_a_well_known_type_at_top_level_When_read_Then_its_json_form_is_accepted()
    {
        var duration = Read(Duration.Descriptor, "\"-1.5s\"");
        var value = Read(Value.Descriptor, "null");

        Assert.Equal(new Duration { Seconds = -1, Nanos = -500_000_000 }, duration.Message);
        Assert.Equal(Value.ForNull(), value.Message);
        Assert.Empty(duration.Diagnostics);
    }
}
