using EnvoyLens.Admin;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using Google.Protobuf;

namespace EnvoyLens.Architecture.Tests;

/// <summary>Small types with one violation each (and one without), so every boundary rule is shown to fail when broken.</summary>
public static class Samples
{
    /// <summary>Three public members naming protobuf types; the internal one is not API.</summary>
    public sealed class ExposesProto
    {
        public IReadOnlyList<Envoy.Config.Listener.V3.Listener> Listeners { get; } = [];

        internal static IMessage? Internal => null;

        public static void Pack(IMessage message) => ArgumentNullException.ThrowIfNull(message);

        public MessageParser? Parser() => Listeners.Count == 0 ? null : Envoy.Config.Listener.V3.Listener.Parser;
    }

    /// <summary>Uses protobuf inside, exposes only a string.</summary>
    public sealed class HidesProto
    {
        public string Name => Envoy.Config.Listener.V3.Listener.Descriptor.Name;
    }

    /// <summary>A command that decodes and reads a bundle itself instead of going through a service.</summary>
    internal static class ShortcutCommand
    {
        public static int Run(RawSnapshot raw, IEnumerable<string> directories)
        {
            var snapshot = SnapshotDecoder.Decode(raw);
            var raws = directories.Select(d => BundleReader.ReadDirectory(d)).ToList();
            return snapshot.GetHashCode() + raws.Count;
        }
    }

    /// <summary>A command that only touches Core.</summary>
    internal static class ThroughServiceCommand
    {
        public static int Run(RawSnapshot raw) => raw.Documents.Count;
    }

    /// <summary>An engine type that names a built-in rule.</summary>
    internal static class EngineThatKnowsARule
    {
        public static object Create() => new EnvoyLens.Rules.BuiltIn.SampleBuiltInRule();
    }
}
