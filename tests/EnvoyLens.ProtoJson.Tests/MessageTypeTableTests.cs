using System.Reflection;
using EnvoyLens.ProtoJson.Tests.Messages;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace EnvoyLens.ProtoJson.Tests;

/// <summary>
/// The build-time message type tables against what reflection finds in the assemblies they were generated from (the
/// way the resolver used to look types up). Reflection is used here only, to check the tables.
/// </summary>
public sealed class MessageTypeTableTests
{
    public static TheoryData<string> Tables => ["envoy", "test", "well-known"];

    [Theory]
    [MemberData(nameof(Tables))]
    public void Given_a_generated_table_When_compared_with_its_assembly_Then_it_lists_every_message_type_with_its_own_descriptor(string name)
    {
        var (table, assembly) = TableAndAssembly(name);
        var expected = MessageTypesByReflection(assembly);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), table.ClrNames);
        Assert.All(expected, type => Assert.Same(type.Value, table.DescriptorOf(type.Key)));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Given_every_message_type_of_an_assembly_When_resolved_by_full_name_Then_its_descriptor_is_found(string name)
    {
        var (table, assembly) = TableAndAssembly(name);
        var resolver = new TypeResolver([table]);

        var missing = MessageTypesByReflection(assembly).Values
            .Where(d => !ReferenceEquals(resolver.FindMessage(d.FullName), d))
            .Select(d => d.FullName)
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Given_a_name_no_table_lists_When_looked_up_Then_null()
    {
        Assert.Null(EnvoyMessageTypes.Table.DescriptorOf("Envoy.Config.Cluster.V3.NoSuchMessage"));
        Assert.Null(WellKnownMessageTypes.Table.DescriptorOf("Envoy.Config.Cluster.V3.Cluster"));
    }

    [Fact]
    public void Given_the_envoy_table_When_counted_Then_it_holds_the_whole_generated_api()
    {
        // The compiled Envoy API holds over a thousand messages; a table of a few hundred would mean types went missing.
        Assert.InRange(EnvoyMessageTypes.Table.ClrNames.Count, 1_000, 20_000);
        Assert.Contains("Envoy.Config.Cluster.V3.Cluster+Types+CommonLbConfig", EnvoyMessageTypes.Table.ClrNames);
    }

    internal static (MessageTypeTable Table, Assembly Assembly) TableAndAssembly(string name) => name switch
    {
        "envoy" => (EnvoyMessageTypes.Table, typeof(Envoy.Admin.V3.ConfigDump).Assembly),
        "test" => (TestMessageTypes.Table, typeof(AllTypes).Assembly),
        _ => (WellKnownMessageTypes.Table, typeof(Google.Protobuf.WellKnownTypes.Any).Assembly),
    };

    /// <summary>What the resolver found by reflection before the tables: concrete IMessage types with a static Descriptor.</summary>
    private static Dictionary<string, MessageDescriptor> MessageTypesByReflection(Assembly assembly)
    {
        var types = new Dictionary<string, MessageDescriptor>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            if (type.IsAbstract || type.IsGenericTypeDefinition || !typeof(IMessage).IsAssignableFrom(type))
            {
                continue;
            }

            var property = type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static);
            if (property?.PropertyType == typeof(MessageDescriptor) && property.GetValue(null) is MessageDescriptor descriptor)
            {
                types.Add(type.FullName!, descriptor);
            }
        }

        return types;
    }
}
