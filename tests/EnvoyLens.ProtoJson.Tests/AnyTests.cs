using EnvoyLens.Core;
using EnvoyLens.ProtoJson.Tests.Messages;
using Google.Protobuf.WellKnownTypes;
using static EnvoyLens.ProtoJson.Tests.TestSupport;

namespace EnvoyLens.ProtoJson.Tests;

public sealed class AnyTests
{
    [Fact]
    public void Given_any_of_a_known_type_When_read_Then_it_is_packed_with_the_canonical_url()
    {
        var result = Read(AllTypes.Descriptor, """{"any": {"@type": "example.com/x/envoylens.protojson.test.Nested", "name": "n", "child": {"value": 2}}}""", KeepingReader);

        var any = Assert.IsType<AllTypes>(result.Message).Any;
        Assert.Equal("type.googleapis.com/envoylens.protojson.test.Nested", any.TypeUrl);
        Assert.Equal(new Nested { Name = "n", Child = new Nested { Value = 2 } }, any.Unpack<Nested>());
        Assert.IsType<Nested>(result.Unpacked(any));
        Assert.Equal(any.Unpack<Nested>(), result.Unpacked(any));
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Given_default_options_When_an_any_is_read_Then_the_unpacked_message_is_not_kept()
    {
        var result = Read(AllTypes.Descriptor, """{"any": {"@type": "type.googleapis.com/envoylens.protojson.test.Nested", "name": "n"}}""");

        var any = Assert.IsType<AllTypes>(result.Message).Any;
        Assert.Equal("n", any.Unpack<Nested>().Name);
        Assert.Null(result.Unpacked(any));
    }

    [Fact]
    public void Given_a_plain_message_with_its_own_type_property_When_read_Then_the_property_is_accepted()
    {
        var same = Read(Nested.Descriptor, """{"@type": "type.googleapis.com/envoylens.protojson.test.Nested", "name": "n"}""");
        var other = Read(Nested.Descriptor, """{"@type": "type.googleapis.com/other.Type", "name": "n"}""");

        Assert.Empty(same.Diagnostics);
        Assert.Equal(new Nested { Name = "n" }, same.Message);
        Assert.Equal(("/@type", DiagnosticCodes.UnknownField), (Assert.Single(other.Diagnostics).Pointer.Value, other.Diagnostics[0].Code));
        Assert.Equal(new Nested { Name = "n" }, other.Message);
    }

    [Fact]
    public void Given_type_property_not_first_When_read_Then_the_payload_is_still_typed()
    {
        var result = Read(AllTypes.Descriptor, """{"any": {"name": "late", "@type": "type.googleapis.com/envoylens.protojson.test.Nested"}}""");

        Assert.Equal("late", Assert.IsType<AllTypes>(result.Message).Any.Unpack<Nested>().Name);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Given_any_of_an_unknown_type_When_read_Then_it_is_kept_raw_and_siblings_decode()
    {
        const string unknown = """{"@type": "type.googleapis.com/io.istio.http.peer_metadata.Config", "upstream_discovery": [{"istio_headers": {}}]}""";
        var json = $$"""{"text": "before", "anys": [{"@type": "type.googleapis.com/envoylens.protojson.test.Nested", "name": "ok"}, {{unknown}}], "i32": 5}""";

        var result = Read(AllTypes.Descriptor, json);

        var message = Assert.IsType<AllTypes>(result.Message);
        Assert.Equal("before", message.Text);
        Assert.Equal(5, message.I32);
        Assert.Equal("ok", message.Anys[0].Unpack<Nested>().Name);
        Assert.Equal("type.googleapis.com/io.istio.http.peer_metadata.Config", message.Anys[1].TypeUrl);
        Assert.True(message.Anys[1].Value.IsEmpty);
        var raw = Assert.Single(result.RawPayloads);
        Assert.Equal(unknown, raw.Json);
        Assert.Equal("/anys/1", raw.Pointer.Value);
        Assert.Equal("type.googleapis.com/io.istio.http.peer_metadata.Config", raw.TypeUrl);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticLevel.Warning, DiagnosticCodes.UnknownType, "/anys/1"), (diagnostic.Level, diagnostic.Code, diagnostic.Pointer.Value));
        Assert.Contains("io.istio.http.peer_metadata.Config", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_top_level_any_When_read_Then_message_is_the_unpacked_payload()
    {
        var result = ReadAny("""{"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "c", "connect_timeout": "1s"}""");

        var cluster = Assert.IsType<Envoy.Config.Cluster.V3.Cluster>(result.Message);
        Assert.Equal("c", cluster.Name);
        Assert.Equal(1, cluster.ConnectTimeout.Seconds);
    }

    [Fact]
    public void Given_top_level_any_of_unknown_type_When_read_Then_message_is_null_and_object_is_raw()
    {
        const string json = """{"@type": "type.googleapis.com/stats.PluginConfig", "x": 1}""";

        var result = ReadAny(json, JsonPointer.Parse("/configs/3"));

        Assert.Null(result.Message);
        Assert.Equal(json, Assert.Single(result.RawPayloads).Json);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.UnknownType, "/configs/3"), (diagnostic.Code, diagnostic.Pointer.Value));
    }

    [Fact]
    public void Given_legacy_type_url_and_a_rename_When_read_Then_v3_type_is_decoded_with_an_info_diagnostic()
    {
        var resolver = new TypeResolver(
            [EnvoyMessageTypes.Table],
            name => name == "envoy.api.v2.Cluster" ? "envoy.config.cluster.v3.Cluster" : null);
        var reader = new ProtoJsonReader(resolver);

        var result = ReadAny("""{"@type": "type.googleapis.com/envoy.api.v2.Cluster", "name": "legacy"}""", JsonPointer.Parse("/configs/0"), reader);

        Assert.Equal("legacy", Assert.IsType<Envoy.Config.Cluster.V3.Cluster>(result.Message).Name);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticLevel.Info, DiagnosticCodes.LegacyType, "/configs/0"), (diagnostic.Level, diagnostic.Code, diagnostic.Pointer.Value));
        Assert.Equal("type.googleapis.com/envoy.api.v2.Cluster", diagnostic.TypeUrl);
    }

    [Fact]
    public void Given_empty_any_object_When_read_Then_it_is_an_empty_any()
    {
        var message = ReadClean<AllTypes>("""{"any": {}}""");

        Assert.Equal(new Any(), message.Any);
    }

    [Fact]
    public void Given_top_level_object_without_type_When_read_as_any_Then_an_error_is_reported()
    {
        var result = ReadAny("""{"name": "x"}""");

        Assert.Null(result.Message);
        Assert.Equal(DiagnosticCodes.InvalidResource, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Given_an_unencoded_type_When_its_any_is_read_Then_the_any_holds_no_bytes_and_the_message_is_kept_with_its_content()
    {
        var hcm = "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
        var reader = new ProtoJsonReader(new TypeResolver([EnvoyMessageTypes.Table]), new ProtoJsonReaderOptions { UnencodedTypes = new HashSet<string> { hcm } });
        var json = """
            {"name": "l", "filter_chains": [{"filters": [{"name": "hcm", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager", "stat_prefix": "inbound"}}]}]}
            """;

        var result = Read(Envoy.Config.Listener.V3.Listener.Descriptor, json, reader);

        var any = ((Envoy.Config.Listener.V3.Listener)result.Message!).FilterChains[0].Filters[0].TypedConfig;
        Assert.Equal("type.googleapis.com/" + hcm, any.TypeUrl);
        Assert.True(any.Value.IsEmpty);
        var kept = Assert.IsType<Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager>(result.Unpacked(any));
        Assert.Equal("inbound", kept.StatPrefix);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Given_an_unencoded_type_inside_an_encoded_payload_When_read_Then_it_is_encoded_so_the_outer_bytes_hold_it()
    {
        var hcm = "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
        var reader = new ProtoJsonReader(new TypeResolver([EnvoyMessageTypes.Table]), new ProtoJsonReaderOptions { UnencodedTypes = new HashSet<string> { hcm } });
        var json = """
            {"name": "c", "typed_extension_protocol_options": {"x": {"@type": "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig",
              "name": "inner", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager", "stat_prefix": "nested"}}}}
            """;

        var result = Read(Envoy.Config.Cluster.V3.Cluster.Descriptor, json, reader);

        // The outer payload is not in the set, so it is encoded; what it encloses must be in its bytes.
        var outer = ((Envoy.Config.Cluster.V3.Cluster)result.Message!).TypedExtensionProtocolOptions["x"];
        var extension = outer.Unpack<Envoy.Config.Core.V3.TypedExtensionConfig>();
        Assert.Equal("inner", extension.Name);
        Assert.False(extension.TypedConfig.Value.IsEmpty);
        Assert.Equal("nested", extension.TypedConfig.Unpack<Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager>().StatPrefix);
        Assert.Empty(result.Diagnostics);
    }
}
