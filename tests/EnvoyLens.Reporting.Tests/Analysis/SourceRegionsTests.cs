using System.Text;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Analysis;

namespace EnvoyLens.Reporting.Tests.Analysis;

public sealed class SourceRegionsTests
{
    private const string Document =
        "{\n" +
        "  \"configs\": [\n" +
        "    {\"@type\": \"bootstrap\", \"skip\": {\"deep\": [1, 2, {\"x\": \"y\"}]}},\n" +
        "    {\n" +
        "      \"name\": \"caf\u00e9 \u2603\", \"a/b\": {\"routes\": [ {\"r\": 0},\n" +
        "        {\"r\": 1}]}\n" +
        "    }\n" +
        "  ]\n" +
        "}\n";

    private static IReadOnlyDictionary<string, SourceRegion> Locate(string text, params string[] pointers) =>
        SourceRegions.Locate(Encoding.UTF8.GetBytes(text), pointers.Select(JsonPointer.Parse));

    [Fact]
    public void Given_pointers_into_a_document_When_located_Then_each_gets_the_line_and_code_point_column_of_its_value()
    {
        var regions = Locate(Document, "/configs/1/a~1b/routes/1", "/configs/1/a~1b/routes/0", "/configs/0/skip/deep/2", "/configs", "");

        Assert.Equal(new SourceRegion(6, 9), regions["/configs/1/a~1b/routes/1"]);
        // "      \"name\": \"café ☃\", \"a/b\": {\"routes\": [ " is 44 code points; the value starts at column 45.
        Assert.Equal(new SourceRegion(5, 45), regions["/configs/1/a~1b/routes/0"]);
        Assert.Equal(new SourceRegion(3, 52), regions["/configs/0/skip/deep/2"]);
        Assert.Equal(new SourceRegion(2, 14), regions["/configs"]);
        Assert.Equal(new SourceRegion(1, 1), regions[""]);
    }

    [Fact]
    public void Given_a_byte_order_mark_When_located_Then_columns_do_not_count_it()
    {
        var regions = SourceRegions.Locate([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"a\": [true]}")], [JsonPointer.Parse("/a/0")]);

        Assert.Equal(new SourceRegion(1, 8), regions["/a/0"]);
    }

    [Theory]
    [InlineData("/configs/7")]
    [InlineData("/configs/1/name/x")]
    [InlineData("/nothing")]
    public void Given_a_pointer_that_leads_nowhere_When_located_Then_it_has_no_region(string pointer) =>
        Assert.False(Locate(Document, pointer).ContainsKey(pointer));

    [Theory]
    [InlineData("configs:\n- name: x\n")]
    [InlineData("{\"configs\": [ {\"a\": ")]
    public void Given_YAML_or_a_document_cut_short_When_located_Then_nothing_throws_and_unreached_pointers_have_no_region(string text) =>
        Assert.False(Locate(text, "/configs/0/a").ContainsKey("/configs/0/a"));
}
