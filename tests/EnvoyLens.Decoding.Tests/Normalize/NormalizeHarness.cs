using EnvoyLens.Core;
using EnvoyLens.Decoding.Normalize;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace EnvoyLens.Decoding.Tests.Normalize;

/// <summary>Builds config dump sections from authored JSON (Google.Protobuf's parser) and normalizes them.</summary>
internal static class NormalizeHarness
{
    public const string Source = "config_dump.json";

    private static readonly TypeRegistry Registry = TypeRegistry.FromMessages(
        Envoy.Admin.V3.BootstrapConfigDump.Descriptor,
        Envoy.Admin.V3.ListenersConfigDump.Descriptor,
        Envoy.Admin.V3.ClustersConfigDump.Descriptor,
        Envoy.Admin.V3.RoutesConfigDump.Descriptor,
        Envoy.Admin.V3.ScopedRoutesConfigDump.Descriptor,
        Envoy.Admin.V3.SecretsConfigDump.Descriptor,
        Envoy.Admin.V3.EndpointsConfigDump.Descriptor,
        Envoy.Admin.V3.EcdsConfigDump.Descriptor,
        Envoy.Config.Bootstrap.V3.Bootstrap.Descriptor,
        Envoy.Config.Listener.V3.Listener.Descriptor,
        Envoy.Config.Cluster.V3.Cluster.Descriptor,
        Envoy.Config.Route.V3.RouteConfiguration.Descriptor,
        Envoy.Config.Route.V3.ScopedRouteConfiguration.Descriptor,
        Envoy.Config.Endpoint.V3.ClusterLoadAssignment.Descriptor,
        Envoy.Config.Core.V3.TypedExtensionConfig.Descriptor,
        Envoy.Extensions.TransportSockets.Tls.V3.Secret.Descriptor,
        Envoy.Extensions.TransportSockets.Tls.V3.UpstreamTlsContext.Descriptor,
        Envoy.Extensions.TransportSockets.Tls.V3.DownstreamTlsContext.Descriptor,
        Envoy.Extensions.TransportSockets.RawBuffer.V3.RawBuffer.Descriptor,
        Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager.Descriptor,
        Envoy.Extensions.Filters.Network.TcpProxy.V3.TcpProxy.Descriptor,
        Envoy.Extensions.Filters.Http.Router.V3.Router.Descriptor,
        Envoy.Extensions.Filters.Http.Fault.V3.HTTPFault.Descriptor,
        Envoy.Extensions.Filters.Listener.TlsInspector.V3.TlsInspector.Descriptor,
        Envoy.Extensions.Clusters.Aggregate.V3.ClusterConfig.Descriptor,
        Envoy.Config.Metrics.V3.StatsdSink.Descriptor);

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(Registry));

    public static T Parse<T>(string json)
        where T : IMessage<T>, new() => Parser.Parse<T>(json);

    /// <summary>Normalizes the sections, placing section i at <c>/configs/i</c>.</summary>
    public static Result Run(params IMessage[] sections) => Run(_ => null, null, sections);

    public static Result Run(Func<IMessage, JsonPointer?> locate, NormalizerOptions? options, params IMessage[] sections)
    {
        var diagnostics = new List<DecodeDiagnostic>();
        var normalizer = new ConfigDumpNormalizer(Source, locate, diagnostics.Add, options);
        for (var i = 0; i < sections.Length; i++)
        {
            normalizer.AddSection(sections[i], JsonPointer.Root.Append("configs").Append(i));
        }

        return new Result(normalizer.Build(), diagnostics);
    }

    public static JsonPointer Ptr(string pointer) => JsonPointer.Parse(pointer);

    public sealed record Result(NormalizedConfig Config, IReadOnlyList<DecodeDiagnostic> Diagnostics);
}

/// <summary>Syntactically valid PEM text for tests (the normalizer never parses X.509).</summary>
internal static class TestPem
{
    public const string CertA = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQUFBQUFBQUFBQUFBQUFBQUFBQUEwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n";

    public const string CertB = "-----BEGIN CERTIFICATE-----\nMIIBtDCCAVqgAwIBAgIUQkJCQkJCQkJCQkJCQkJCQkJCQkIwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n";

    /// <summary>A JSON string literal (quotes included) holding <paramref name="text"/>.</summary>
    public static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    /// <summary>A JSON string literal holding <paramref name="text"/> as base64 (how inline_bytes appear in a dump).</summary>
    public static string Base64Json(string text) => "\"" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)) + "\"";
}
