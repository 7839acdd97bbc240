using EnvoyLens.Core;
using EnvoyLens.Decoding.Normalize;
using EnvoyLens.Model;
using EnvoyLens.ProtoJson;
using EnvoyLens.TestKit;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyLens.Decoding.Tests.Normalize;

/// <summary>Real captures from the shared corpus, read with the tolerant reader and normalized end to end.</summary>
public sealed class CorpusNormalizationTests
{
    private static readonly ProtoJsonReader Reader = new(
        new TypeResolver([EnvoyMessageTypes.Table], EnvoyTypes.V3NameFor),
        new ProtoJsonReaderOptions { TrackedTypes = ConfigDumpNormalizer.TrackedTypes, KeepUnpackedMessages = true });

    internal static (NormalizedConfig Config, List<DecodeDiagnostic> Diagnostics) NormalizeCorpusFile(params string[] path)
    {
        var bytes = File.ReadAllBytes(TestPaths.CorpusFile(path));
        var source = string.Join('/', path);
        var read = Reader.Read(Envoy.Admin.V3.ConfigDump.Descriptor, bytes, source, JsonPointer.Root);
        var dump = Assert.IsType<Envoy.Admin.V3.ConfigDump>(read.Message);
        var diagnostics = new List<DecodeDiagnostic>(read.Diagnostics);
        var normalizer = new ConfigDumpNormalizer(source, read.LocationOf, diagnostics.Add, new NormalizerOptions { Unpacked = read.Unpacked });
        for (var i = 0; i < dump.Configs.Count; i++)
        {
            var section = dump.Configs[i];
            normalizer.AddSection(read.Unpacked(section) ?? section, JsonPointer.Root.Append("configs").Append(i));
        }

        return (normalizer.Build(), diagnostics);
    }

    [SkippableFact]
    public void GivenIstioSecretsDump_ThenTheWorkloadChainAndRootCaAreSplitIntoPemBlocks()
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus is not present.");

        var (config, _) = NormalizeCorpusFile("config_dump", "istio-2023-secrets-only.json");

        Assert.Equal(["default", "ROOTCA"], config.Secrets.Select(s => s.Name).ToArray());
        Assert.Equal(SecretType.TlsCertificate, config.Secrets[0].Type);
        Assert.NotEmpty(config.Secrets[0].CertificateChainPem);
        Assert.All(config.Secrets[0].CertificateChainPem, p => Assert.StartsWith("-----BEGIN CERTIFICATE-----", p, StringComparison.Ordinal));
        Assert.True(config.Secrets[0].HasPrivateKey);
        Assert.Equal(SecretType.ValidationContext, config.Secrets[1].Type);
        Assert.NotEmpty(config.Secrets[1].TrustedCaPem);
        Assert.Equal("/configs/0/dynamic_active_secrets/1/secret", config.Secrets[1].Meta.Pointer.Value);
    }

    [SkippableFact]
    public void GivenIstioEcdsDump_ThenTypedMatchesWhatIstioctlCanResolve()
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus is not present.");

        var (config, _) = NormalizeCorpusFile("golden", "istio-proxyconfig-ecds", "configdump.json");

        Assert.Equal(6, config.Ecds.Count);
        Assert.Equal(
            ["default.display-metadata", "default.httpbin-rate-limiting"],
            config.Ecds.Where(e => e.Extension.Typed).Select(e => e.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.All(config.Ecds.Where(e => e.Extension.Typed), e => Assert.Equal("envoy.extensions.filters.http.wasm.v3.Wasm", e.Extension.TypeName));
        Assert.All(config.Ecds.Where(e => !e.Extension.Typed), e => Assert.Null(e.Extension.TypeName));
    }

    [SkippableFact]
    public void GivenIstioSidecarDump_ThenListenersClustersAndRoutesAreNormalizedWithReaderPointers()
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus is not present.");

        var (config, _) = NormalizeCorpusFile("config_dump", "istio-compare-sidecar-configdump.json");

        Assert.Equal(3, config.Listeners.Count);
        Assert.Single(config.Clusters, c => c.Meta.Origin == ResourceOrigin.Dynamic);
        Assert.NotEmpty(config.RouteConfigs);
        Assert.All(config.Listeners, l => Assert.StartsWith("/configs/", l.Meta.Pointer.Value, StringComparison.Ordinal));
        Assert.All(config.Sections, s => Assert.Equal(0, s.Raw));
    }

    [SkippableFact]
    public void GivenALegacyCamelCaseDump_ThenResourcePointersAreWhereTheReaderFoundThem()
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus is not present.");

        var (config, _) = NormalizeCorpusFile("config_dump", "istio-2020-v2-camelcase-configdump.json");

        Assert.Equal("172.21.134.116_443", config.Listeners[0].Name);
        Assert.Equal("/configs/2/dynamicListeners/0/activeState/listener", config.Listeners[0].Meta.Pointer.Value);
        Assert.Equal("/configs/2/dynamicListeners/0/activeState/listener/filterChains/0", config.Listeners[0].FilterChains[0].Pointer.Value);
    }

    [SkippableTheory]
    [InlineData("config_dump", "istio-1.5-envoy-1.13-configdump.json")]
    [InlineData("config_dump", "istio-2020-v2-camelcase-configdump.json")]
    [InlineData("config_dump", "kuma-dataplane-no-hds.json")]
    [InlineData("config_dump", "consul-troubleshoot-upstreams-configdump.json")]
    [InlineData("config_dump", "istio-describe-http-config.json")]
    [InlineData("config_dump", "istio-describe-tls-routes.json")]
    [InlineData("config_dump", "istio-compare-sidecar-configdump-diff.json")]
    public void GivenARealDump_ThenEverySectionIsSummarizedAndNothingThrows(string folder, string file)
    {
        Skip.If(TestPaths.Corpus is null, "The shared corpus is not present.");

        var (config, diagnostics) = NormalizeCorpusFile(folder, file);

        Assert.NotEmpty(config.Sections);
        Assert.DoesNotContain(diagnostics, d => d.Code == DiagnosticCodes.InvalidResource && d.Level == DiagnosticLevel.Error);
        Assert.All(config.Sections, s => Assert.Equal(0, s.Raw));
        var items = (config.Bootstrap is null ? 0 : 1) + config.Listeners.Count + config.Clusters.Count + config.RouteConfigs.Count +
                    config.LoadAssignments.Count + config.Secrets.Count + config.Ecds.Count;
        var scoped = config.Sections.SelectMany(s => s.Counts).Where(kv => kv.Key.StartsWith("ScopedRoute:", StringComparison.Ordinal)).Sum(kv => kv.Value);
        Assert.Equal(items + scoped, config.Sections.Sum(s => s.Typed));
    }
}
