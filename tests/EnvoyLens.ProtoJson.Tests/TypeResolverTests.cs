using EnvoyLens.ProtoJson.Tests.Messages;
using static EnvoyLens.ProtoJson.Tests.TestSupport;

namespace EnvoyLens.ProtoJson.Tests;

public sealed class TypeResolverTests
{
    [Theory]
    [InlineData("envoy.config.cluster.v3.Cluster", "Envoy.Config.Cluster.V3.Cluster")]
    [InlineData("envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager", "Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager")]
    [InlineData("envoy.config.cluster.v3.Cluster.CommonLbConfig", "Envoy.Config.Cluster.V3.Cluster+Types+CommonLbConfig")]
    [InlineData("istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig", "Istio.Envoy.Config.Filter.Http.Alpn.V2Alpha1.FilterConfig")]
    [InlineData("google.protobuf.Duration", "Google.Protobuf.WellKnownTypes.Duration")]
    [InlineData("lowercase.only", null)]
    public void Given_a_full_name_When_mapped_Then_clr_name_follows_protoc_csharp(string fullName, string? clrName)
    {
        Assert.Equal(clrName, TypeResolver.ClrTypeNameOf(fullName));
    }

    [Theory]
    [InlineData("type.googleapis.com/envoy.config.cluster.v3.Cluster", "envoy.config.cluster.v3.Cluster")]
    [InlineData("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext", "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext")]
    [InlineData("example.org/a/b/envoy.config.route.v3.RouteConfiguration", "envoy.config.route.v3.RouteConfiguration")]
    [InlineData("type.googleapis.com/google.protobuf.Struct", "google.protobuf.Struct")]
    [InlineData("type.googleapis.com/udpa.type.v1.TypedStruct", "udpa.type.v1.TypedStruct")]
    [InlineData("type.googleapis.com/envoylens.protojson.test.Nested.Deeper", "envoylens.protojson.test.Nested.Deeper")]
    public void Given_a_type_url_When_resolved_Then_descriptor_and_canonical_url_match(string url, string fullName)
    {
        var resolved = Resolver.Resolve(url);

        Assert.NotNull(resolved);
        Assert.Equal(fullName, resolved.Descriptor.FullName);
        Assert.Equal("type.googleapis.com/" + fullName, resolved.CanonicalTypeUrl);
        Assert.Null(resolved.RenamedFrom);
        Assert.Same(resolved, Resolver.Resolve(url));
    }

    [Theory]
    [InlineData("type.googleapis.com/io.istio.http.peer_metadata.Config")]
    [InlineData("type.googleapis.com/stats.PluginConfig")]
    [InlineData("type.googleapis.com/")]
    [InlineData("")]
    public void Given_an_unknown_type_url_When_resolved_Then_null(string url)
    {
        Assert.Null(Resolver.Resolve(url));
    }

    [Fact]
    public void Given_a_rename_When_resolved_Then_result_names_the_original_and_unmapped_names_still_resolve()
    {
        var resolver = new TypeResolver([TestMessageTypes.Table], n => n == "old.pkg.Thing" ? "envoylens.protojson.test.Nested" : "not.a.Type");

        var renamed = resolver.Resolve("type.googleapis.com/old.pkg.Thing");
        var direct = resolver.Resolve("type.googleapis.com/envoylens.protojson.test.AllTypes");

        Assert.Equal(("envoylens.protojson.test.Nested", "old.pkg.Thing"), (renamed?.Descriptor.FullName, renamed?.RenamedFrom));
        Assert.Equal(("envoylens.protojson.test.AllTypes", (string?)null), (direct?.Descriptor.FullName, direct?.RenamedFrom));
    }

    [Fact]
    public void Given_concurrent_lookups_When_resolved_Then_all_agree()
    {
        var resolver = new TypeResolver([EnvoyMessageTypes.Table]);
        var urls = new[] { "type.googleapis.com/envoy.config.listener.v3.Listener", "type.googleapis.com/nope.Nope", "type.googleapis.com/envoy.admin.v3.ClustersConfigDump" };

        var results = Enumerable.Range(0, 64).AsParallel().Select(i => resolver.Resolve(urls[i % 3])?.Descriptor.FullName).ToList();

        Assert.Equal(Enumerable.Range(0, 64).Select(i => (i % 3) switch { 0 => "envoy.config.listener.v3.Listener", 1 => null, _ => "envoy.admin.v3.ClustersConfigDump" }), results);
    }
}
