using EnvoyLens.Core;
using EnvoyLens.Model;
using Google.Protobuf.WellKnownTypes;
using static EnvoyLens.Decoding.Tests.Normalize.NormalizeHarness;
using AdminV3 = Envoy.Admin.V3;

namespace EnvoyLens.Decoding.Tests.Normalize;

public sealed class ListenerNormalizationTests
{
    private const string Dump = """
    {
      "static_listeners": [
        {
          "listener": {
            "@type": "type.googleapis.com/envoy.config.listener.v3.Listener",
            "name": "admin-proxy",
            "address": { "pipe": { "path": "/tmp/envoy.sock" } }
          },
          "last_updated": "2024-01-02T03:04:05Z"
        }
      ],
      "dynamic_listeners": [
        {
          "name": "virtualInbound",
          "active_state": {
            "version_info": "v1",
            "last_updated": "2024-05-06T07:08:09.500Z",
            "listener": {
              "@type": "type.googleapis.com/envoy.config.listener.v3.Listener",
              "name": "virtualInbound",
              "address": { "socket_address": { "address": "0.0.0.0", "port_value": 15006 } },
              "additional_addresses": [ { "address": { "socket_address": { "address": "::", "port_value": 15006 } } } ],
              "traffic_direction": "INBOUND",
              "use_original_dst": true,
              "bind_to_port": false,
              "listener_filters": [
                { "name": "envoy.filters.listener.tls_inspector",
                  "typed_config": { "@type": "type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector" } }
              ],
              "filter_chains": [
                {
                  "name": "0.0.0.0_9080",
                  "filter_chain_match": {
                    "destination_port": 9080,
                    "prefix_ranges": [ { "address_prefix": "10.0.0.0", "prefix_len": 8 } ],
                    "source_prefix_ranges": [ { "address_prefix": "192.168.1.1", "prefix_len": 32 } ],
                    "server_names": [ "reviews.default.svc" ],
                    "transport_protocol": "tls",
                    "application_protocols": [ "istio-peer-exchange", "h2" ],
                    "source_type": "EXTERNAL"
                  },
                  "transport_socket": {
                    "name": "envoy.transport_sockets.tls",
                    "typed_config": {
                      "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
                      "require_client_certificate": true,
                      "common_tls_context": {
                        "alpn_protocols": [ "h2", "http/1.1" ],
                        "tls_certificate_sds_secret_configs": [ { "name": "default" } ],
                        "combined_validation_context": {
                          "default_validation_context": {
                            "match_typed_subject_alt_names": [ { "san_type": "URI", "matcher": { "prefix": "spiffe://cluster.local/" } } ]
                          },
                          "validation_context_sds_secret_config": { "name": "ROOTCA" }
                        }
                      }
                    }
                  },
                  "filters": [
                    {
                      "name": "envoy.filters.network.http_connection_manager",
                      "typed_config": {
                        "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                        "stat_prefix": "inbound_0.0.0.0_9080",
                        "rds": { "route_config_name": "9080" },
                        "http_filters": [
                          { "name": "istio.stats", "config_discovery": { "type_urls": [ "type.googleapis.com/stats.PluginConfig" ] } },
                          { "name": "envoy.filters.http.fault", "disabled": true, "is_optional": true,
                            "typed_config": { "@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault" } },
                          { "name": "envoy.filters.http.router",
                            "typed_config": { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" } }
                        ]
                      }
                    }
                  ]
                },
                {
                  "filter_chain_match": { "destination_port": 3306 },
                  "filters": [
                    {
                      "name": "envoy.filters.network.tcp_proxy",
                      "typed_config": {
                        "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                        "stat_prefix": "mysql",
                        "weighted_clusters": { "clusters": [ { "name": "mysql-a", "weight": 80 }, { "name": "mysql-b", "weight": 20 } ] }
                      }
                    }
                  ]
                }
              ],
              "default_filter_chain": {
                "filters": [
                  {
                    "name": "envoy.filters.network.http_connection_manager",
                    "typed_config": {
                      "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                      "stat_prefix": "inline",
                      "route_config": {
                        "name": "inbound|8080||",
                        "virtual_hosts": [ { "name": "inbound|http|8080", "domains": [ "*" ],
                          "routes": [ { "match": { "prefix": "/" }, "route": { "cluster": "inbound|8080||" } } ] } ]
                      }
                    }
                  }
                ]
              }
            }
          },
          "warming_state": {
            "version_info": "v2",
            "listener": {
              "@type": "type.googleapis.com/envoy.config.listener.v3.Listener",
              "name": "virtualInbound",
              "address": { "socket_address": { "address": "0.0.0.0", "port_value": 15006 } }
            }
          }
        },
        {
          "name": "0.0.0.0_8443",
          "error_state": {
            "details": "error adding listener '0.0.0.0:8443': multiple filter chains with the same matching rules",
            "last_update_attempt": "2024-05-06T08:00:00Z",
            "version_info": "v7"
          }
        }
      ]
    }
    """;

    private static Result NormalizeDump() => Run(Parse<AdminV3.ListenersConfigDump>(Dump));

    [Fact]
    public void GivenStaticAndDynamicStates_WhenNormalized_ThenOneListenerPerStateInDocumentOrder()
    {
        var listeners = NormalizeDump().Config.Listeners;

        Assert.Equal(
            [("admin-proxy", ResourceOrigin.Static, ResourceState.Active), ("virtualInbound", ResourceOrigin.Dynamic, ResourceState.Active),
             ("virtualInbound", ResourceOrigin.Dynamic, ResourceState.Warming), ("0.0.0.0_8443", ResourceOrigin.Dynamic, ResourceState.Rejected)],
            listeners.Select(l => (l.Name, l.Meta.Origin, l.Meta.State)).ToArray());
    }

    [Fact]
    public void GivenDynamicListener_ThenVersionTimestampAndPointerOfTheListenerMessageAreCarried()
    {
        var active = NormalizeDump().Config.Listeners[1];

        Assert.Equal("v1", active.Meta.VersionInfo);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, 500, TimeSpan.Zero), active.Meta.LastUpdated);
        Assert.Equal(TimeSpan.Zero, active.Meta.LastUpdated!.Value.Offset);
        Assert.Equal("/configs/0/dynamic_listeners/0/active_state/listener", active.Meta.Pointer.Value);
        Assert.Equal("/configs/0/dynamic_listeners/0/warming_state/listener", NormalizeDump().Config.Listeners[2].Meta.Pointer.Value);
        Assert.Equal("/configs/0/static_listeners/0/listener", NormalizeDump().Config.Listeners[0].Meta.Pointer.Value);
    }

    [Fact]
    public void GivenOnlyAnErrorState_ThenTheListenerIsRejectedWithItsFailure()
    {
        var rejected = NormalizeDump().Config.Listeners[3];

        Assert.Equal(ResourceState.Rejected, rejected.Meta.State);
        Assert.NotNull(rejected.Meta.Error);
        Assert.Contains("multiple filter chains", rejected.Meta.Error!.Details, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 8, 0, 0, TimeSpan.Zero), rejected.Meta.Error.LastUpdateAttempt);
        Assert.Equal("v7", rejected.Meta.Error.VersionInfo);
        Assert.Equal("/configs/0/dynamic_listeners/1/error_state", rejected.Meta.Error.Pointer.Value);
        Assert.Empty(rejected.FilterChains);
    }

    [Fact]
    public void GivenAddresses_ThenSocketPipeAndAdditionalAddressesAreMapped()
    {
        var listeners = NormalizeDump().Config.Listeners;

        Assert.Equal(new SocketAddress("/tmp/envoy.sock", null, "TCP", "pipe"), listeners[0].Address);
        var active = listeners[1];
        Assert.Equal("0.0.0.0:15006", active.Address!.ToString());
        Assert.Equal([":::15006"], active.AdditionalAddresses.Select(a => a.ToString()).ToArray());
        Assert.Equal("INBOUND", active.TrafficDirection);
        Assert.True(active.UseOriginalDst);
        Assert.False(active.BindToPort);
        Assert.Null(listeners[0].BindToPort);
        Assert.Null(listeners[0].TrafficDirection);
    }

    [Fact]
    public void GivenListenerFilters_ThenTheyAreTypedExtensions()
    {
        var filter = Assert.Single(NormalizeDump().Config.Listeners[1].ListenerFilters);

        Assert.Equal("envoy.filters.listener.tls_inspector", filter.Name);
        Assert.Equal("envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector", filter.TypeName);
        Assert.True(filter.Typed);
        Assert.Equal("/configs/0/dynamic_listeners/0/active_state/listener/listener_filters/0", filter.Pointer.Value);
    }

    [Fact]
    public void GivenFilterChainMatch_ThenItIsFlattenedWithCidrText()
    {
        var chain = NormalizeDump().Config.Listeners[1].FilterChains[0];

        Assert.Equal("0.0.0.0_9080", chain.Name);
        Assert.Equal(9080, chain.Match.DestinationPort);
        Assert.Equal(["10.0.0.0/8"], chain.Match.PrefixRanges);
        Assert.Equal(["192.168.1.1/32"], chain.Match.SourcePrefixRanges);
        Assert.Equal(["reviews.default.svc"], chain.Match.ServerNames);
        Assert.Equal("tls", chain.Match.TransportProtocol);
        Assert.Equal(["istio-peer-exchange", "h2"], chain.Match.ApplicationProtocols);
        Assert.Equal("EXTERNAL", chain.Match.SourceType);
        Assert.Equal("/configs/0/dynamic_listeners/0/active_state/listener/filter_chains/0", chain.Pointer.Value);
        Assert.False(chain.IsDefault);
    }

    [Fact]
    public void GivenDownstreamTlsContext_ThenSdsNamesSansAndClientCertificateRequirementAreRead()
    {
        var chain = NormalizeDump().Config.Listeners[1].FilterChains[0];

        Assert.Equal("envoy.transport_sockets.tls", chain.TransportSocket!.Name);
        var tls = chain.DownstreamTls!;
        Assert.Equal(["default"], tls.CertificateSdsNames);
        Assert.Equal("ROOTCA", tls.ValidationSdsName);
        Assert.True(tls.HasTrustedCa);
        Assert.Equal([new StringMatch("prefix", "spiffe://cluster.local/", false, "URI")], tls.SubjectAltNameMatchers);
        Assert.Equal(["h2", "http/1.1"], tls.AlpnProtocols);
        Assert.True(tls.RequireClientCertificate);
        Assert.Null(tls.Sni);
        Assert.Equal("/configs/0/dynamic_listeners/0/active_state/listener/filter_chains/0/transport_socket/typed_config", tls.Pointer.Value);
    }

    [Fact]
    public void GivenHttpConnectionManager_ThenRdsNameAndHttpFiltersInOrderWithEcdsNamesAreRead()
    {
        var filter = Assert.Single(NormalizeDump().Config.Listeners[1].FilterChains[0].Filters);
        var hcm = filter.HttpConnectionManager!;

        Assert.Equal("inbound_0.0.0.0_9080", hcm.StatPrefix);
        Assert.Equal("9080", hcm.RdsRouteConfigName);
        Assert.Null(hcm.InlineRouteConfig);
        Assert.Equal(["istio.stats", "envoy.filters.http.fault", "envoy.filters.http.router"], hcm.HttpFilters.Select(f => f.Name).ToArray());
        Assert.Equal(["istio.stats"], hcm.HttpFilters[0].EcdsResourceNames);
        Assert.Null(hcm.HttpFilters[0].Extension.TypeUrl);
        Assert.Empty(hcm.HttpFilters[2].EcdsResourceNames);
        Assert.True(hcm.HttpFilters[1].Disabled);
        Assert.True(hcm.HttpFilters[1].IsOptional);
        Assert.False(hcm.HttpFilters[2].Disabled);
        Assert.True(hcm.HttpFilters[2].Extension.Typed);
        Assert.Equal("/configs/0/dynamic_listeners/0/active_state/listener/filter_chains/0/filters/0/typed_config", hcm.Pointer.Value);
        Assert.Equal("/configs/0/dynamic_listeners/0/active_state/listener/filter_chains/0/filters/0/typed_config/http_filters/2", hcm.HttpFilters[2].Extension.Pointer.Value);
    }

    [Fact]
    public void GivenTcpProxyWithWeightedClusters_ThenClustersAndWeightsAreRead()
    {
        var tcp = Assert.Single(NormalizeDump().Config.Listeners[1].FilterChains[1].Filters).TcpProxy!;

        Assert.Equal("mysql", tcp.StatPrefix);
        Assert.Null(tcp.Cluster);
        Assert.Equal([new WeightedCluster("mysql-a", 80), new WeightedCluster("mysql-b", 20)], tcp.WeightedClusters);
    }

    [Fact]
    public void GivenInlineRouteConfigInDefaultChain_ThenItIsAStaticRouteConfigAtItsPointer()
    {
        var chain = NormalizeDump().Config.Listeners[1].DefaultFilterChain!;
        var inline = chain.Filters[0].HttpConnectionManager!.InlineRouteConfig!;

        Assert.True(chain.IsDefault);
        Assert.Equal(FilterChainMatch.Any, chain.Match);
        Assert.Equal("inbound|8080||", inline.Name);
        Assert.Equal(ResourceOrigin.Static, inline.Meta.Origin);
        Assert.Equal("/configs/0/dynamic_listeners/0/active_state/listener/default_filter_chain/filters/0/typed_config/route_config", inline.Meta.Pointer.Value);
        Assert.Equal("inbound|8080||", inline.VirtualHosts[0].Routes[0].Cluster);
        Assert.Equal(3, NormalizeDump().Config.Listeners[1].AllFilterChains.Count());
    }

    [Fact]
    public void GivenAFilterOfAnUnknownType_ThenItIsAnUntypedExtension()
    {
        var dump = Parse<AdminV3.ListenersConfigDump>(Dump);
        var listener = dump.DynamicListeners[0].ActiveState.Listener.Unpack<Envoy.Config.Listener.V3.Listener>();
        listener.FilterChains[1].Filters.Add(new Envoy.Config.Listener.V3.Filter
        {
            Name = "istio.metadata_exchange",
            TypedConfig = new Any { TypeUrl = "type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange" },
        });
        dump.DynamicListeners[0].ActiveState.Listener = Any.Pack(listener);

        var filter = Run(dump).Config.Listeners[1].FilterChains[1].Filters[1];

        Assert.Equal("istio.metadata_exchange", filter.Name);
        Assert.False(filter.Extension.Typed);
        Assert.Equal("envoy.tcp.metadataexchange.config.MetadataExchange", filter.Extension.TypeName);
        Assert.Null(filter.HttpConnectionManager);
        Assert.Null(filter.TcpProxy);
    }

    [Fact]
    public void GivenAnEmptyMessageOfACompiledType_ThenItIsTypedEvenThoughItsValueIsEmpty()
    {
        var inspector = NormalizeDump().Config.Listeners[1].ListenerFilters[0];

        Assert.True(inspector.Typed);
    }

    [Fact]
    public void GivenALocator_ThenItsPointerWinsOverTheStructuralOne()
    {
        var dump = Parse<AdminV3.ListenersConfigDump>(Dump);
        var recorded = Ptr("/configs/0/dynamicListeners/0/activeState/listener");
        var listener = dump.DynamicListeners[0].ActiveState.Listener.Unpack<Envoy.Config.Listener.V3.Listener>();
        var options = new EnvoyLens.Decoding.Normalize.NormalizerOptions
        {
            Unpacked = any => ReferenceEquals(any, dump.DynamicListeners[0].ActiveState.Listener) ? listener : null,
        };

        var result = Run(m => ReferenceEquals(m, listener) ? recorded : null, options, dump);

        Assert.Equal(recorded, result.Config.Listeners[1].Meta.Pointer);
        Assert.Equal(recorded.Append("filter_chains").Append(0).Value, result.Config.Listeners[1].FilterChains[0].Pointer.Value);
    }

    [Fact]
    public void GivenListenersSection_ThenTheSummaryCountsByKindAndState()
    {
        var section = Assert.Single(NormalizeDump().Config.Sections);

        Assert.Equal("type.googleapis.com/envoy.admin.v3.ListenersConfigDump", section.TypeUrl);
        Assert.Equal("/configs/0", section.Pointer.Value);
        Assert.Equal(1, section.Counts["Listener:Static"]);
        Assert.Equal(1, section.Counts["Listener:Active"]);
        Assert.Equal(1, section.Counts["Listener:Warming"]);
        Assert.Equal(1, section.Counts["Listener:Rejected"]);
        Assert.Equal(4, section.Typed);
        Assert.Equal(0, section.Raw);
    }
}
