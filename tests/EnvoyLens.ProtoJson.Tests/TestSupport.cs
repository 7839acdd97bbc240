using System.Text;
using EnvoyLens.Core;
using EnvoyLens.ProtoJson.Tests.Messages;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace EnvoyLens.ProtoJson.Tests;

/// <summary>Shared resolver and reader helpers for the tests.</summary>
internal static class TestSupport
{
    public const string Source = "test.json";

    /// <summary>Resolves the generated Envoy types, the well-known types and this project's test messages.</summary>
    public static readonly TypeResolver Resolver = new([EnvoyMessageTypes.Table, TestMessageTypes.Table]);

    public static readonly ProtoJsonReader Reader = new(Resolver);

    public static readonly ProtoJsonReader KeepingReader = new(Resolver, new ProtoJsonReaderOptions { KeepUnpackedMessages = true });

    public static ReadResult Read(MessageDescriptor type, string json, ProtoJsonReader? reader = null) =>
        (reader ?? Reader).Read(type, Encoding.UTF8.GetBytes(json), Source, JsonPointer.Root);

    public static T ReadClean<T>(string json)
        where T : IMessage<T>, new()
    {
        var result = Read(new T().Descriptor, json);
        Assert.True(result.Diagnostics.Count == 0, "Unexpected diagnostics: " + string.Join(" | ", result.Diagnostics));
        Assert.Empty(result.RawPayloads);
        return Assert.IsType<T>(result.Message);
    }

    public static ReadResult ReadAny(string json, JsonPointer? at = null, ProtoJsonReader? reader = null) =>
        (reader ?? Reader).ReadAny(Encoding.UTF8.GetBytes(json), Source, at ?? JsonPointer.Root);

    /// <summary>Google.Protobuf's own parser over the same registry, for comparisons on input it accepts.</summary>
    public static JsonParser GoogleParser(params MessageDescriptor[] types) =>
        new(JsonParser.Settings.Default.WithTypeRegistry(TypeRegistry.FromMessages([.. types, .. WellKnownDescriptors, Nested.Descriptor])));

    private static readonly MessageDescriptor[] WellKnownDescriptors =
    [
        Google.Protobuf.WellKnownTypes.Any.Descriptor, Google.Protobuf.WellKnownTypes.Duration.Descriptor,
        Google.Protobuf.WellKnownTypes.Timestamp.Descriptor, Google.Protobuf.WellKnownTypes.Struct.Descriptor,
        Google.Protobuf.WellKnownTypes.Value.Descriptor, Google.Protobuf.WellKnownTypes.Empty.Descriptor,
        Google.Protobuf.WellKnownTypes.UInt32Value.Descriptor, Google.Protobuf.WellKnownTypes.FieldMask.Descriptor,
    ];
}
