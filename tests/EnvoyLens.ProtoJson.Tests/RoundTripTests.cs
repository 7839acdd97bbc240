using System.Text;
using EnvoyLens.Core;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Envoy.Type.Matcher.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using static EnvoyLens.ProtoJson.Tests.TestSupport;
using Router = Envoy.Extensions.Filters.Http.Router.V3.Router;

namespace EnvoyLens.ProtoJson.Tests;

/// <summary>Real Envoy messages written by Google.Protobuf's JsonFormatter and read back.</summary>
public sealed class RoundTripTests
{
    private static readonly MessageDescriptor[] Registry =
    [
        Cluster.Descriptor, Listener.Descriptor, RouteConfiguration.Descriptor, UpstreamTlsContext.Descriptor,
        HttpConnectionManager.Descriptor, Router.Descriptor, Struct.Descriptor,
    ];

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in Messages.Keys)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    private static readonly Dictionary<string, Func<IMessage>> Messages = new()
    {
        ["cluster"] = SampleCluster,
        ["listener"] = SampleListener,
        ["route"] = SampleRouteConfiguration,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_json_formatter_output_When_read_back_Then_message_equals_the_original_and_google_parser(string name, bool protoNames)
    {
        var original = Messages[name]();
        var formatter = new JsonFormatter(JsonFormatter.Settings.Default
            .WithTypeRegistry(TypeRegistry.FromMessages(Registry))
            .WithPreserveProtoFieldNames(protoNames));
        var json = formatter.Format(original);

        var result = Read(original.Descriptor, json);

        Assert.True(result.Diagnostics.Count == 0, string.Join(" | ", result.Diagnostics));
        Assert.Equal(original, result.Message);
        Assert.Equal(GoogleParser(Registry).Parse(json, original.Descriptor), result.Message);
    }

    [Fact]
    public void Given_a_cluster_as_a_top_level_any_When_read_Then_nested_anys_are_packed_and_unpackable()
    {
        var original = SampleCluster();
        var json = new JsonFormatter(JsonFormatter.Settings.Default.WithTypeRegistry(TypeRegistry.FromMessages(Registry))).Format(Any.Pack(original));

        var result = ReadAny(json, reader: KeepingReader);

        var cluster = Assert.IsType<Cluster>(result.Message);
        Assert.Equal(original, cluster);
        Assert.Equal("outbound_.443_._.example.com", cluster.TransportSocket.TypedConfig.Unpack<UpstreamTlsContext>().Sni);
        var unpacked = Assert.IsType<UpstreamTlsContext>(result.Unpacked(cluster.TransportSocket.TypedConfig));
        Assert.Equal(["istio-peer-exchange", "istio"], unpacked.CommonTlsContext.AlpnProtocols);
    }

    [Fact]
    public void Given_the_same_bytes_as_memory_slice_When_read_Then_offsets_are_relative_to_the_slice()
    {
        var bytes = Encoding.UTF8.GetBytes("""xx{"name": "c", "bogus": 1}yy""");

        var result = Reader.Read(Cluster.Descriptor, bytes.AsMemory(2, bytes.Length - 4), Source, JsonPointer.Root);

        Assert.Equal("c", Assert.IsType<Cluster>(result.Message).Name);
        Assert.Equal("1", Assert.Single(result.RawPayloads).Json);
        Assert.Equal("/bogus", result.RawPayloads[0].Pointer.Value);
    }

    private static Cluster SampleCluster()
    {
        var tls = new UpstreamTlsContext
        {
            Sni = "outbound_.443_._.example.com",
            CommonTlsContext = new CommonTlsContext
            {
                AlpnProtocols = { "istio-peer-exchange", "istio" },
                TlsCertificateSdsSecretConfigs = { new SdsSecretConfig { Name = "default" } },
            },
        };
        var metadata = new Struct();
        metadata.Fields["services"] = Value.ForList(Value.ForStruct(new Struct { Fields = { ["name"] = Value.ForString("reviews"), ["port"] = Value.ForNumber(9080) } }));
        return new Cluster
        {
            Name = "outbound|9080||reviews.default.svc.cluster.local",
            Type = Cluster.Types.DiscoveryType.Eds,
            ConnectTimeout = new Duration { Seconds = 10, Nanos = 500_000_000 },
            LbPolicy = Cluster.Types.LbPolicy.LeastRequest,
            PerConnectionBufferLimitBytes = 32768,
            CircuitBreakers = new CircuitBreakers { Thresholds = { new CircuitBreakers.Types.Thresholds { MaxConnections = 4294967295, MaxRetries = 0 } } },
            Metadata = new Metadata { FilterMetadata = { ["istio"] = metadata } },
            TransportSocket = new TransportSocket { Name = "envoy.transport_sockets.tls", TypedConfig = Any.Pack(tls) },
            LoadAssignment = new ClusterLoadAssignment
            {
                ClusterName = "reviews",
                Endpoints =
                {
                    new LocalityLbEndpoints
                    {
                        Locality = new Locality { Region = "us-east1", Zone = "b" },
                        LbEndpoints =
                        {
                            new LbEndpoint
                            {
                                HealthStatus = HealthStatus.Healthy,
                                LoadBalancingWeight = 1,
                                Endpoint = new Endpoint { Address = new Address { SocketAddress = new SocketAddress { Address = "10.0.0.1", PortValue = 9080 } } },
                            },
                        },
                    },
                },
            },
        };
    }

    private static Listener SampleListener()
    {
        var hcm = new HttpConnectionManager
        {
            StatPrefix = "outbound_0.0.0.0_80",
            CodecType = HttpConnectionManager.Types.CodecType.Auto,
            UseRemoteAddress = false,
            StreamIdleTimeout = new Duration(),
            Rds = new Rds { RouteConfigName = "80", ConfigSource = new ConfigSource { Ads = new AggregatedConfigSource(), ResourceApiVersion = ApiVersion.V3 } },
            HttpFilters =
            {
                new HttpFilter { Name = "istio.metadata_exchange", TypedConfig = Any.Pack(new Struct { Fields = { ["protocol"] = Value.ForString("istio-peer-exchange") } }) },
                new HttpFilter { Name = "envoy.filters.http.router", TypedConfig = Any.Pack(new Router { SuppressEnvoyHeaders = true }) },
            },
        };
        return new Listener
        {
            Name = "0.0.0.0_80",
            Address = new Address { SocketAddress = new SocketAddress { Address = "0.0.0.0", PortValue = 80 } },
            TrafficDirection = TrafficDirection.Outbound,
            FilterChains =
            {
                new FilterChain
                {
                    FilterChainMatch = new FilterChainMatch { DestinationPort = 80, ServerNames = { "a.example.com", "*.b.example.com" } },
                    Filters = { new Envoy.Config.Listener.V3.Filter { Name = "envoy.filters.network.http_connection_manager", TypedConfig = Any.Pack(hcm) } },
                },
            },
            ContinueOnListenerFiltersTimeout = true,
        };
    }

    private static RouteConfiguration SampleRouteConfiguration() => new()
    {
        Name = "9080",
        ValidateClusters = false,
        VirtualHosts =
        {
            new VirtualHost
            {
                Name = "reviews.default.svc.cluster.local:9080",
                Domains = { "reviews.default.svc.cluster.local", "reviews:9080" },
                Routes =
                {
                    new Route
                    {
                        Name = "default",
                        Match = new RouteMatch
                        {
                            Prefix = "/",
                            Headers = { new HeaderMatcher { Name = ":method", StringMatch = new StringMatcher { Exact = "GET" } } },
                        },
                        Route_ = new RouteAction
                        {
                            Cluster = "outbound|9080||reviews.default.svc.cluster.local",
                            Timeout = new Duration(),
                            RetryPolicy = new Envoy.Config.Route.V3.RetryPolicy { RetryOn = "connect-failure,refused-stream", NumRetries = 2 },
                            IdleTimeout = new Duration { Seconds = -1, Nanos = -1 },
                        },
                        TypedPerFilterConfig = { ["envoy.filters.http.router"] = Any.Pack(new Router()) },
                    },
                },
            },
        },
    };
}
