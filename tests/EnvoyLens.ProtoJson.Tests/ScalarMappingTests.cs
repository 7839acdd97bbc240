using EnvoyLens.ProtoJson.Tests.Messages;
using Google.Protobuf;
using static EnvoyLens.ProtoJson.Tests.TestSupport;

namespace EnvoyLens.ProtoJson.Tests;

public sealed class ScalarMappingTests
{
    [Fact]
    public void Given_every_scalar_type_in_canonical_form_When_read_Then_values_match_google_parser()
    {
        const string json = """
            {"i32": -7, "i64": "-9007199254740993", "u32": 4294967295, "u64": "18446744073709551615",
             "s32": -2147483648, "s64": "9223372036854775807", "f32": 12, "f64": "13", "sf32": -14, "sf64": "-15",
             "flt": 1.5, "dbl": -2.25, "flag": true, "text": "héllo \"q\"", "data": "AAEC/w==", "color": "GREEN",
             "nested": {"name": "n", "value": 3, "child": {"name": "c"}}, "deeper": {"note": "d"}}
            """;

        var message = ReadClean<AllTypes>(json);

        Assert.Equal(GoogleParser().Parse<AllTypes>(json), message);
        Assert.Equal(-9007199254740993L, message.I64);
        Assert.Equal(ulong.MaxValue, message.U64);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, message.Data.ToByteArray());
        Assert.Equal(Color.Green, message.Color);
        Assert.Equal("c", message.Nested.Child.Name);
    }

    [Fact]
    public void Given_snake_case_and_camel_case_names_When_read_Then_both_bind_to_the_field()
    {
        var camel = ReadClean<AllTypes>("""{"rI32": [1], "customName": "x", "optI32": 0}""");
        var snake = ReadClean<AllTypes>("""{"r_i32": [1], "json_named": "x", "opt_i32": 0}""");

        Assert.Equal(camel, snake);
        Assert.Equal([1], snake.RI32);
        Assert.Equal("x", snake.JsonNamed);
        Assert.True(snake.HasOptI32);
    }

    [Theory]
    [InlineData("\"42\"", 42L)]
    [InlineData("42", 42L)]
    [InlineData("4.2e1", 42L)]
    [InlineData("\"-1\"", -1L)]
    [InlineData("1.0", 1L)]
    public void Given_int64_as_number_or_string_When_read_Then_value_is_parsed(string token, long expected)
    {
        Assert.Equal(expected, ReadClean<AllTypes>($$"""{"i64": {{token}}}""").I64);
    }

    [Theory]
    [InlineData("\"NaN\"", double.NaN)]
    [InlineData("\"Infinity\"", double.PositiveInfinity)]
    [InlineData("\"-Infinity\"", double.NegativeInfinity)]
    [InlineData("\"2.5\"", 2.5)]
    [InlineData("1e-3", 0.001)]
    public void Given_special_float_strings_When_read_Then_doubles_and_floats_take_them(string token, double expected)
    {
        var message = ReadClean<AllTypes>($$"""{"dbl": {{token}}, "flt": {{token}}, "rDbl": [{{token}}]}""");

        Assert.Equal(expected, message.Dbl);
        Assert.Equal((float)expected, message.Flt);
        Assert.Equal(expected, Assert.Single(message.RDbl));
    }

    [Theory]
    [InlineData("\"-_-_\"", new byte[] { 0xFB, 0xFF, 0xBF })]
    [InlineData("\"+/+/\"", new byte[] { 0xFB, 0xFF, 0xBF })]
    [InlineData("\"-_8=\"", new byte[] { 0xFB, 0xFF })]
    [InlineData("\"-_8\"", new byte[] { 0xFB, 0xFF })]
    [InlineData("\"AQ\"", new byte[] { 1 })]
    [InlineData("\"\"", new byte[0])]
    public void Given_standard_or_url_safe_base64_When_read_Then_bytes_decode(string token, byte[] expected)
    {
        Assert.Equal(expected, ReadClean<AllTypes>($$"""{"data": {{token}}}""").Data.ToByteArray());
    }

    [Fact]
    public void Given_enum_by_number_When_read_Then_known_and_unknown_numbers_are_kept()
    {
        var message = ReadClean<AllTypes>("""{"color": 1, "rColor": [2, "RED", 7]}""");

        Assert.Equal(Color.Red, message.Color);
        Assert.Equal([Color.Green, Color.Red, (Color)7], message.RColor);
    }

    [Fact]
    public void Given_repeated_fields_of_every_shape_When_read_Then_elements_are_in_order()
    {
        const string json = """
            {"rI32": [1, -2], "rI64": ["3", 4], "rU64": ["18446744073709551615"], "rText": ["a", "b"],
             "rNested": [{"name": "x"}, {}], "rFlag": [true, false], "rData": ["AQ==", "Ag=="], "rFlt": [0.5],
             "rU32": [7], "rWU32": [1, 2], "rDuration": ["1s", "0.5s"]}
            """;

        var message = ReadClean<AllTypes>(json);

        Assert.Equal(GoogleParser().Parse<AllTypes>(json), message);
        Assert.Equal([1, -2], message.RI32);
        Assert.Equal([3L, 4L], message.RI64);
        Assert.Equal(2, message.RNested.Count);
        Assert.Equal([1u, 2u], message.RWU32.Select(v => v!.Value));
        Assert.Equal(500_000_000, message.RDuration[1].Nanos);
    }

    [Fact]
    public void Given_maps_with_every_key_type_When_read_Then_keys_are_converted()
    {
        const string json = """
            {"mStr": {"a": "1", "a/b~": "2"}, "mI32": {"-5": "neg"}, "mI64Nested": {"9007199254740993": {"name": "big"}},
             "mBool": {"true": 1, "false": 0}, "mU32Color": {"4": "GREEN"}, "mValue": {"n": null, "s": "x"},
             "mStruct": {"1": {"k": [1, "two"]}}}
            """;

        var message = ReadClean<AllTypes>(json);

        Assert.Equal(GoogleParser().Parse<AllTypes>(json), message);
        Assert.Equal("2", message.MStr["a/b~"]);
        Assert.Equal("neg", message.MI32[-5]);
        Assert.Equal("big", message.MI64Nested[9007199254740993L].Name);
        Assert.Equal(1, message.MBool[true]);
        Assert.Equal(Color.Green, message.MU32Color[4]);
        Assert.Equal(Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NullValue, message.MValue["n"].KindCase);
        Assert.Equal("two", message.MStruct[1].Fields["k"].ListValue.Values[1].StringValue);
    }

    [Fact]
    public void Given_oneof_member_When_read_Then_case_is_set()
    {
        var message = ReadClean<AllTypes>("""{"choiceNested": {"name": "in"}}""");

        Assert.Equal(AllTypes.ChoiceOneofCase.ChoiceNested, message.ChoiceCase);
        Assert.Equal("in", message.ChoiceNested.Name);
    }

    [Fact]
    public void Given_null_values_When_read_Then_fields_stay_unset()
    {
        var message = ReadClean<AllTypes>("""{"i32": null, "nested": null, "rText": null, "mStr": null, "duration": null, "wBool": null, "choiceText": null}""");

        Assert.Equal(new AllTypes(), message);
    }

    [Fact]
    public void Given_escaped_property_names_and_strings_When_read_Then_they_are_unescaped()
    {
        var message = ReadClean<AllTypes>("""{"t\u0065xt": "a\u00e9\n", "\u0063olor": "R\u0045D"}""");

        Assert.Equal("aé\n", message.Text);
        Assert.Equal(Color.Red, message.Color);
    }
}
