using System.Security.Cryptography;
using System.Text.Json;
using EnvoyLens.Fixtures.Mesh;

namespace EnvoyLens.Fixtures.Tests;

public sealed class MeshGeneratorTests
{
    private static byte[] Generate(MeshSpec spec)
    {
        using var stream = new MemoryStream();
        MeshGenerator.Write(stream, spec);
        return stream.ToArray();
    }

    [Fact]
    public void Given_the_same_spec_When_generated_twice_Then_the_bytes_are_identical()
    {
        var first = Generate(new MeshSpec(25, Seed: 7));
        var second = Generate(new MeshSpec(25, Seed: 7));

        Assert.Equal(SHA256.HashData(first), SHA256.HashData(second));
    }

    [Fact]
    public void Given_another_seed_Then_the_output_differs()
    {
        Assert.NotEqual(SHA256.HashData(Generate(new MeshSpec(25, Seed: 7))), SHA256.HashData(Generate(new MeshSpec(25, Seed: 8))));
    }

    [Theory]
    [InlineData(1_000_000L, 1L)]
    [InlineData(1_000_000L, 42L)]
    [InlineData(3_000_000L, 5L)]
    public void Given_a_target_size_When_the_spec_is_sized_for_it_Then_the_output_is_within_ten_percent(long target, long seed)
    {
        var spec = MeshSpec.ForApproximateBytes(target, seed);

        var size = Generate(spec).LongLength;

        Assert.InRange(size, (long)(target * 0.9), (long)(target * 1.1));
    }

    [Fact]
    public void Given_more_services_Then_the_output_grows_and_stays_valid_JSON()
    {
        var small = Generate(new MeshSpec(5));
        var large = Generate(new MeshSpec(50));

        Assert.True(large.Length > small.Length * 5);
        using var document = JsonDocument.Parse(large);
        Assert.Equal(7, document.RootElement.GetProperty("configs").GetArrayLength());
    }

    [Fact]
    public void Given_Istio_extensions_switched_off_When_parsed_with_the_Envoy_JsonParser_Then_the_whole_dump_decodes()
    {
        var bytes = Generate(new MeshSpec(40, Seed: 3, IncludeIstioExtensions: false));

        var dump = EnvoyProtoJson.Parser.Parse<Envoy.Admin.V3.ConfigDump>(System.Text.Encoding.UTF8.GetString(bytes));

        Assert.Equal(7, dump.Configs.Count);
        var clusters = dump.Configs[1].Unpack<Envoy.Admin.V3.ClustersConfigDump>();
        var cluster = clusters.DynamicActiveClusters.Select(c => c.Cluster.Unpack<Envoy.Config.Cluster.V3.Cluster>())
            .First(c => c.Name.StartsWith("outbound|", StringComparison.Ordinal));
        Assert.Equal(Envoy.Config.Cluster.V3.Cluster.Types.DiscoveryType.Eds, cluster.Type);
        var tls = cluster.TransportSocketMatches[0].TransportSocket.TypedConfig
            .Unpack<Envoy.Extensions.TransportSockets.Tls.V3.UpstreamTlsContext>();
        Assert.Equal("default", tls.CommonTlsContext.TlsCertificateSdsSecretConfigs[0].Name);
        Assert.Equal("ROOTCA", tls.CommonTlsContext.CombinedValidationContext.ValidationContextSdsSecretConfig.Name);
        var secrets = dump.Configs[5].Unpack<Envoy.Admin.V3.SecretsConfigDump>();
        Assert.Equal(["default", "ROOTCA"], secrets.DynamicActiveSecrets.Select(s => s.Name).ToArray());
        var endpoints = dump.Configs[6].Unpack<Envoy.Admin.V3.EndpointsConfigDump>();
        Assert.Equal(
            clusters.DynamicActiveClusters.Count(c => c.Cluster.Unpack<Envoy.Config.Cluster.V3.Cluster>().Type == Envoy.Config.Cluster.V3.Cluster.Types.DiscoveryType.Eds),
            endpoints.DynamicEndpointConfigs.Count);
    }

    [Fact]
    public void Given_Istio_extensions_switched_on_Then_every_type_URL_is_an_Envoy_type_or_one_of_the_deliberate_Istio_ones()
    {
        var bytes = Generate(new MeshSpec(40, Seed: 3));
        using var document = JsonDocument.Parse(bytes);

        var types = EnvoyProtoJson.TypeUrls(document.RootElement);

        var unknown = types.Where(t => !EnvoyProtoJson.IsKnown(t)).ToArray();
        Assert.Equal(EnvoyProtoJson.DeliberateUnknownTypes.Order(StringComparer.Ordinal), unknown);
    }

    [Fact]
    public void Given_a_spec_Then_cluster_names_follow_the_Istio_outbound_convention_and_routes_reference_existing_clusters()
    {
        var bytes = Generate(new MeshSpec(60, Seed: 11, IncludeIstioExtensions: false));
        var dump = EnvoyProtoJson.Parser.Parse<Envoy.Admin.V3.ConfigDump>(System.Text.Encoding.UTF8.GetString(bytes));

        var clusterNames = dump.Configs[1].Unpack<Envoy.Admin.V3.ClustersConfigDump>().DynamicActiveClusters
            .Select(c => c.Cluster.Unpack<Envoy.Config.Cluster.V3.Cluster>().Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(clusterNames.Where(n => n.StartsWith("outbound", StringComparison.Ordinal)),
            n => Assert.Matches(@"^outbound\|\d+\|(v\d)?\|[a-z0-9-]+\.mesh-\d{3}\.svc\.cluster\.local$", n));
        var routes = dump.Configs[4].Unpack<Envoy.Admin.V3.RoutesConfigDump>().DynamicRouteConfigs
            .Select(r => r.RouteConfig.Unpack<Envoy.Config.Route.V3.RouteConfiguration>());
        var referenced = routes.SelectMany(r => r.VirtualHosts).SelectMany(v => v.Routes)
            .SelectMany(r => r.Route_.WeightedClusters is { } w ? w.Clusters.Select(c => c.Name) : [r.Route_.Cluster]).ToArray();
        Assert.NotEmpty(referenced);
        Assert.All(referenced, name => Assert.True(clusterNames.Contains(name), name));
    }
}
