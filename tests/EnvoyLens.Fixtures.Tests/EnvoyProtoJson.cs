using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace EnvoyLens.Fixtures.Tests;

/// <summary>A strict Google.Protobuf JsonParser that knows every message compiled into EnvoyLens.Protos.</summary>
internal static class EnvoyProtoJson
{
    /// <summary>The Istio extension types real sidecar dumps carry and the generator emits on purpose.</summary>
    public static readonly IReadOnlySet<string> DeliberateUnknownTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "type.googleapis.com/io.istio.http.peer_metadata.Config",
        "type.googleapis.com/stats.PluginConfig",
        "type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange",
        "type.googleapis.com/istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig",
    };

    private static readonly Lazy<TypeRegistry> RegistryLazy = new(() =>
    {
        var files = typeof(Envoy.Admin.V3.ConfigDump).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>()
            .ToArray();
        return TypeRegistry.FromFiles(files);
    });

    public static TypeRegistry Registry => RegistryLazy.Value;

    public static JsonParser Parser { get; } = new(JsonParser.Settings.Default.WithTypeRegistry(RegistryLazy.Value));

    public static bool IsKnown(string typeUrl) =>
        Registry.Find(typeUrl[(typeUrl.LastIndexOf('/') + 1)..]) is not null;

    /// <summary>Every distinct @type value in a JSON document.</summary>
    public static SortedSet<string> TypeUrls(JsonElement element)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        Collect(element, found);
        return found;
    }

    private static void Collect(JsonElement element, SortedSet<string> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "@type" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        found.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, found);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, found);
                }

                break;
        }
    }
}
