using EnvoyLens.Model;
using static EnvoyLens.Decoding.Tests.Normalize.NormalizeHarness;
using AdminV3 = Envoy.Admin.V3;

namespace EnvoyLens.Decoding.Tests.Normalize;

public sealed class ClusterNormalizationTests
{
    private static readonly string Dump = """
    {
      "static_clusters": [
        {
          "cluster": {
            "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
            "name": "xds-grpc",
            "type": "STRICT_DNS",
            "connect_timeout": "1s",
            "lb_policy": "LEAST_REQUEST",
            "load_assignment": {
              "cluster_name": "xds-grpc",
              "endpoints": [ { "locality": { "region": "eu" }, "priority": 1,
                "lb_endpoints": [ { "endpoint": { "address": { "socket_address": { "address": "istiod.istio-system.svc", "port_value": 15012 } } } } ] } ]
            },
            "transport_socket": {
              "name": "envoy.transport_sockets.tls",
              "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
                "sni": "istiod.istio-system.svc",
                "common_tls_context": {
                  "alpn_protocols": [ "h2" ],
                  "tls_certificates": [ { "certificate_chain": { "filename": "/etc/certs/cert-chain.pem" }, "private_key": { "filename": "/etc/certs/key.pem" } } ],
                  "validation_context": {
                    "trusted_ca": { "inline_string": TRUSTED },
                    "match_subject_alt_names": [ { "exact": "istiod.istio-system.svc" } ]
                  }
                }
              }
            }
          }
        }
      ],
      "dynamic_active_clusters": [
        {
          "version_info": "v5",
          "last_updated": "2024-05-06T07:08:09Z",
          "cluster": {
            "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
            "name": "outbound|9080||reviews.default.svc.cluster.local",
            "type": "EDS",
            "eds_cluster_config": { "eds_config": { "ads": {} }, "service_name": "outbound|9080||reviews.default.svc.cluster.local" },
            "connect_timeout": "10s",
            "circuit_breakers": { "thresholds": [ { "max_connections": 4294967295, "max_pending_requests": 1024, "max_requests": 4294967295, "max_retries": 3 },
                                                  { "priority": "HIGH", "max_connections": 10 } ] },
            "outlier_detection": { "consecutive_5xx": 5, "interval": "10s", "base_ejection_time": "30s", "max_ejection_percent": 100, "consecutive_gateway_failure": 0 },
            "health_checks": [ { "timeout": "1s", "interval": "5s", "tcp_health_check": {} }, { "timeout": "1s", "interval": "5s", "tcp_health_check": {} } ],
            "metadata": { "filter_metadata": { "istio": { "services": [ { "name": "reviews", "namespace": "default" } ] } } },
            "transport_socket_matches": [
              {
                "name": "tlsMode-istio",
                "match": { "tlsMode": "istio" },
                "transport_socket": {
                  "name": "envoy.transport_sockets.tls",
                  "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
                    "sni": "outbound_.9080_._.reviews.default.svc.cluster.local",
                    "common_tls_context": {
                      "alpn_protocols": [ "istio-peer-exchange", "istio" ],
                      "tls_certificate_sds_secret_configs": [ { "name": "default", "sds_config": { "ads": {} } } ],
                      "combined_validation_context": {
                        "default_validation_context": {
                          "match_subject_alt_names": [ { "exact": "spiffe://cluster.local/ns/default/sa/bookinfo-reviews" } ]
                        },
                        "validation_context_sds_secret_config": { "name": "ROOTCA", "sds_config": { "ads": {} } }
                      }
                    }
                  }
                }
              },
              {
                "name": "tlsMode-disabled",
                "match": {},
                "transport_socket": { "name": "envoy.transport_sockets.raw_buffer",
                  "typed_config": { "@type": "type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer" } }
              }
            ]
          }
        },
        {
          "cluster": {
            "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
            "name": "aggregate-cluster",
            "connect_timeout": "0.250s",
            "lb_policy": "CLUSTER_PROVIDED",
            "cluster_type": {
              "name": "envoy.clusters.aggregate",
              "typed_config": { "@type": "type.googleapis.com/envoy.extensions.clusters.aggregate.v3.ClusterConfig", "clusters": [ "primary", "secondary" ] }
            }
          }
        }
      ],
      "dynamic_warming_clusters": [
        {
          "version_info": "v6",
          "cluster": { "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "outbound|9080||reviews.default.svc.cluster.local", "type": "EDS" }
        }
      ]
    }
    """.Replace("TRUSTED", TestPem.Json(TestPem.CertA + TestPem.CertB), StringComparison.Ordinal);

    private static IReadOnlyList<Cluster> Clusters() => Run(Parse<AdminV3.ClustersConfigDump>(Dump)).Config.Clusters;

    [Fact]
    public void GivenStaticActiveAndWarmingClusters_ThenEachIsAnItemWithItsState()
    {
        var clusters = Clusters();

        Assert.Equal(
            [("xds-grpc", ResourceOrigin.Static, ResourceState.Active, (string?)null),
             ("outbound|9080||reviews.default.svc.cluster.local", ResourceOrigin.Dynamic, ResourceState.Active, "v5"),
             ("aggregate-cluster", ResourceOrigin.Dynamic, ResourceState.Active, null),
             ("outbound|9080||reviews.default.svc.cluster.local", ResourceOrigin.Dynamic, ResourceState.Warming, "v6")],
            clusters.Select(c => (c.Name, c.Meta.Origin, c.Meta.State, c.Meta.VersionInfo)).ToArray());
        Assert.Equal("/configs/0/dynamic_warming_clusters/0/cluster", clusters[3].Meta.Pointer.Value);
    }

    [Fact]
    public void GivenDiscoveryTypes_ThenTypeIsTheEnumNameOrTheCustomTypeName()
    {
        var clusters = Clusters();

        Assert.Equal(["STRICT_DNS", "EDS", "envoy.clusters.aggregate", "EDS"], clusters.Select(c => c.Type).ToArray());
        Assert.Equal(["primary", "secondary"], clusters[2].AggregateClusters);
        Assert.Empty(clusters[1].AggregateClusters);
    }

    [Fact]
    public void GivenEdsClusterSettings_ThenServiceNameLbPolicyAndTimeoutsAreRead()
    {
        var clusters = Clusters();

        Assert.Equal("outbound|9080||reviews.default.svc.cluster.local", clusters[1].EdsServiceName);
        Assert.Null(clusters[0].EdsServiceName);
        Assert.Equal("LEAST_REQUEST", clusters[0].LbPolicy);
        Assert.Equal("ROUND_ROBIN", clusters[1].LbPolicy);
        Assert.Equal(TimeSpan.FromSeconds(10), clusters[1].ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), clusters[2].ConnectTimeout);
        Assert.Null(clusters[3].ConnectTimeout);
    }

    [Fact]
    public void GivenInlineUpstreamTls_ThenSniTrustedCaFileCertificateAndLegacySansAreRead()
    {
        var tls = Clusters()[0].Tls!;

        Assert.Equal("istiod.istio-system.svc", tls.Sni);
        Assert.Equal(["/etc/certs/cert-chain.pem"], tls.InlineCertificateChains);
        Assert.Equal([TestPem.CertA + TestPem.CertB], tls.InlineTrustedCas);
        Assert.True(tls.HasTrustedCa);
        Assert.Null(tls.ValidationSdsName);
        Assert.Empty(tls.CertificateSdsNames);
        Assert.Equal([new StringMatch("exact", "istiod.istio-system.svc")], tls.SubjectAltNameMatchers);
        Assert.Equal(["h2"], tls.AlpnProtocols);
        Assert.Null(tls.RequireClientCertificate);
        Assert.Equal("/configs/0/static_clusters/0/cluster/transport_socket/typed_config", tls.Pointer.Value);
    }

    [Fact]
    public void GivenIstioTransportSocketMatches_ThenTheTlsModeIstioMatchProvidesTheClusterTls()
    {
        var cluster = Clusters()[1];

        Assert.Null(cluster.TransportSocket);
        Assert.Equal(["tlsMode-istio", "tlsMode-disabled"], cluster.TransportSocketMatches.Select(m => m.Name).ToArray());
        Assert.Equal("istio", cluster.TransportSocketMatches[0].Match["tlsMode"]);
        Assert.Empty(cluster.TransportSocketMatches[1].Match);
        Assert.Null(cluster.TransportSocketMatches[1].Tls);
        Assert.Equal("envoy.transport_sockets.raw_buffer", cluster.TransportSocketMatches[1].TransportSocket!.Name);

        var tls = cluster.Tls!;
        Assert.Same(cluster.TransportSocketMatches[0].Tls, tls);
        Assert.Equal("outbound_.9080_._.reviews.default.svc.cluster.local", tls.Sni);
        Assert.Equal(["default"], tls.CertificateSdsNames);
        Assert.Equal("ROOTCA", tls.ValidationSdsName);
        Assert.Equal([new StringMatch("exact", "spiffe://cluster.local/ns/default/sa/bookinfo-reviews")], tls.SubjectAltNameMatchers);
        Assert.Equal(["istio-peer-exchange", "istio"], tls.AlpnProtocols);
        Assert.Equal("/configs/0/dynamic_active_clusters/0/cluster/transport_socket_matches/0/transport_socket/typed_config", tls.Pointer.Value);
    }

    [Fact]
    public void GivenCircuitBreakersOutlierDetectionAndHealthChecks_ThenTheyAreRead()
    {
        var cluster = Clusters()[1];

        Assert.Equal(
            [new CircuitBreakerThresholds("DEFAULT", 4294967295, 1024, 4294967295, 3), new CircuitBreakerThresholds("HIGH", 10, null, null, null)],
            cluster.CircuitBreakers);
        var outlier = cluster.OutlierDetection!;
        Assert.Equal(5u, outlier.Consecutive5xx);
        Assert.Equal(TimeSpan.FromSeconds(10), outlier.Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), outlier.BaseEjectionTime);
        Assert.Equal(100u, outlier.MaxEjectionPercent);
        Assert.Equal(0u, outlier.ConsecutiveGatewayFailure);
        Assert.Equal("/configs/0/dynamic_active_clusters/0/cluster/outlier_detection", outlier.Pointer.Value);
        Assert.Null(Clusters()[0].OutlierDetection);
        Assert.Equal(2, cluster.HealthCheckCount);
    }

    [Fact]
    public void GivenClusterMetadata_ThenItIsJson()
    {
        var istio = Clusters()[1].Metadata.FilterMetadata["istio"];

        Assert.Equal("reviews", istio.GetProperty("services")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void GivenInlineLoadAssignment_ThenItsEndpointsAreInlineRows()
    {
        var endpoint = Assert.Single(Clusters()[0].InlineEndpoints);

        Assert.Equal("xds-grpc", endpoint.ClusterName);
        Assert.Equal("istiod.istio-system.svc:15012", endpoint.Address.ToString());
        Assert.Equal(EndpointSource.Inline, endpoint.Source);
        Assert.Equal("UNKNOWN", endpoint.Health);
        Assert.Equal(1u, endpoint.Priority);
        Assert.Equal("eu", endpoint.Locality!.Region);
        Assert.Equal("/configs/0/static_clusters/0/cluster/load_assignment/endpoints/0/lb_endpoints/0", endpoint.Pointer.Value);
        Assert.Empty(Clusters()[1].InlineEndpoints);
    }

    [Fact]
    public void GivenAClusterEntryWithAnUnknownType_ThenItIsCountedRawAndReported()
    {
        var dump = Parse<AdminV3.ClustersConfigDump>(Dump);
        dump.DynamicActiveClusters.Add(new AdminV3.ClustersConfigDump.Types.DynamicCluster
        {
            Cluster = new Google.Protobuf.WellKnownTypes.Any { TypeUrl = "type.googleapis.com/envoy.api.v2.ClusterFromTheFuture" },
        });

        var result = Run(dump);

        Assert.Equal(4, result.Config.Clusters.Count);
        var section = Assert.Single(result.Config.Sections);
        Assert.Equal(1, section.Raw);
        Assert.Equal(4, section.Typed);
        Assert.Equal(3, section.Counts["Cluster:Active"]);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(EnvoyLens.Core.DiagnosticCodes.InvalidResource, diagnostic.Code);
        Assert.Equal("/configs/0/dynamic_active_clusters/2/cluster", diagnostic.Pointer.Value);
        Assert.Equal("type.googleapis.com/envoy.api.v2.ClusterFromTheFuture", diagnostic.TypeUrl);
        Assert.Equal(Source, diagnostic.Source);
    }
}
