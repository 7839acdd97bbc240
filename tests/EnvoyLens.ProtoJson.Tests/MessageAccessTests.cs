using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace EnvoyLens.ProtoJson.Tests;

/// <summary>
/// The generated field access of every message type of each table against Google.Protobuf's own reflection
/// accessors: a value set through one is read back through the other, collections are the same instances, oneof
/// cases agree. A field the generated code does not cover would make the reader fall back to reflection, which is
/// correct but slow, so coverage is asserted too.
/// </summary>
public sealed class MessageAccessTests
{
    [Theory]
    [MemberData(nameof(MessageTypeTableTests.Tables), MemberType = typeof(MessageTypeTableTests))]
    public void Given_every_message_type_of_a_table_When_its_fields_are_set_through_the_generated_access_Then_reflection_reads_the_same_values(string name)
    {
        var table = MessageTypeTableTests.TableAndAssembly(name).Table;
        var failures = new List<string>();
        var fields = 0;
        foreach (var clrName in table.ClrNames)
        {
            var descriptor = table.DescriptorOf(clrName)!;
            var access = MessageTypeTable.AccessOf(descriptor);
            if (access is null)
            {
                failures.Add($"{descriptor.FullName}: no generated access");
                continue;
            }

            Assert.IsType(descriptor.ClrType, access.Create());
            foreach (var field in descriptor.Fields.InDeclarationOrder())
            {
                fields++;
                var problem = Check(access, descriptor, field);
                if (problem is not null)
                {
                    failures.Add($"{descriptor.FullName}.{field.Name}: {problem}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(50)));
        Assert.True(fields > (name == "envoy" ? 3_000 : 10), $"only {fields} fields checked");
    }

    [Fact]
    public void Given_a_field_number_the_type_does_not_have_When_set_through_the_generated_access_Then_it_answers_false_and_changes_nothing()
    {
        var access = MessageTypeTable.AccessOf(Envoy.Config.Cluster.V3.Cluster.Descriptor)!;
        var cluster = (Envoy.Config.Cluster.V3.Cluster)access.Create();

        Assert.False(access.TrySet(cluster, 99_999, "x"));
        Assert.Null(access.Collection(cluster, 99_999));
        Assert.Equal(-1, access.OneofCase(cluster, Envoy.Config.Cluster.V3.Cluster.NameFieldNumber));
        Assert.Equal(new Envoy.Config.Cluster.V3.Cluster(), cluster);
    }

    private static string? Check(MessageAccess access, MessageDescriptor type, FieldDescriptor field)
    {
        var message = access.Create();
        if (field.IsMap || field.IsRepeated)
        {
            var collection = access.Collection(message, field.FieldNumber);
            return ReferenceEquals(collection, field.Accessor.GetValue(message)) ? null : "the collection is not the message's own";
        }

        var value = SampleValue(field);
        if (!access.TrySet(message, field.FieldNumber, value))
        {
            return "not settable through the generated access";
        }

        var read = field.Accessor.GetValue(message);
        if (!SameValue(field, value, read))
        {
            return $"set {value}, read back {read}";
        }

        if (field.RealContainingOneof is not null && access.OneofCase(message, field.FieldNumber) != field.FieldNumber)
        {
            return $"oneof case {access.OneofCase(message, field.FieldNumber)}, not {field.FieldNumber}";
        }

        return null;
    }

    /// <summary>A value that is not the field's default, in the form the reader passes (an enum as its number, a wrapper field as the wrapped value).</summary>
    private static object SampleValue(FieldDescriptor field)
    {
        var type = field.FieldType;
        if (type == FieldType.Message && field.MessageType.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal)
            && field.MessageType.FullName.EndsWith("Value", StringComparison.Ordinal) && field.MessageType.Fields.InDeclarationOrder().Count == 1
            && field.MessageType.FullName is not "google.protobuf.Value" and not "google.protobuf.ListValue")
        {
            type = field.MessageType.FindFieldByNumber(1).FieldType;
        }

        return type switch
        {
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => 7,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => 7L,
            FieldType.UInt32 or FieldType.Fixed32 => 7u,
            FieldType.UInt64 or FieldType.Fixed64 => 7UL,
            FieldType.Float => 1.5f,
            FieldType.Double => 1.5,
            FieldType.Bool => true,
            FieldType.String => "seven",
            FieldType.Bytes => ByteString.CopyFromUtf8("seven"),
            FieldType.Enum => field.EnumType.Values.Select(v => v.Number).FirstOrDefault(n => n != 0, 0),
            _ => NonEmpty(field.MessageType),
        };
    }

    /// <summary>A message of the type; a distinct instance, so that a setter that stored it is seen to.</summary>
    private static IMessage NonEmpty(MessageDescriptor type) => type.Parser.ParseFrom(ByteString.Empty);

    private static bool SameValue(FieldDescriptor field, object set, object? read) => field.FieldType switch
    {
        FieldType.Enum => read is not null && Convert.ToInt32(read, System.Globalization.CultureInfo.InvariantCulture) == (int)set,
        FieldType.Message when set is IMessage => ReferenceEquals(set, read),
        _ => Equals(set, read),
    };
}
