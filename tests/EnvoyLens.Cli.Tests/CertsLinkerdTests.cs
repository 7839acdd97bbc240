using System.Text.Json;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary><c>envoylens certs linkerd</c> on Linkerd's own test certificates: one line per check, exit codes, JSON.</summary>
public sealed class CertsLinkerdTests
{
    private const string At = "2026-11-20T10:00:00Z";

    private static string Cert(string name) => TestPaths.CorpusFile("certs", name);

    [SkippableFact]
    public void Given_a_valid_anchors_and_issuer_pair_When_checked_Then_every_check_line_is_a_tick_and_exit_0()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");

        var result = Cli.Run("certs", "linkerd", "--anchors", Cert("linkerd-valid-trust-anchors.pem"), "--issuer", Cert("linkerd-valid-issuer-crt.pem"), "--at", At);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n');
        Assert.Equal("linkerd-identity", lines[0]);
        Assert.Equal(9, lines.Count(l => l.StartsWith("✔ ", StringComparison.Ordinal)));
        Assert.StartsWith("✔ issuer cert is issued by the trust anchor — The issuer 'identity.linkerd.cluster.local'", lines[9], StringComparison.Ordinal);
        Assert.EndsWith("Status check results are ✔\n", result.Out, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Given_the_expired_issuer_When_checked_Then_the_failing_checks_are_crosses_and_exit_1()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");

        var result = Cli.Run("certs", "linkerd", "--anchors", Cert("linkerd-valid-trust-anchors.pem"), "--issuer", Cert("linkerd-expired-issuer-crt.pem"), "--at", At);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\n✖ issuer cert is within its validity period — The issuer 'identity.linkerd.cluster.local' (serial 01) is not valid anymore: it expired on 1990-01-01T01:01:11Z.\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("\n✔ issuer cert is using supported crypto algorithm — ", result.Out, StringComparison.Ordinal);
        Assert.EndsWith("Status check results are ✖ (3 of 9 checks failed)\n", result.Out, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Given_json_and_another_identity_domain_When_checked_Then_the_name_check_fails_as_data()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");

        var result = Cli.Run("certs", "linkerd", "--anchors", Cert("linkerd-valid-trust-anchors.pem"), "--issuer", Cert("linkerd-valid-issuer-crt.pem"),
            "--identity-domain", "example.org", "--at", At, "-o", "json");

        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("envoylens-linkerd-identity/v1", doc.RootElement.GetProperty("schema").GetString());
        Assert.False(doc.RootElement.GetProperty("passed").GetBoolean());
        var failed = doc.RootElement.GetProperty("checks").EnumerateArray().Where(c => c.GetProperty("status").GetString() == "failed").Select(c => c.GetProperty("name").GetString());
        Assert.Equal(["issuer cert name fits the identity domain"], failed);
    }

    [SkippableFact]
    public void Given_a_missing_issuer_file_When_checked_Then_exit_2_with_one_sentence()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");

        var result = Cli.Run("certs", "linkerd", "--anchors", Cert("linkerd-valid-trust-anchors.pem"), "--issuer", "no-such-issuer.pem");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: cannot read 'no-such-issuer.pem': no such file.\n", result.Err);
        Assert.Equal("", result.Out);
    }

    [SkippableFact]
    public void Given_a_file_without_certificates_as_anchors_When_checked_Then_certificate_config_fails()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        using var dir = new TempFolder();
        var empty = Path.Combine(dir.Path, "anchors.pem");
        File.WriteAllText(empty, "not a certificate\n");

        var result = Cli.Run("certs", "linkerd", "--anchors", empty, "--issuer", Cert("linkerd-valid-issuer-crt.pem"), "--at", At);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("linkerd-identity\n----------------\n✖ certificate config is valid — The trust anchors' file holds no certificate", result.Out, StringComparison.Ordinal);
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("envoylens-linkerd-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

/// <summary><c>certs linkerd --from-cluster</c> through the Kubernetes API test server.</summary>
public sealed class CertsLinkerdFromClusterTests : IAsyncLifetime
{
    private LiveFixture _live = null!;

    public async Task InitializeAsync() => _live = await LiveFixture.StartAsync();

    public async Task DisposeAsync() => await _live.DisposeAsync();

    [SkippableFact]
    public void Given_the_trust_roots_config_map_and_issuer_secret_When_checked_from_the_cluster_Then_the_same_checks_run_and_the_key_is_never_shown()
    {
        Skip.If(TestPaths.Corpus is null, "shared corpus not present");
        _live.Api.ConfigMaps["linkerd/linkerd-identity-trust-roots"] = new System.Text.Json.Nodes.JsonObject
        {
            ["data"] = new System.Text.Json.Nodes.JsonObject { ["ca-bundle.crt"] = File.ReadAllText(TestPaths.CorpusFile("certs", "linkerd-valid-trust-anchors.pem")) },
        };
        _live.Api.Secrets["linkerd/linkerd-identity-issuer"] = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "kubernetes.io/tls",
            ["data"] = new System.Text.Json.Nodes.JsonObject
            {
                ["tls.crt"] = Convert.ToBase64String(File.ReadAllBytes(TestPaths.CorpusFile("certs", "linkerd-valid-issuer-crt.pem"))),
                ["tls.key"] = Convert.ToBase64String("-----BEGIN EC PRIVATE KEY-----\nnot-a-real-key-but-never-printed\n-----END EC PRIVATE KEY-----\n"u8.ToArray()),
            },
        };

        var result = Cli.Run("certs", "linkerd", "--from-cluster", "--kubeconfig", _live.Kubeconfig, "--at", "2026-11-20T10:00:00Z");
        var files = Cli.Run("certs", "linkerd", "--anchors", TestPaths.CorpusFile("certs", "linkerd-valid-trust-anchors.pem"),
            "--issuer", TestPaths.CorpusFile("certs", "linkerd-valid-issuer-crt.pem"), "--at", "2026-11-20T10:00:00Z");

        Assert.True(result.ExitCode == 0, result.Err + string.Join(" ", _live.Api.Requests.Select(r => r.Method + " " + r.PathAndQuery)));
        Assert.Equal(files.Out, result.Out);
        Assert.DoesNotContain("not-a-real-key", result.Out + result.Err, StringComparison.Ordinal);
        Assert.Equal(
            ["/api/v1/namespaces/linkerd/configmaps/linkerd-identity-trust-roots", "/api/v1/namespaces/linkerd/secrets/linkerd-identity-issuer"],
            _live.Api.Requests.Select(r => r.Path));
        Assert.All(_live.Api.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public void Given_no_linkerd_in_the_cluster_When_checked_from_the_cluster_Then_exit_2_with_one_sentence()
    {
        var result = Cli.Run("certs", "linkerd", "--from-cluster", "--kubeconfig", _live.Kubeconfig);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: ConfigMap linkerd/linkerd-identity-trust-roots was not found; is Linkerd installed in namespace linkerd (--linkerd-namespace)?\n", result.Err);
    }

    [Fact]
    public void Given_both_files_and_from_cluster_When_checked_Then_it_is_a_usage_error()
    {
        var result = Cli.Run("certs", "linkerd", "--from-cluster", "--anchors", "a.pem", "--issuer", "b.pem");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: give either --anchors FILE and --issuer FILE, or --from-cluster.\n", result.Err);
    }
}
