using EnvoyLens.Model;
using Google.Protobuf.WellKnownTypes;
using static EnvoyLens.Decoding.Tests.Normalize.NormalizeHarness;
using AdminV3 = Envoy.Admin.V3;
using CoreV3 = Envoy.Config.Core.V3;

namespace EnvoyLens.Decoding.Tests.Normalize;

public sealed class EcdsNormalizationTests
{
    private const string Dump = """
    {
      "ecds_filters": [
        {
          "version_info": "2022-12-08T09:07:09Z/10",
          "last_updated": "2022-12-08T11:03:53.361Z",
          "ecds_filter": {
            "@type": "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig",
            "name": "default.fault",
            "typed_config": { "@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault" }
          }
        },
        {
          "last_updated": "2023-12-23T13:46:00.701Z",
          "ecds_filter": { "@type": "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig", "name": "istio.io/telemetry/stats/prometheus/sidecar/Outbound/HTTP" }
        }
      ]
    }
    """;

    private static AdminV3.EcdsConfigDump WithUnknownInnerType()
    {
        var dump = Parse<AdminV3.EcdsConfigDump>(Dump);
        var inner = new CoreV3.TypedExtensionConfig
        {
            Name = "istio.stats",
            TypedConfig = new Any { TypeUrl = "type.googleapis.com/stats.PluginConfig" },
        };
        dump.EcdsFilters.Add(new AdminV3.EcdsConfigDump.Types.EcdsFilterConfig { VersionInfo = "7", EcdsFilter = Any.Pack(inner) });
        return dump;
    }

    [Fact]
    public void GivenEcdsFilters_ThenEachIsNamedAfterTheInnerExtensionWithItsTypeUrl()
    {
        var ecds = Run(WithUnknownInnerType()).Config.Ecds;

        Assert.Equal(
            ["default.fault", "istio.io/telemetry/stats/prometheus/sidecar/Outbound/HTTP", "istio.stats"],
            ecds.Select(e => e.Name).ToArray());
        Assert.Equal("envoy.extensions.filters.http.fault.v3.HTTPFault", ecds[0].Extension.TypeName);
        Assert.Equal("2022-12-08T09:07:09Z/10", ecds[0].Meta.VersionInfo);
        Assert.Equal(new DateTimeOffset(2022, 12, 8, 11, 3, 53, 361, TimeSpan.Zero), ecds[0].Meta.LastUpdated);
        Assert.Equal(ResourceOrigin.Dynamic, ecds[0].Meta.Origin);
        Assert.Equal("/configs/0/ecds_filters/0/ecds_filter", ecds[0].Meta.Pointer.Value);
        Assert.Equal("/configs/0/ecds_filters/0/ecds_filter/typed_config", ecds[0].Extension.Pointer.Value);
    }

    [Fact]
    public void GivenInnerConfigs_ThenTypedTellsWhetherEnvoyLensCompiledTheType()
    {
        var ecds = Run(WithUnknownInnerType()).Config.Ecds;

        Assert.True(ecds[0].Extension.Typed);
        Assert.False(ecds[1].Extension.Typed);
        Assert.Null(ecds[1].Extension.TypeUrl);
        Assert.False(ecds[2].Extension.Typed);
        Assert.Equal("stats.PluginConfig", ecds[2].Extension.TypeName);
    }
}
