using System.Text;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Core.Redaction;

namespace EnvoyLens.Admin.Tests.Bundles;

public sealed class RedactorTests
{
    private static RedactionResult Redact(string json) => JsonRedactor.Redact(Encoding.UTF8.GetBytes(json), "test.json");

    private static JsonElement Parse(RedactionResult result) => JsonDocument.Parse(result.Content.ToArray()).RootElement;

    [Fact]
    public void Given_an_inline_private_key_When_redacted_Then_it_reads_as_Envoy_writes_it_and_its_pointer_is_listed()
    {
        var result = Redact("""
            {"configs":[{"dynamic_active_secrets":[{"name":"default","secret":{"tls_certificate":{
              "certificate_chain":{"inline_bytes":"Q0VSVA=="},
              "private_key":{"inline_bytes":"LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t"}}}}]}]}
            """);

        var key = Parse(result).GetProperty("configs")[0].GetProperty("dynamic_active_secrets")[0].GetProperty("secret").GetProperty("tls_certificate");
        Assert.Equal("[redacted]", key.GetProperty("private_key").GetProperty("inline_string").GetString());
        Assert.False(key.GetProperty("private_key").TryGetProperty("inline_bytes", out _));
        Assert.Equal("Q0VSVA==", key.GetProperty("certificate_chain").GetProperty("inline_bytes").GetString());
        Assert.Equal(["/configs/0/dynamic_active_secrets/0/secret/tls_certificate/private_key"], result.Pointers);
    }

    [Fact]
    public void Given_values_Envoy_already_redacted_When_redacted_Then_the_bytes_are_unchanged_and_nothing_is_listed()
    {
        var json = """
            {"a": {"private_key": {"inline_bytes": "W3JlZGFjdGVkXQ=="}},
             "b": {"password": {"inline_string": "[redacted]"}}, "c": [1, 2.50, "x\u00e9"]}
            """;
        var bytes = Encoding.UTF8.GetBytes(json);

        var result = JsonRedactor.Redact(bytes, "test.json");

        Assert.True(result.Content.Span == bytes.AsSpan(), "the same bytes are returned");
        Assert.Empty(result.Pointers);
    }

    [Fact]
    public void Given_ADS_authorization_metadata_When_redacted_Then_only_its_value_is_replaced_and_the_rest_is_byte_identical()
    {
        var prefix = """{"configs":[{"bootstrap":{"dynamic_resources":{"ads_config":{"grpc_services":[{"envoy_grpc":{"cluster_name":"xds"},"initial_metadata":""";
        var suffix = """}]}}, "static_resources": {"x": 1.0e3}}}]}""";
        var json = prefix + """[{"key":"x-trace","value":"keep"},{"key":"Authorization","value":"Bearer s3cret"}]""" + suffix;

        var result = Redact(json);
        var text = Encoding.UTF8.GetString(result.Content.Span);

        Assert.StartsWith(prefix, text, StringComparison.Ordinal);
        Assert.EndsWith(suffix, text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.Contains("\"keep\"", text, StringComparison.Ordinal);
        Assert.Equal(["/configs/0/bootstrap/dynamic_resources/ads_config/grpc_services/0/initial_metadata/1/value"], result.Pointers);
    }

    [Fact]
    public void Given_session_ticket_keys_generic_secrets_inline_JWKS_and_plain_passwords_When_redacted_Then_each_is_replaced()
    {
        var result = Redact("""
            {"session_ticket_keys":{"keys":[{"inline_bytes":"AAAA"},{"filename":"/etc/keys/k2"}]},
             "generic_secret":{"secret":{"inline_string":"token"}},
             "providers":{"p":{"local_jwks":{"inline_string":"{\"keys\":[]}"}}},
             "typed_struct":{"value":{"password":"hunter2","user":"bob"}},
             "x/y~z":{"private_key":"-----BEGIN"}}
            """);
        var root = Parse(result);

        Assert.Equal("[redacted]", root.GetProperty("session_ticket_keys").GetProperty("keys")[0].GetProperty("inline_string").GetString());
        Assert.Equal("/etc/keys/k2", root.GetProperty("session_ticket_keys").GetProperty("keys")[1].GetProperty("filename").GetString());
        Assert.Equal("[redacted]", root.GetProperty("generic_secret").GetProperty("secret").GetProperty("inline_string").GetString());
        Assert.Equal("[redacted]", root.GetProperty("providers").GetProperty("p").GetProperty("local_jwks").GetProperty("inline_string").GetString());
        Assert.Equal("[redacted]", root.GetProperty("typed_struct").GetProperty("value").GetProperty("password").GetString());
        Assert.Equal("bob", root.GetProperty("typed_struct").GetProperty("value").GetProperty("user").GetString());
        Assert.Equal(
            ["/session_ticket_keys", "/generic_secret", "/providers/p/local_jwks", "/typed_struct/value/password", "/x~1y~0z/private_key"],
            result.Pointers);
    }

    [Fact]
    public void Given_text_that_is_not_JSON_When_redacted_Then_one_sentence_names_it()
    {
        var error = Assert.Throws<EnvoyLensException>(() => Redact("{\"a\": [1, 2"));

        Assert.StartsWith("test.json cannot be redacted: it is not valid JSON", error.Message, StringComparison.Ordinal);
    }
}
