using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using EnvoyLens.Core.Redaction;
using EnvoyLens.TestKit;

namespace EnvoyLens.Admin.Tests.Bundles;

/// <summary>
/// The redaction table against a real dump: a secret planted in the place of every rule, in a random object of the
/// sample snapshot's config dump, never survives <see cref="JsonRedactor"/>; the table is the one BUNDLE.md documents.
/// </summary>
public sealed class RedactionRulesTests
{
    private static readonly string Dump = File.ReadAllText(TestPaths.Fixture("snapshots", "reviews", "config_dump.json"));

    private static readonly Gen<string> Secret = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], 12, 24].Select(s => "s3cr3t-" + s);

    /// <summary>A header name a rule calls secret: an exact name, or any name around a secret part, in random case.</summary>
    private static readonly Gen<string> SecretHeader =
        Gen.OneOf(
            Any([.. RedactionRules.SecretHeaderNames]),
            Gen.Select(Any("", "x-", "x-my-", "grpc-"), Any([.. RedactionRules.SecretHeaderParts]), Any("", "-id", "orization", "s"))
                .Select((a, b, c) => a + b + c))
        .SelectMany(name => Gen.Bool.Select(upper => upper ? name.ToUpperInvariant() : name));

    private static readonly Gen<string> SecretMetadataKey =
        Gen.Select(Any("", "DB_", "ISTIO_META_", "x."), Any([.. RedactionRules.SecretMetadataKeyParts]), Any("", "_FILE", "s"))
            .Select((a, b, c) => a + b + c)
            .SelectMany(name => Gen.Bool.Select(upper => upper ? name.ToUpperInvariant() : name));

    private static Gen<string> Any(params string[] values) => Gen.OneOf(values.Select(Gen.Const).ToArray());

    public static TheoryData<int> Rules() => new(Enumerable.Range(0, RedactionRules.All.Count));

    [Theory]
    [MemberData(nameof(Rules))]
    public void Given_a_secret_planted_in_a_rules_place_in_a_real_dump_When_redacted_Then_it_never_survives(int index)
    {
        var rule = RedactionRules.All[index];
        Gen.Select(Gen.Int[0, int.MaxValue], Secret, SecretHeader, SecretMetadataKey, Gen.Int[0, rule.Fields.Count - 1]).Sample((where, secret, header, key, field) =>
        {
            var planted = Plant(rule, where, secret, header, key, field);
            Assert.Contains(secret, planted, StringComparison.Ordinal);

            var result = JsonRedactor.Redact(Encoding.UTF8.GetBytes(planted), "config_dump.json");

            var text = Encoding.UTF8.GetString(result.Content.Span);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.NotEmpty(result.Pointers);
            var root = JsonNode.Parse(text)!;
            Assert.All(result.Pointers, p =>
            {
                var value = Resolve(root, p)!.ToJsonString();
                Assert.True(value.Contains(RedactionRules.Marker, StringComparison.Ordinal) || value.Contains(RedactionRules.MarkerBase64, StringComparison.Ordinal), p + " holds " + value);
            });
        }, iter: 40);
    }

    [Fact]
    public void Given_the_sample_dump_When_redacted_Then_every_byte_is_kept_because_it_holds_no_secret()
    {
        var bytes = Encoding.UTF8.GetBytes(Dump);

        var result = JsonRedactor.Redact(bytes, "config_dump.json");

        Assert.Empty(result.Pointers);
        Assert.True(result.Content.Span == bytes.AsSpan());
    }

    [Fact]
    public void Given_headers_and_metadata_that_are_not_secret_When_redacted_Then_they_are_kept()
    {
        var json = """
            {"initial_metadata":[{"key":"x-request-id","value":"keep-1"}],
             "request_headers_to_add":[{"header":{"key":"x-envoy-peer","value":"keep-2"}}],
             "node":{"metadata":{"CLUSTER_ID":"keep-3","LABELS":{"app":"keep-4"}}},
             "other":{"metadata":{"DB_PASSWORD":"keep-5"}}}
            """;

        var result = JsonRedactor.Redact(Encoding.UTF8.GetBytes(json), "x.json");

        Assert.Empty(result.Pointers);
    }

    [Fact]
    public void Given_BUNDLE_md_When_read_Then_it_documents_every_field_header_part_and_metadata_part_of_the_table()
    {
        var doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "EnvoyLens.Admin", "BUNDLE.md"));
        var section = doc[doc.IndexOf("## Redaction", StringComparison.Ordinal)..doc.IndexOf("## Writing rules", StringComparison.Ordinal)];

        var missing = RedactionRules.All.SelectMany(r => r.Fields)
            .Concat(RedactionRules.SecretHeaderNames).Concat(RedactionRules.SecretHeaderParts).Concat(RedactionRules.SecretMetadataKeyParts)
            .Where(f => !section.Contains("`" + f + "`", StringComparison.Ordinal))
            .ToList();

        Assert.True(missing.Count == 0, "BUNDLE.md's redaction section does not name " + string.Join(", ", missing));
    }

    /// <summary>The dump with the rule's example merged into the object at <paramref name="where"/> (modulo the object count).</summary>
    private static string Plant(RedactionRule rule, int where, string secret, string header, string key, int field)
    {
        var root = JsonNode.Parse(Dump)!;
        var objects = new List<JsonObject>();
        Collect(root, objects);
        var target = objects[where % objects.Count];
        var example = rule.Example.Replace("$SECRET", secret, StringComparison.Ordinal)
            .Replace("\"x-api-key\"", JsonSerializer.Serialize(header), StringComparison.Ordinal)
            .Replace("\"Authorization\"", JsonSerializer.Serialize(header), StringComparison.Ordinal)
            .Replace("\"authorization\"", JsonSerializer.Serialize(header), StringComparison.Ordinal)
            .Replace("\"DB_PASSWORD\"", JsonSerializer.Serialize(key), StringComparison.Ordinal)
            .Replace("\"VAULT_TOKEN\"", JsonSerializer.Serialize(key + "2"), StringComparison.Ordinal);
        var planted = JsonNode.Parse(example)!.AsObject();
        var fieldName = rule.Fields[field];
        foreach (var (name, value) in planted.ToList())
        {
            planted.Remove(name);
            // The rule's own field under any of its names (private_key or privateKey, ...).
            target[name == rule.Fields[0] ? fieldName : name] = value;
        }

        RenameFirst(target, rule.Fields[0], fieldName);
        return root.ToJsonString();
    }

    /// <summary>In the example's nested objects, the rule's first field name becomes <paramref name="to"/>.</summary>
    private static void RenameFirst(JsonNode? node, string from, string to)
    {
        switch (node)
        {
            case JsonObject o:
                if (from != to && o[from] is { } value)
                {
                    o.Remove(from);
                    o[to] = value;
                }

                foreach (var (_, child) in o.ToList())
                {
                    RenameFirst(child, from, to);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    RenameFirst(child, from, to);
                }

                break;
        }
    }

    private static void Collect(JsonNode? node, List<JsonObject> into)
    {
        switch (node)
        {
            case JsonObject o:
                into.Add(o);
                foreach (var (_, child) in o)
                {
                    Collect(child, into);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Collect(child, into);
                }

                break;
        }
    }

    private static JsonNode? Resolve(JsonNode root, string pointer)
    {
        var node = root;
        foreach (var token in EnvoyLens.Core.JsonPointer.Parse(pointer).Tokens)
        {
            node = node switch
            {
                JsonObject o => o[token],
                JsonArray a => a[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)],
                _ => null,
            };
        }

        return node;
    }
}
