using EnvoyLens.Core;
using static EnvoyLens.Decoding.Tests.Normalize.NormalizeHarness;
using AdminV3 = Envoy.Admin.V3;

namespace EnvoyLens.Decoding.Tests.Normalize;

public sealed class BootstrapNormalizationTests
{
    private const string Dump = """
    {
      "bootstrap": {
        "node": {
          "id": "sidecar~10.244.0.12~productpage-v1-6b746f74dc-9stvs.default~default.svc.cluster.local",
          "cluster": "productpage.default",
          "locality": { "region": "us-central1", "zone": "us-central1-a" },
          "user_agent_name": "envoy",
          "user_agent_build_version": { "version": { "major_number": 1, "minor_number": 29, "patch": 4 }, "metadata": { "build.type": "RELEASE" } },
          "metadata": { "NAMESPACE": "default", "ISTIO_VERSION": "1.21.2", "LABELS": { "app": "productpage" }, "CLUSTER_ID": "Kubernetes" }
        },
        "admin": { "address": { "socket_address": { "address": "127.0.0.1", "port_value": 15000 } } },
        "static_resources": {
          "listeners": [ { "name": "a" }, { "name": "b" } ],
          "clusters": [ { "name": "prometheus_stats" }, { "name": "agent" }, { "name": "xds-grpc" } ],
          "secrets": [ { "name": "s" } ]
        },
        "dynamic_resources": {
          "ads_config": { "api_type": "GRPC", "transport_api_version": "V3", "grpc_services": [ { "envoy_grpc": { "cluster_name": "xds-grpc" } } ] },
          "cds_config": { "ads": {} }
        },
        "stats_sinks": [
          { "name": "envoy.stat_sinks.statsd",
            "typed_config": { "@type": "type.googleapis.com/envoy.config.metrics.v3.StatsdSink", "tcp_cluster_name": "statsd" } }
        ]
      },
      "last_updated": "2024-05-06T07:00:00Z"
    }
    """;

    [Fact]
    public void GivenBootstrap_ThenNodeIdentityVersionLocalityAndMetadataAreRead()
    {
        var node = Run(Parse<AdminV3.BootstrapConfigDump>(Dump)).Config.Bootstrap!.Node!;

        Assert.Equal("sidecar~10.244.0.12~productpage-v1-6b746f74dc-9stvs.default~default.svc.cluster.local", node.Id);
        Assert.Equal("productpage.default", node.Cluster);
        Assert.Equal("envoy", node.UserAgentName);
        Assert.Equal("1.29.4", node.UserAgentVersion);
        Assert.Equal("us-central1/us-central1-a", node.Locality!.ToString());
        Assert.Equal("default", node.Namespace);
        Assert.Equal("1.21.2", node.IstioVersion);
        Assert.Equal("productpage", node.Metadata["LABELS"].GetProperty("app").GetString());
    }

    [Fact]
    public void GivenBootstrap_ThenAdminStaticCountsAdsAndStatsSinksAreRead()
    {
        var bootstrap = Run(Parse<AdminV3.BootstrapConfigDump>(Dump)).Config.Bootstrap!;

        Assert.Equal("127.0.0.1:15000", bootstrap.AdminAddress!.ToString());
        Assert.Equal((2, 3, 1), (bootstrap.StaticListenerCount, bootstrap.StaticClusterCount, bootstrap.StaticSecretCount));
        Assert.Equal("GRPC", bootstrap.AdsApiType);
        Assert.Equal(["xds-grpc"], bootstrap.AdsGrpcClusters);
        var sink = Assert.Single(bootstrap.StatsSinks);
        Assert.Equal("envoy.stat_sinks.statsd", sink.Name);
        Assert.True(sink.Typed);
        Assert.Equal("/configs/0/bootstrap/stats_sinks/0", sink.Pointer.Value);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 0, 0, TimeSpan.Zero), bootstrap.LastUpdated);
        Assert.Equal("/configs/0/bootstrap", bootstrap.Pointer.Value);
    }

    [Fact]
    public void GivenTwoBootstrapSections_ThenTheFirstIsUsedAndTheSecondIsReported()
    {
        var first = Parse<AdminV3.BootstrapConfigDump>(Dump);
        var second = Parse<AdminV3.BootstrapConfigDump>("""{ "bootstrap": { "node": { "id": "other" } } }""");

        var result = Run(first, second);

        Assert.Equal("productpage.default", result.Config.Bootstrap!.Node!.Cluster);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.Interpretation, diagnostic.Code);
        Assert.Equal("/configs/1/bootstrap", diagnostic.Pointer.Value);
        Assert.Equal(1, result.Config.Sections[1].Raw);
    }
}
