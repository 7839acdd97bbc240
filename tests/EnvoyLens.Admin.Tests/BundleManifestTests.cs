using System.Text;
using EnvoyLens.Core;

namespace EnvoyLens.Admin.Tests;

public sealed class BundleManifestTests
{
    private const string Example = """
        { "format": "envoylens-bundle/v1",
          "tool": "envoylens 0.1.0",
          "target": { "kind": "pod", "name": "reviews-v1-6c8d7b9f4-x2x7q.default", "container": "istio-proxy", "port": 15000, "url": null },
          "envoyVersion": "1.32.3", "capturedAt": "2026-11-20T10:00:00Z",
          "files": [ { "endpoint": "config_dump", "path": "config_dump.json", "url": "/config_dump?include_eds",
                       "capturedAt": "2026-11-20T10:00:00Z", "sha256": "ABCDEF", "bytes": 12345 } ],
          "redactions": [ { "file": "config_dump.json", "pointer": "/configs/5/dynamic_active_secrets/0/secret/tls_certificate/private_key" } ] }
        """;

    [Fact]
    public void Given_the_documented_example_When_read_Then_every_field_is_there()
    {
        var m = BundleManifest.Read(Encoding.UTF8.GetBytes(Example), "manifest.json");

        Assert.Equal("envoylens 0.1.0", m.Tool);
        Assert.Equal(new BundleTarget("pod", "reviews-v1-6c8d7b9f4-x2x7q.default", "istio-proxy", 15000, null), m.Target);
        Assert.Equal("1.32.3", m.EnvoyVersion);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), m.CapturedAt);
        var f = Assert.Single(m.Files);
        Assert.Equal(new BundleFile("config_dump", "config_dump.json", "/config_dump?include_eds", m.CapturedAt, "abcdef", 12345), f);
        Assert.Equal("/configs/5/dynamic_active_secrets/0/secret/tls_certificate/private_key", Assert.Single(m.Redactions).Pointer);
    }

    [Fact]
    public void Given_a_manifest_When_written_and_read_back_Then_it_round_trips()
    {
        var original = BundleManifest.Read(Encoding.UTF8.GetBytes(Example), "manifest.json");

        var again = BundleManifest.Read(BundleManifest.Write(original), "manifest.json");

        Assert.Equal(original.Target, again.Target);
        Assert.Equal(original.Files, again.Files);
        Assert.Equal(original.Redactions, again.Redactions);
        Assert.Equal(original with { Files = again.Files, Redactions = again.Redactions }, again);
    }

    [Fact]
    public void Given_the_same_files_in_any_order_When_written_Then_the_bytes_are_identical_and_sorted()
    {
        var a = BundleFile.For("stats", "stats.txt", [1, 2, 3]);
        var b = BundleFile.For("certs", "certs.json", [4]);
        var time = new DateTimeOffset(2026, 11, 20, 11, 0, 0, TimeSpan.FromHours(1));
        var m1 = new BundleManifest(BundleManifest.CurrentFormat, null, null, null, time, [a, b], []);
        var m2 = m1 with { Files = [b, a] };

        var bytes1 = BundleManifest.Write(m1);
        var bytes2 = BundleManifest.Write(m2);

        Assert.Equal(bytes1, bytes2);
        var text = Encoding.UTF8.GetString(bytes1);
        Assert.True(text.IndexOf("certs.json", StringComparison.Ordinal) < text.IndexOf("stats.txt", StringComparison.Ordinal));
        Assert.Contains("\"capturedAt\": \"2026-11-20T10:00:00Z\"", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_content_When_described_Then_hash_and_size_match_a_known_digest()
    {
        var f = BundleFile.For("ready", "ready.txt", Encoding.ASCII.GetBytes("abc"));

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", f.Sha256);
        Assert.Equal(3, f.Bytes);
    }

    [Fact]
    public void Given_every_endpoint_When_named_Then_names_round_trip_and_are_unique()
    {
        var all = Enum.GetValues<AdminEndpoint>();

        var names = all.Select(BundleManifest.EndpointName).ToList();

        Assert.Equal(all.Length, names.Distinct().Count());
        Assert.Equal(names, BundleManifest.EndpointNames);
        Assert.All(all, e => Assert.True(BundleManifest.TryParseEndpoint(BundleManifest.EndpointName(e), out var back) && back == e));
        Assert.False(BundleManifest.TryParseEndpoint("quitquitquit", out _));
    }

    [Theory]
    [InlineData("[]", "m is not a bundle manifest: it is not a JSON object.")]
    [InlineData("{\"format\": \"envoylens-bundle/v1\"}", "m is not a bundle manifest: it has no \"files\" array.")]
    [InlineData("{\"format\": \"envoylens-bundle/v1\", \"files\": [{\"endpoint\": \"stats\", \"path\": \"s.txt\", \"sha256\": \"00\"}]}", "m files[0] (s.txt) has no valid \"bytes\" size.")]
    [InlineData("{\"files\": []}", "m is not a bundle manifest: it has no \"format\".")]
    [InlineData("{\"format\": ", "m is not valid JSON (line 1).")]
    public void Given_a_broken_manifest_When_read_Then_one_sentence_says_what_is_wrong(string json, string message)
    {
        var ex = Assert.Throws<EnvoyLensException>(() => BundleManifest.Read(Encoding.UTF8.GetBytes(json), "m"));

        Assert.Equal(message, ex.Message);
    }

    // Found by the bundle fuzz target: a manifest string that is not UTF-8 threw InvalidOperationException when read.
    [Fact]
    public void Given_a_manifest_with_a_byte_that_is_not_utf8_When_read_Then_one_sentence_names_it_and_the_offset()
    {
        byte[] json = [.. "{\"format\": \"envoylens-bundle/v1\", \"tool\": \"env"u8, 0x8B, .. "oylens\", \"files\": []}"u8];

        var ex = Assert.Throws<EnvoyLensException>(() => BundleManifest.Read(json, "b/manifest.json"));

        Assert.Equal("b/manifest.json is not valid JSON: it is not UTF-8 text (a byte at offset 46 is not UTF-8).", ex.Message);
    }

    [Fact]
    public void Given_a_manifest_string_with_an_escaped_lone_surrogate_When_read_Then_one_sentence_names_the_field()
    {
        var json = "{\"format\": \"envoylens-bundle/v1\", \"tool\": \"\\ud800\", \"files\": []}"u8.ToArray();

        var ex = Assert.Throws<EnvoyLensException>(() => BundleManifest.Read(json, "b/manifest.json"));

        Assert.Equal("b/manifest.json has \"tool\" with an escape that is not a Unicode character.", ex.Message);
    }
}
