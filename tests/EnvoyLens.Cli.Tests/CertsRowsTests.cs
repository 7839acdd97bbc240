using System.Text.Json;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// Certificate rows across commands: serials as openssl prints them, <c>config secrets</c> one row per secret (and per
/// SPIFFE trust domain) agreeing with <c>certs</c>, the X.509-SVID checks wherever certificates are shown, and the rough
/// edges of the <c>certs</c> subcommands (<c>-o</c> after arguments, JSON, status, width).
/// </summary>
public sealed class CertsRowsTests : IDisposable
{
    private const string At = "2026-11-20T10:00:00Z";

    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-certs-rows-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Pki(params string[] parts) => TestPaths.Fixture(["pki", .. parts]);

    private static string Pem(params string[] parts) => File.ReadAllText(Pki(parts));

    /// <summary>A config dump whose ROOTCA secret is a SPIFFE certificate validator with one trust bundle per domain, as SPIRE writes it.</summary>
    private string SpireDump()
    {
        static object Bundle(string domain, string pem) => new { name = domain, trust_bundle = new { inline_string = pem } };
        var dump = new
        {
            configs = new object[]
            {
                new Dictionary<string, object>
                {
                    ["@type"] = "type.googleapis.com/envoy.admin.v3.SecretsConfigDump",
                    ["dynamic_active_secrets"] = new object[]
                    {
                        new
                        {
                            name = "default",
                            version_info = "1",
                            secret = new Dictionary<string, object>
                            {
                                ["@type"] = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret",
                                ["name"] = "default",
                                ["tls_certificate"] = new { certificate_chain = new { inline_string = Pem("workload-reviews-chain.pem") } },
                            },
                        },
                        new
                        {
                            name = "ROOTCA",
                            version_info = "1",
                            secret = new Dictionary<string, object>
                            {
                                ["@type"] = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret",
                                ["name"] = "ROOTCA",
                                ["validation_context"] = new
                                {
                                    custom_validator_config = new
                                    {
                                        name = "envoy.tls.cert_validator.spiffe",
                                        typed_config = new Dictionary<string, object>
                                        {
                                            ["@type"] = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.SPIFFECertValidatorConfig",
                                            ["trust_domains"] = new[] { Bundle("cluster.local", Pem("root.pem")), Bundle("other.local", Pem("unrelated-root.pem")) },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        };
        var path = Path.Combine(_dir, "spire_config_dump.json");
        File.WriteAllText(path, JsonSerializer.Serialize(dump));
        return path;
    }

    [SkippableFact]
    public void Given_the_istio_secrets_dump_When_config_secrets_runs_Then_the_rows_are_istioctls_with_the_chain_added()
    {
        Skip.If(TestPaths.Corpus is null, "the shared corpus is not present");
        var dump = TestPaths.CorpusFile("config_dump", "istio-2023-secrets-only.json");

        var lines = Cli.Run("config", "secrets", dump, "--at", At).Out.TrimEnd('\n').Split('\n').Select(l => l.Split("     ").Select(c => c.Trim()).Where(c => c.Length > 0).ToArray()).ToList();

        // The rows of istioctl's own golden output for this dump (istioctl/pkg/writer/envoy/configdump/testdata/secret), then CHAIN.
        Assert.Equal(3, lines.Count);
        Assert.Equal(["RESOURCE NAME", "TYPE", "STATUS", "VALID CERT", "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE", "CHAIN"], lines[0]);
        Assert.Equal(["default", "Cert Chain", "ACTIVE", "false", "6fbee254c22900615cb1f74e3d2f1713", "2023-05-16T01:32:52Z", "2023-05-15T01:30:52Z", "2 EXPIRED"], lines[1]);
        Assert.Equal(["ROOTCA", "CA", "ACTIVE", "true", "0193a543fe2b0d9cd4847675394dfc54", "2033-05-02T03:41:33Z", "2023-05-05T03:41:33Z", "1 VALID"], lines[2]);
    }

    [SkippableFact]
    public void Given_the_istio_secrets_dump_When_certs_runs_Then_the_serial_keeps_its_leading_zero_everywhere()
    {
        Skip.If(TestPaths.Corpus is null, "the shared corpus is not present");
        var dump = TestPaths.CorpusFile("config_dump", "istio-2023-secrets-only.json");

        var table = Cli.Run("certs", dump, "--at", At, "-o", "wide").Out;
        using var json = JsonDocument.Parse(Cli.Run("certs", dump, "--at", At, "-o", "json").Out);

        Assert.Contains(" 0193a543fe2b0d9cd4847675394dfc54 ", table, StringComparison.Ordinal);
        Assert.DoesNotContain(" 193a543fe2b0d9cd4847675394dfc54 ", table, StringComparison.Ordinal);
        Assert.Equal(2, json.RootElement.GetProperty("certificates").EnumerateArray().Count(r => r.GetProperty("serial").GetString() == "0193a543fe2b0d9cd4847675394dfc54"));
    }

    [Fact]
    public void Given_a_SPIRE_trust_bundle_secret_When_config_secrets_runs_Then_each_trust_domain_is_a_ROOTCA_row_agreeing_with_certs()
    {
        var dump = SpireDump();

        var result = Cli.Run("config", "secrets", dump, "--at", At, "-o", "table-json");
        var certs = Cli.Run("certs", dump, "--at", At, "-o", "json");

        Assert.Equal(0, result.ExitCode);
        using var rows = JsonDocument.Parse(result.Out);
        var secrets = rows.RootElement.EnumerateArray().ToList();
        Assert.Equal(["default", "ROOTCA", "ROOTCA"], secrets.Select(r => r.GetProperty("resourceName").GetString()));
        Assert.Equal(["cluster.local", "cluster.local", "other.local"], secrets.Select(r => r.GetProperty("trustDomain").GetString()));
        Assert.All(secrets, r => Assert.True(r.GetProperty("validCert").GetBoolean()));
        using var listed = JsonDocument.Parse(certs.Out);
        var bundles = listed.RootElement.GetProperty("certificates").EnumerateArray()
            .Where(r => r.GetProperty("source").GetString()!.StartsWith("trust bundle ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["trust bundle cluster.local (secret ROOTCA) (trusted CA)", "trust bundle other.local (secret ROOTCA) (trusted CA)"], bundles.Select(b => b.GetProperty("source").GetString()));
        Assert.Equal(bundles.Select(b => b.GetProperty("serial").GetString()), secrets.Skip(1).Select(r => r.GetProperty("serialNumber").GetString()));
        Assert.Equal(bundles.Select(b => b.GetProperty("notAfter").GetString()), secrets.Skip(1).Select(r => r.GetProperty("notAfter").GetString()));

        var text = Cli.Run("config", "secrets", dump, "--at", At).Out.Split('\n');
        Assert.Matches("  TRUST DOMAIN +CHAIN$", text[0]);
        Assert.StartsWith("ROOTCA ", text[3], StringComparison.Ordinal);
        Assert.Contains(" other.local ", text[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Given_chain_When_config_secrets_runs_Then_every_certificate_of_the_workload_chain_has_its_position()
    {
        var result = Cli.Run("config", "secrets", TestPaths.Fixture("snapshots", "reviews"), "--at", At, "--chain", "-o", "table-json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var defaults = json.RootElement.EnumerateArray().Where(r => r.GetProperty("resourceName").GetString() == "default").ToList();
        Assert.Equal([0, 1], defaults.Select(r => r.GetProperty("position").GetInt32()));
        Assert.Equal(["5abb7ef51e6d54f1ba3a082d48616609", "75a673c99906f5c616a68f56d531fd54"], defaults.Select(r => r.GetProperty("serialNumber").GetString()));
    }

    [Fact]
    public void Given_a_PEM_file_When_certs_lists_it_as_a_capture_Then_exit_2_suggesting_certs_inspect()
    {
        var result = Cli.Run("certs", Pki("workload-reviews.pem"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal($"envoylens: '{Pki("workload-reviews.pem")}' is a PEM file, not an Envoy capture; to show its certificates run 'envoylens certs inspect {Pki("workload-reviews.pem")}'.\n", result.Err);
    }

    [Fact]
    public void Given_output_after_the_file_When_inspected_as_json_Then_each_certificate_has_its_fields_status_and_svid_problems()
    {
        var result = Cli.Run("certs", "inspect", Pki("variants", "leaf-two-uris.pem"), Pki("workload-expired.pem"), "-o", "json", "--at", At);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var certificates = json.RootElement.GetProperty("certificates").EnumerateArray().ToList();
        Assert.Equal(3, certificates.Count); // workload-expired.pem holds the leaf and its intermediate
        Assert.Equal("VALID, SVID NONCONFORMANT", certificates[0].GetProperty("status").GetString());
        Assert.Contains("has 2 URI SANs", Assert.Single(certificates[0].GetProperty("svidProblems").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Equal(["digitalSignature", "keyEncipherment"], certificates[0].GetProperty("keyUsage").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("EXPIRED since 2026-10-30T00:00:00Z", certificates[1].GetProperty("status").GetString());
        Assert.Empty(json.RootElement.GetProperty("problems").EnumerateArray());
    }

    [Fact]
    public void Given_a_certificate_When_inspected_Then_it_states_its_status_and_the_extensions_block_names_SANs_like_openssl()
    {
        var result = Cli.Run("certs", "inspect", Pki("workload-reviews.pem"), Pki("workload-not-yet-valid.pem"), "--at", At);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("    Status:                VALID\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("        subjectAltName (critical): URI:spiffe://cluster.local/ns/default/sa/bookinfo-reviews\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("    X.509-SVID:            conforms to the SPIFFE X.509-SVID rules\n", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"    Status:                NOT YET VALID until 20\d\d-\d\d-\d\dT00:00:00Z\n", result.Out);
    }

    [Fact]
    public void Given_a_secret_whose_SVID_has_two_URIs_When_certs_lists_it_Then_its_status_and_the_problems_say_so_like_EL4007()
    {
        var dump = TestPaths.Fixture("rules", "EL4007-svid-nonconformant", "fail", "config_dump.json");

        var result = Cli.Run("certs", dump, "--at", At, "-o", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var rows = json.RootElement.GetProperty("certificates").EnumerateArray().ToList();
        Assert.Equal(["VALID", "VALID, SVID NONCONFORMANT", "VALID"], rows.Select(r => r.GetProperty("status").GetString()));
        var problem = Assert.Single(json.RootElement.GetProperty("problems").EnumerateArray());
        Assert.Equal("secret default", problem.GetProperty("source").GetString());
        Assert.Equal("0", problem.GetProperty("block").GetString());
        Assert.EndsWith("has 2 URI SANs (spiffe://cluster.local/ns/default/sa/web, spiffe://cluster.local/ns/default/sa/extra) where exactly one is required.", problem.GetProperty("problem").GetString(), StringComparison.Ordinal);
        var analyzed = Cli.Run("analyze", dump, "-o", "json", "--fail-on", "never");
        Assert.Contains(problem.GetProperty("problem").GetString()!.TrimEnd('.'), analyzed.Out, StringComparison.Ordinal); // the same sentence as EL4007
    }

    [Fact]
    public void Given_a_leaf_SVID_with_CA_true_When_verified_Then_the_svid_problems_follow_the_verdict()
    {
        var result = Cli.Run("certs", "verify", Pki("variants", "leaf-is-ca.pem"), "--untrusted", Pki("variants", "intermediate.pem"), "--roots", Pki("variants", "root.pem"), "--at", At);

        Assert.Equal(0, result.ExitCode); // RFC 5280 accepts the path; the SVID rules do not
        Assert.Contains("through 1 intermediate and passes every check.\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("\nX.509-SVID: SVID 'spiffe://cluster.local/ns/default/sa/leaf-is-ca' (serial 7abe00fde4da860f3090eeebad145539) is a CA certificate (basicConstraints CA:TRUE) but is used as a leaf.\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_certificate_that_is_its_own_anchor_When_verified_as_json_Then_it_says_so()
    {
        var result = Cli.Run("certs", "verify", Pki("root.pem"), "--roots", Pki("root.pem"), "--at", At, "-o", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.True(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.EndsWith("is itself a trust anchor and passes every check.", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("7b2bad602b3bc2c226ec8610499870f8", Assert.Single(json.RootElement.GetProperty("path").EnumerateArray()).GetProperty("serialNumber").GetString());
        Assert.DoesNotContain("-1", Cli.Run("certs", "verify", Pki("root.pem"), "--roots", Pki("root.pem"), "--at", At).Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_capture_without_certificates_When_compared_Then_it_cannot_tell_why_and_exits_2()
    {
        var empty = TestPaths.Fixture("rules", "EL1001-missing-route-config", "pass", "config_dump.json");

        var result = Cli.Run("certs", "compare", TestPaths.Fixture("snapshots", "reviews"), empty, "--at", At);
        var json = Cli.Run("certs", "compare", TestPaths.Fixture("snapshots", "reviews"), empty, "--at", At, "-o", "json");

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("FAIL", result.Out, StringComparison.Ordinal);
        Assert.Contains("A -> B (client A, server B): cannot tell whether the handshake would succeed\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("  info Cannot tell whether A accepts B's certificate: B's capture holds no certificate at all", result.Out, StringComparison.Ordinal);
        Assert.Equal(2, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal("unknown", doc.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("unknown", doc.RootElement.GetProperty("directions")[0].GetProperty("checks")[0].GetProperty("result").GetString());
    }

    [Fact]
    public void Given_two_captures_that_reject_each_other_When_compared_as_json_Then_the_verdict_is_fail_and_exit_1()
    {
        var result = Cli.Run("certs", "compare", TestPaths.Fixture("snapshots", "reviews"), TestPaths.Fixture("snapshots", "ratings-other-mesh"), "--at", At, "-o", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("fail", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("spiffe://other.local/ns/default/sa/bookinfo-ratings", json.RootElement.GetProperty("b").GetProperty("identity").GetString());
        Assert.Equal("handshake would FAIL", json.RootElement.GetProperty("directions")[1].GetProperty("outcome").GetString());
    }

    [Fact]
    public void Given_a_non_terminal_output_When_certs_lists_Then_the_table_fits_120_columns_and_wide_shows_every_column()
    {
        var narrow = Cli.Run("certs", TestPaths.Fixture("snapshots", "reviews"), "--at", At).Out.TrimEnd('\n').Split('\n');
        var wide = Cli.Run("certs", TestPaths.Fixture("snapshots", "reviews"), "--at", At, "-o", "wide").Out.TrimEnd('\n').Split('\n');

        Assert.All(narrow, l => Assert.True(l.Length <= 120, $"{l.Length} columns: {l}"));
        Assert.Equal(["SOURCE", "POS", "NOT", "AFTER", "TIME", "LEFT", "STATUS"], narrow[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(7, narrow.Length);
        Assert.True(wide[0].Length > 120);
        Assert.StartsWith("SOURCE", wide[0], StringComparison.Ordinal);
        foreach (var header in new[] { "SUBJECT", "SANS", "SPIFFE ID", "ISSUER", "SERIAL", "KEY", "SIGNATURE", "NOT BEFORE", "USED" })
        {
            Assert.Contains("  " + header + "  ", wide[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Given_json_When_rules_runs_Then_every_descriptor_is_an_object_and_one_id_is_one_object()
    {
        var all = Cli.Run("rules", "-o", "json");
        var one = Cli.Run("rules", "EL4007", "-o", "json");

        Assert.Equal(0, all.ExitCode);
        using var list = JsonDocument.Parse(all.Out);
        var ids = Cli.Run("rules").Out.TrimEnd('\n').Split('\n').Skip(1).Select(l => l[..6]).ToList();
        Assert.Equal(ids, list.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        using var rule = JsonDocument.Parse(one.Out);
        Assert.Equal("X.509-SVID does not conform to the SPIFFE specification", rule.RootElement.GetProperty("title").GetString());
        Assert.Equal("warning", rule.RootElement.GetProperty("defaultSeverity").GetString());
        Assert.Equal("certificates", rule.RootElement.GetProperty("category").GetString());
        Assert.Equal(2, Cli.Run("rules", "-o", "yaml").ExitCode);
    }
}
