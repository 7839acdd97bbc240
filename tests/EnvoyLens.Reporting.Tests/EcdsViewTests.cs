using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Rendering;
using EnvoyLens.Reporting.Views;
using static EnvoyLens.Reporting.Tests.TestModel;

namespace EnvoyLens.Reporting.Tests;

public sealed class EcdsViewTests
{
    private static EcdsConfig Ecds(string name, string? typeUrl) =>
        new(Meta(ResourceKind.Ecds, name), new TypedExtension(name, typeUrl, typeUrl is not null, JsonPointer.Root));

    [Fact]
    public void Given_the_istioctl_ecds_input_as_a_model_When_rendered_Then_text_equals_the_golden_output()
    {
        const string wasm = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";
        var snapshot = Snapshot(ecds:
        [
            Ecds("default.httpbin-rate-limiting", wasm),
            Ecds("default.display-metadata", wasm),
            Ecds("istio.io/telemetry/stats/prometheus/sidecar/Outbound/HTTP", null),
            Ecds("istio.io/telemetry/stats/prometheus/sidecar/Inbound/HTTP", null),
            Ecds("istio.io/telemetry/stats/prometheus/sidecar/Inbound/TCP", null),
            Ecds("istio.io/telemetry/stats/prometheus/sidecar/Outbound/TCP", null),
        ]);
        var sw = new StringWriter();

        TableRenderer.Write([EcdsView.Build(snapshot)], OutputFormat.Table, sw);

        Assert.Equal(GoldenCorpus.Read("istio-proxyconfig-ecds", "output.txt"), sw.ToString());
    }
}
