using System.Text;
using System.Text.Json.Nodes;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// No renderer prints what a snapshot would redact: every output form of every command over a real dump seeded with
/// each kind of secret (in the places Envoy puts them) holds none of the secrets, and <c>--show-secrets</c> shows them.
/// </summary>
public sealed class SecretsNeverPrintedTests : IDisposable
{
    /// <summary>Each kind of secret and where it is planted.</summary>
    private static readonly string[] Kinds =
    [
        "private-key", "key-password", "generic-secret", "session-ticket-key", "ads-authorization", "ads-api-key", "honeycomb-team",
        "node-password", "node-nested-token", "access-token", "refresh-token", "sts-subject", "plugin-key", "jwt-json-key",
        "iam-token", "vhost-authorization", "route-auth-header", "rc-secret-header", "basic-auth-users", "local-jwks",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-secrets-").FullName;
    private readonly string _before;
    private readonly string _after;
    private readonly List<string> _secrets = [];

    public SecretsNeverPrintedTests()
    {
        _before = Seed("before", "1");
        _after = Seed("after", "2");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Commands() => new(
    [
        .. new[] { "bootstrap", "clusters", "listeners", "routes", "endpoints", "secrets", "ecds", "all" }
            .SelectMany(v => new[] { "table", "json", "yaml" }.Select(o => $"config {v} BEFORE -o {o}")),
        "analyze BEFORE -o text --fail-on never", "analyze BEFORE -o json --fail-on never", "analyze BEFORE -o sarif --fail-on never", "analyze BEFORE -o html --fail-on never",
        "decode BEFORE", "decode BEFORE -o json", "certs BEFORE", "certs BEFORE -o json", "certs BEFORE -o html",
        "diff BEFORE AFTER", "diff BEFORE AFTER -o json", "diff BEFORE AFTER -o html", "diff BEFORE AFTER --full bootstrap", "diff BEFORE AFTER --full default",
        "diff BEFORE AFTER --full LISTENER", "diff BEFORE AFTER --full ROUTES",
    ]);

    [Theory]
    [MemberData(nameof(Commands))]
    public void Given_a_dump_seeded_with_every_kind_of_secret_When_any_command_prints_it_Then_no_secret_appears(string command)
    {
        var result = Run(command);

        Assert.True(result.ExitCode is 0 or 1, $"{command}: exit {result.ExitCode}: {result.Err}");
        var printed = result.Out + result.Err;
        var leaked = _secrets.Where(s => printed.Contains(s, StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, $"{command} printed {string.Join(", ", leaked)}");
    }

    [Fact]
    public void Given_two_dumps_differing_only_in_secrets_When_diffed_Then_they_are_equal_and_the_note_says_what_was_not_compared()
    {
        var text = Run("diff BEFORE AFTER --exit-code");
        var json = Run("diff BEFORE AFTER -o json");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("No differences.", text.Out, StringComparison.Ordinal);
        Assert.Matches(@"Note: \d+ redacted secret values in \d+ resources present on both sides were not compared \(--show-secrets compares them\)\.", text.Out);
        var notCompared = JsonNode.Parse(json.Out)!["notCompared"]!;
        Assert.True(notCompared["redactedValues"]!.GetValue<int>() >= Kinds.Length - 2, json.Out);
    }

    [Theory]
    [InlineData("diff BEFORE AFTER -o json --show-secrets")]
    [InlineData("diff BEFORE AFTER --full bootstrap --show-secrets")]
    public void Given_show_secrets_When_diffed_Then_the_secrets_are_compared_and_shown(string command)
    {
        var result = Run(command);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(Secret("ads-authorization", "2"), result.Out, StringComparison.Ordinal);
        Assert.Contains(Secret("node-password", "2"), result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_seeded_dump_When_snapshotted_Then_no_file_of_the_bundle_holds_a_secret()
    {
        var bundle = Path.Combine(_dir, "bundle");

        var result = Cli.Run("snapshot", _before, "-o", bundle);

        Assert.Equal(0, result.ExitCode);
        foreach (var file in Directory.GetFiles(bundle))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(_secrets, s => text.Contains(s, StringComparison.Ordinal));
        }

        Assert.Matches(@"wrote .*: 1 files?, \d+ values redacted\.", result.Out);
    }

    [Fact]
    public void Given_a_YAML_dump_with_a_private_key_When_snapshotted_or_shown_Then_the_key_is_redacted_too()
    {
        var yaml = Path.Combine(_dir, "dump.yaml");
        var other = Path.Combine(_dir, "other.yaml");
        var text = """
            configs:
            - '@type': type.googleapis.com/envoy.admin.v3.SecretsConfigDump
              dynamic_active_secrets:
              - name: default
                secret:
                  '@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret
                  name: default
                  tls_certificate:
                    private_key:
                      inline_string: s3cret-yaml-key
            """;
        File.WriteAllText(yaml, text);
        File.WriteAllText(other, text.Replace("s3cret-yaml-key", "s3cret-yaml-other", StringComparison.Ordinal));
        var bundle = Path.Combine(_dir, "from-yaml");

        var snapshot = Cli.Run("snapshot", yaml, "-o", bundle);
        var diff = Cli.Run("diff", yaml, other, "--exit-code", "-o", "json");
        var shown = Cli.Run("diff", yaml, other, "--exit-code", "-o", "json", "--show-secrets");

        Assert.Equal(0, snapshot.ExitCode);
        Assert.Contains("1 values redacted", snapshot.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-yaml-key", File.ReadAllText(Path.Combine(bundle, "config_dump.json")), StringComparison.Ordinal);
        Assert.Equal(0, diff.ExitCode);
        Assert.DoesNotContain("s3cret-yaml", diff.Out, StringComparison.Ordinal);
        Assert.Equal(1, shown.ExitCode);
        Assert.Contains("s3cret-yaml-other", shown.Out, StringComparison.Ordinal);
    }

    private CliResult Run(string command)
    {
        var dump = JsonNode.Parse(File.ReadAllText(_before))!;
        var args = command.Split(' ').Select(a => a switch
        {
            "BEFORE" => _before,
            "AFTER" => _after,
            "LISTENER" => "listeners:" + ListenerName(dump),
            "ROUTES" => "routes:" + Configs(dump, "RoutesConfigDump")["static_route_configs"]![0]!["route_config"]!["name"]!.GetValue<string>(),
            "default" => "secrets:default",
            _ => a,
        }).ToArray();
        return Cli.Run(args);
    }

    /// <summary>The listener the basic_auth and jwt_authn filters were planted in.</summary>
    private static string ListenerName(JsonNode dump)
    {
        var listeners = Configs(dump, "ListenersConfigDump");
        return new[] { "static_listeners", "dynamic_listeners" }
            .SelectMany(k => listeners[k]?.AsArray() ?? [])
            .Select(l => l!["listener"] ?? l!["active_state"]!["listener"])
            .First(l => l!.ToJsonString().Contains("basic_auth", StringComparison.Ordinal))!["name"]!.GetValue<string>();
    }

    private static JsonNode Configs(JsonNode dump, string type) =>
        dump["configs"]!.AsArray().Single(c => c!["@type"]!.GetValue<string>().EndsWith("." + type, StringComparison.Ordinal))!;

    private static string Secret(string kind, string side) => $"s3cret-{kind}-{side}-7f3a";

    /// <summary>The sample sidecar's config dump with one secret of each kind in place, written to a temporary file.</summary>
    private string Seed(string name, string side)
    {
        string S(string kind)
        {
            var secret = Secret(kind, side);
            _secrets.Add(secret);
            return secret;
        }

        string Fill(string json) => System.Text.RegularExpressions.Regex.Replace(json, "@@([A-Za-z-]+)@@", m => m.Groups[1].Value == "TICKET"
            ? Convert.ToBase64String(Encoding.ASCII.GetBytes(S("session-ticket-key").PadRight(80, 'x')))
            : S(m.Groups[1].Value));

        var root = JsonNode.Parse(File.ReadAllText(TestPaths.Fixture("snapshots", "reviews", "config_dump.json")))!;
        var configs = root["configs"]!.AsArray();
        JsonObject Section(string type) => configs.Single(c => c!["@type"]!.GetValue<string>().EndsWith("." + type, StringComparison.Ordinal))!.AsObject();

        var secret = Section("SecretsConfigDump")["dynamic_active_secrets"]![0]!["secret"]!.AsObject();
        var tls = secret["tls_certificate"]!.AsObject();
        tls["private_key"] = new JsonObject { ["inline_string"] = "-----BEGIN PRIVATE KEY-----\n" + S("private-key") + "\n-----END PRIVATE KEY-----\n" };
        tls["password"] = new JsonObject { ["inline_string"] = S("key-password") };
        Section("SecretsConfigDump")["dynamic_active_secrets"]!.AsArray().Add(JsonNode.Parse(Fill("""
            {"name": "tickets", "secret": {"@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", "name": "tickets",
              "session_ticket_keys": {"keys": [{"inline_bytes": "@@TICKET@@"}]}}}
            """)));
        Section("SecretsConfigDump")["dynamic_active_secrets"]!.AsArray().Add(JsonNode.Parse(Fill("""
            {"name": "hmac", "secret": {"@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", "name": "hmac",
              "generic_secret": {"secret": {"inline_string": "@@generic-secret@@"}}}}
            """)));
        _secrets.Add(Convert.ToBase64String(Encoding.ASCII.GetBytes(Secret("session-ticket-key", side).PadRight(80, 'x')))[..20]);

        var bootstrap = Section("BootstrapConfigDump")["bootstrap"]!.AsObject();
        var metadata = bootstrap["node"]!["metadata"]!.AsObject();
        metadata["DB_PASSWORD"] = S("node-password");
        metadata["PROXY_CONFIG"]!["proxyMetadata"] = new JsonObject { ["VAULT_TOKEN"] = S("node-nested-token"), ["PLAIN"] = "kept" };
        var ads = bootstrap["dynamic_resources"]!["ads_config"]!["grpc_services"]!.AsArray();
        ads[0]!["initial_metadata"] = new JsonArray(
            new JsonObject { ["key"] = "authorization", ["value"] = "Bearer eyJhbGciOi" + S("ads-authorization") },
            new JsonObject { ["key"] = "x-api-key", ["value"] = S("ads-api-key") },
            new JsonObject { ["key"] = "x-honeycomb-team", ["value"] = S("honeycomb-team") });
        ads.Add(JsonNode.Parse(Fill("""
            {"google_grpc": {"target_uri": "xds.example:443", "stat_prefix": "xds", "call_credentials": [
              {"access_token": "@@access-token@@"},
              {"google_refresh_token": "@@refresh-token@@"},
              {"sts_service": {"token_exchange_service_uri": "https://sts.example/token", "subject_token_path": "@@sts-subject@@", "subject_token_type": "urn:ietf:params:oauth:token-type:jwt"}},
              {"from_plugin": {"name": "vault", "typed_config": {"@type": "type.googleapis.com/example.VaultPlugin", "api_key": "@@plugin-key@@"}}},
              {"service_account_jwt_access": {"json_key": "@@jwt-json-key@@", "token_lifetime_seconds": "3600"}},
              {"google_iam": {"authorization_token": "@@iam-token@@", "authority_selector": "sel"}}]}}
            """)));

        var routeConfig = Section("RoutesConfigDump")["static_route_configs"]![0]!["route_config"]!.AsObject();
        routeConfig["request_headers_to_add"] = Headers("x-secret-header", S("rc-secret-header"));
        var vhost = routeConfig["virtual_hosts"]![0]!.AsObject();
        vhost["request_headers_to_add"] = Headers("Authorization", "Basic " + S("vhost-authorization"));
        vhost["routes"]![0]!["request_headers_to_add"] = Headers("x-auth-token", S("route-auth-header"));

        var filters = First(Section("ListenersConfigDump"), "http_filters", out _)!.AsArray();
        filters.Insert(0, JsonNode.Parse(Fill("""
            {"name": "envoy.filters.http.basic_auth", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.basic_auth.v3.BasicAuth",
              "users": {"inline_string": "admin:{SHA}@@basic-auth-users@@"}}}
            """)));
        filters.Insert(1, JsonNode.Parse(Fill("""
            {"name": "envoy.filters.http.jwt_authn", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication",
              "providers": {"p": {"issuer": "https://issuer.example", "local_jwks": {"inline_string": "{\"keys\":[{\"k\":\"@@local-jwks@@\"}]}"}}}}}
            """)));

        Assert.Equal(Kinds.Length, Kinds.Count(k => _secrets.Contains(Secret(k, side))));
        var path = Path.Combine(_dir, name + ".json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    private static JsonArray Headers(string key, string value) =>
        new(new JsonObject { ["header"] = new JsonObject { ["key"] = key, ["value"] = value }, ["append_action"] = "OVERWRITE_IF_EXISTS_OR_ADD" });

    /// <summary>The first value of a property named <paramref name="key"/>, depth first.</summary>
    private static JsonNode? First(JsonNode? node, string key, out JsonObject? owner)
    {
        owner = null;
        switch (node)
        {
            case JsonObject o:
                if (o[key] is { } hit)
                {
                    owner = o;
                    return hit;
                }

                foreach (var (_, child) in o)
                {
                    if (First(child, key, out owner) is { } found)
                    {
                        return found;
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    if (First(child, key, out owner) is { } found)
                    {
                        return found;
                    }
                }

                break;
        }

        return null;
    }
}
