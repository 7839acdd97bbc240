using System.Text;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Decoding.Documents;

namespace EnvoyLens.Decoding.Tests.Documents;

/// <summary>Authored inputs: YAML, wrappers, broken documents.</summary>
public sealed class ConfigDumpDocumentAuthoredTests
{
    private const string Clusters = "type.googleapis.com/envoy.admin.v3.ClustersConfigDump";
    private const string Listeners = "type.googleapis.com/envoy.admin.v3.ListenersConfigDump";

    private static readonly string TwoPods =
        "{\"ns1\": {\"pod-a\": {\"configs\": [{\"@type\": \"" + Clusters + "\"}]}},\n" +
        " \"ns2\": {\"pod-b\": {\"configs\": [{\"@type\": \"" + Listeners + "\"}, {\"@type\": \"" + Clusters + "\"}]}}}";

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static JsonElement Entry(ConfigDumpLayout layout, int index) =>
        JsonDocument.Parse(layout.EntryBytes(layout.Entries[index])).RootElement;

    [Fact]
    public void Given_istioctl_style_yaml_When_read_Then_entries_are_sliced_from_the_converted_json()
    {
        const string yaml = """
            configs:
            - '@type': type.googleapis.com/envoy.admin.v3.ClustersConfigDump
              version_info: "2024-01-01T00:00:00Z/7"
              static_clusters:
              - cluster:
                  name: quoted-number-stays-string
                  connect_timeout: 10s
                  per_connection_buffer_limit_bytes: 32768
                  ignore_health_on_host_removal: true
                  alt_stat_name: "123"
                  common_lb_config: ~
                  respect_dns_ttl: 'false'
                  lb_policy: ROUND_ROBIN
                  ratio: 0.25
                  version: 1.10
            - "@type": type.googleapis.com/envoy.admin.v3.ListenersConfigDump
              dynamic_listeners: []
            """;

        var layout = ConfigDumpDocument.Read(Utf8(yaml), "all.yaml");

        Assert.Equal("yaml+configs-array", layout.Form);
        Assert.Equal([Clusters, Listeners], layout.Entries.Select(e => e.TypeUrl));
        Assert.Equal("/configs/1", layout.Entries[1].Pointer.Value);
        var cluster = Entry(layout, 0).GetProperty("static_clusters")[0].GetProperty("cluster");
        Assert.Equal(JsonValueKind.String, cluster.GetProperty("alt_stat_name").ValueKind);
        Assert.Equal("123", cluster.GetProperty("alt_stat_name").GetString());
        Assert.Equal(32768, cluster.GetProperty("per_connection_buffer_limit_bytes").GetInt32());
        Assert.Equal(JsonValueKind.True, cluster.GetProperty("ignore_health_on_host_removal").ValueKind);
        Assert.Equal(JsonValueKind.Null, cluster.GetProperty("common_lb_config").ValueKind);
        Assert.Equal("false", cluster.GetProperty("respect_dns_ttl").GetString());
        Assert.Equal("10s", cluster.GetProperty("connect_timeout").GetString());
        Assert.Equal(0.25, cluster.GetProperty("ratio").GetDouble());
        Assert.Equal("1.10", cluster.GetProperty("version").GetRawText());
        Assert.Equal("2024-01-01T00:00:00Z/7", Entry(layout, 0).GetProperty("version_info").GetString());
    }

    [Fact]
    public void Given_yaml_with_explicit_tags_and_special_floats_When_read_Then_tags_win_and_infinities_become_proto_strings()
    {
        const string yaml = """
            configs:
            - "@type": t
              a: !!str 42
              b: .inf
              c: 0x1F
              d: -7
              e: |
                literal 12
              f: 1
            """;

        var layout = ConfigDumpDocument.Read(Utf8(yaml), "x.yaml");

        var e = Entry(layout, 0);
        Assert.Equal("42", e.GetProperty("a").GetString());
        Assert.Equal("Infinity", e.GetProperty("b").GetString());
        Assert.Equal(31, e.GetProperty("c").GetInt32());
        Assert.Equal(-7, e.GetProperty("d").GetInt32());
        Assert.Equal("literal 12\n", e.GetProperty("e").GetString());
    }

    [Fact]
    public void Given_yaml_octal_and_hex_integers_too_large_for_64_bits_When_read_Then_they_stay_strings_and_nothing_throws()
    {
        // Found by fuzzing: an octal scalar past 64 bits threw OverflowException out of the YAML conversion.
        const string yaml = """
            configs:
            - "@type": t
              a: 0o1777777777777777777777
              b: 0o2000000000000000000000
              c: 0o3333333333333333333333333333333
              d: 0xFFFFFFFFFFFFFFFF
              e: 0x10000000000000000
              f: 0o17
            """;

        var layout = ConfigDumpDocument.Read(Utf8(yaml), "x.yaml");

        var e = Entry(layout, 0);
        Assert.Equal(ulong.MaxValue, e.GetProperty("a").GetUInt64());
        Assert.Equal("0o2000000000000000000000", e.GetProperty("b").GetString());
        Assert.Equal("0o3333333333333333333333333333333", e.GetProperty("c").GetString());
        Assert.Equal(ulong.MaxValue, e.GetProperty("d").GetUInt64());
        Assert.Equal("0x10000000000000000", e.GetProperty("e").GetString());
        Assert.Equal(15, e.GetProperty("f").GetInt32());
    }

    [Fact]
    public void Given_an_egctl_envoy_proxy_dump_of_two_pods_When_read_Then_the_first_is_picked_and_the_other_listed()
    {
        var json = TwoPods;

        var layout = ConfigDumpDocument.Read(Utf8(json), "eg.json");

        Assert.Equal("egctl-namespaced+configs-array", layout.Form);
        Assert.Equal("ns1/pod-a", layout.SelectedProxy);
        Assert.Equal(["ns1/pod-a", "ns2/pod-b"], layout.AvailableProxies);
        Assert.Equal("/ns1/pod-a/configs/0", Assert.Single(layout.Entries).Pointer.Value);
        var note = Assert.Single(layout.Diagnostics);
        Assert.Equal(DiagnosticCodes.Interpretation, note.Code);
        Assert.Contains("ns2/pod-b", note.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ns2/pod-b")]
    [InlineData("pod-b.ns2")]
    [InlineData("pod-b")]
    public void Given_an_egctl_envoy_proxy_dump_When_a_pod_is_named_Then_its_entries_are_read(string proxy)
    {
        var json = TwoPods;

        var layout = ConfigDumpDocument.Read(Utf8(json), "eg.json", proxy);

        Assert.Equal("ns2/pod-b", layout.SelectedProxy);
        Assert.Equal(["/ns2/pod-b/configs/0", "/ns2/pod-b/configs/1"], layout.Entries.Select(e => e.Pointer.Value));
        Assert.Equal(Listeners, layout.Entries[0].TypeUrl);
        Assert.Empty(layout.Diagnostics);
    }

    [Fact]
    public void Given_a_wrapped_dump_When_an_unknown_proxy_is_named_Then_the_error_lists_the_available_ones()
    {
        const string json = """{"ns1": {"pod-a": {"configs": []}}, "ns2": {"pod-b": {"configs": []}}}""";

        var ex = Assert.Throws<EnvoyLensException>(() => ConfigDumpDocument.Read(Utf8(json), "eg.json", "pod-c"));

        Assert.Equal("eg.json holds no proxy named 'pod-c'; it holds ns1/pod-a, ns2/pod-b.", ex.Message);
    }

    [Fact]
    public void Given_entries_that_are_not_objects_When_read_Then_they_are_skipped_with_a_diagnostic_and_the_rest_kept()
    {
        var json = $$"""{"configs": [{"@type": "{{Clusters}}", "x": [1, {"@type": "nested"}]}, 42, "s", null, {"no_type": true}]}""";

        var layout = ConfigDumpDocument.Read(Utf8(json), "d.json");

        Assert.Equal(["/configs/0", "/configs/4"], layout.Entries.Select(e => e.Pointer.Value));
        Assert.Equal([Clusters, null], layout.Entries.Select(e => e.TypeUrl));
        Assert.Equal(["/configs/1", "/configs/2", "/configs/3"], layout.Diagnostics.Select(d => d.Pointer.Value));
        Assert.All(layout.Diagnostics, d => Assert.Equal(DiagnosticCodes.InvalidResource, d.Code));
        Assert.Equal("{\"no_type\": true}", Encoding.UTF8.GetString(layout.EntryBytes(layout.Entries[1]).Span));
    }

    [Fact]
    public void Given_a_utf8_bom_When_read_Then_offsets_point_into_the_returned_buffer()
    {
        var bytes = Utf8("\uFEFF{\"configs\":[{\"@type\":\"t\"}]}");

        var layout = ConfigDumpDocument.Read(bytes, "bom.json");

        Assert.Equal("{\"@type\":\"t\"}", Encoding.UTF8.GetString(layout.EntryBytes(layout.Entries[0]).Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t ")]
    public void Given_an_empty_file_When_read_Then_it_says_empty(string content)
    {
        var ex = Assert.Throws<EnvoyLensException>(() => ConfigDumpDocument.Read(Utf8(content), "e.json"));

        Assert.Equal("e.json is empty.", ex.Message);
    }

    [Fact]
    public void Given_binary_garbage_When_read_Then_it_says_binary()
    {
        var bytes = new byte[256];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0xFF;

        var ex = Assert.Throws<EnvoyLensException>(() => ConfigDumpDocument.Read(bytes, "g.bin"));

        Assert.StartsWith("g.bin is neither JSON nor YAML", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_gzip_file_When_read_Then_it_says_to_decompress()
    {
        byte[] bytes = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00];

        var ex = Assert.Throws<EnvoyLensException>(() => ConfigDumpDocument.Read(bytes, "d.json.gz"));

        Assert.StartsWith("d.json.gz is gzip-compressed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"configs\": [", 13)]
    [InlineData("{\"configs\": [{\"@type\": \"t\"}]", 28)]
    [InlineData("{\"configs\": [{\"@type\": \"type.goo", 32)]
    public void Given_truncated_json_When_read_Then_it_says_where_it_ends(string json, int length)
    {
        var ex = Assert.Throws<EnvoyLensException>(() => ConfigDumpDocument.Read(Utf8(json), "t.json"));

        Assert.Equal($"t.json is truncated: the JSON ends at byte {length} before the document is complete.", ex.Message);
    }

    [Fact]
    public void Given_malformed_json_When_read_Then_it_names_the_line()
    {
        const string json = "{\n\"configs\": [\n{\"@type\": tru}]}";

        var ex = Assert.Throws<EnvoyLensException>(() => ConfigDumpDocument.Read(Utf8(json), "m.json"));

        Assert.StartsWith("m.json is not valid JSON at line 3,", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"stats\": []}", "m.json is not a config dump: it has no \"configs\" (it has top-level keys \"stats\").")]
    [InlineData("[1, 2]", "m.json is not a config dump: it is a JSON array, not an object with \"configs\".")]
    [InlineData("just some words", "m.json is not a config dump: it is neither a JSON object nor a YAML mapping but plain text.")]
    public void Given_a_document_that_is_not_a_dump_When_read_Then_it_says_what_it_is(string content, string message)
    {
        var ex = Assert.Throws<EnvoyLensException>(() => ConfigDumpDocument.Read(Utf8(content), "m.json"));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Given_invalid_yaml_When_read_Then_it_says_neither_json_nor_yaml()
    {
        var ex = Assert.Throws<EnvoyLensException>(() => ConfigDumpDocument.Read(Utf8("configs:\n  - a: [1, 2\n  b: }"), "y.yaml"));

        Assert.StartsWith("y.yaml is neither JSON nor valid YAML (line", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_trailing_content_after_the_document_When_read_Then_it_is_refused()
    {
        var ex = Assert.Throws<EnvoyLensException>(() => ConfigDumpDocument.Read(Utf8("{\"configs\": []} {\"configs\": []}"), "two.json"));

        Assert.StartsWith("two.json has data after the end of its JSON document", ex.Message, StringComparison.Ordinal);
    }
}
