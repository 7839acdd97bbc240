using Google.Protobuf;

namespace EnvoyLens.Decoding.Tests;

/// <summary>The decoder's build-time table of Envoy messages against the generated assembly (reflection in this test only).</summary>
public sealed class EnvoyMessageTypesTests
{
    [Fact]
    public void Given_every_generated_envoy_message_When_resolved_by_the_decoder_Then_each_finds_its_own_descriptor()
    {
        var generated = typeof(Envoy.Admin.V3.ConfigDump).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMessage).IsAssignableFrom(t))
            .Select(t => ((IMessage)Activator.CreateInstance(t)!).Descriptor)
            .ToList();

        var unresolved = generated.Where(d => !ReferenceEquals(SnapshotDecoder.Resolver.FindMessage(d.FullName), d)).Select(d => d.FullName).ToList();

        Assert.NotEmpty(generated);
        Assert.Empty(unresolved);
        Assert.Equal(generated.Count, EnvoyMessageTypes.Table.ClrNames.Count);
    }
}
