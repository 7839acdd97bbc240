using System.Text;
using EnvoyLens.Core;
using EnvoyLens.Decoding.Canonical;

namespace EnvoyLens.Decoding.Tests.Hostile;

/// <summary>
/// A payload of a type EnvoyLens has no schema for is kept as its JSON; when that JSON gives a key twice no tree can
/// hold it, and what diff shows and compares of it is its text (found by fuzzing: the tree build threw).
/// </summary>
public sealed class DuplicateKeyTests
{
    [Theory]
    [InlineData("name")]
    [InlineData("@type")]
    public void Given_an_unknown_payload_with_a_key_twice_When_read_for_diff_Then_its_tree_is_its_raw_text(string key)
    {
        var payload = $$"""{"@type":"type.googleapis.com/acme.Unknown","{{key}}":"a","{{key}}":"b"}""";
        var json = $$$"""
            {"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.EcdsConfigDump","ecds_filters":[
              {"ecds_filter":{"@type":"type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig","name":"f","typed_config":{{{payload}}}}}]}]}
            """;
        var raw = new RawSnapshot("s", [new RawDocument(AdminEndpoint.ConfigDump, "dump.json", Encoding.UTF8.GetBytes(json))]);

        var resource = Assert.Single(CanonicalReader.Read(raw).Resources);
        var tree = resource.Load();

        Assert.Equal("f", resource.Name);
        Assert.Equal("type.googleapis.com/acme.Unknown", (string?)tree["typed_config"]!["@type"]);
        Assert.Equal(payload, (string?)tree["typed_config"]!["raw"]);
        Assert.Equal("f", Assert.Single(SnapshotDecoder.Decode(raw).Ecds).Name);
    }
}
