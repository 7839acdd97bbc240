using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary><c>envoylens certs</c>, <c>certs inspect</c>, <c>certs verify</c> and <c>certs compare</c> end to end, plus their golden help.</summary>
public sealed class CertsCommandTests
{
    private const string At = "2026-11-20T10:00:00Z";

    private static string Pki(params string[] parts) => TestPaths.Fixture(["pki", .. parts]);

    public static TheoryData<string> Commands() => new("certs", "certs inspect", "certs verify", "certs compare");

    [Theory]
    [MemberData(nameof(Commands))]
    public void Help_text_matches_its_golden_file(string command)
    {
        var result = Cli.Run([.. command.Split(' '), "--help"]);
        var golden = Path.Combine(TestPaths.RepoRoot, "tests", "EnvoyLens.Cli.Tests", "Golden", "envoylens-" + command.Replace(' ', '-') + ".txt");
        if (Environment.GetEnvironmentVariable("ENVOYLENS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, result.Out);
        }

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(golden), $"No golden file {Path.GetFileName(golden)}; run with ENVOYLENS_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(golden), result.Out);
    }

    [Fact]
    public void Given_the_reviews_bundle_When_certs_runs_Then_every_certificate_of_every_chain_is_a_row()
    {
        var result = Cli.Run("certs", TestPaths.Fixture("snapshots", "reviews"), "--at", At, "-o", "wide");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("SOURCE", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Count(l => l.StartsWith("secret default ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("secret kubernetes://egress-cert ", StringComparison.Ordinal) && l.Contains("DNS:reviews.bookinfo.example.com", StringComparison.Ordinal)
            && l.Contains("89%", StringComparison.Ordinal) && l.TrimEnd().EndsWith("ROTATION OVERDUE", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("secret kubernetes://egress-cert ", StringComparison.Ordinal) && l.Contains("CN=Example Partner Issuing CA G2", StringComparison.Ordinal)
            && l.Contains("45 days", StringComparison.Ordinal) && l.TrimEnd().EndsWith("EXPIRING SOON", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("secret kubernetes://egress-cert-cacert (trusted CA)", StringComparison.Ordinal) && l.TrimEnd().EndsWith("VALID", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("secret default ", StringComparison.Ordinal) && l.Contains("spiffe://cluster.local/ns/default/sa/bookinfo-reviews", StringComparison.Ordinal) && l.Contains("345 days", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("secret ROOTCA (trusted CA)", StringComparison.Ordinal) && l.TrimEnd().EndsWith("VALID", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_the_reviews_bundle_two_years_later_When_certs_runs_as_json_Then_the_workload_certificate_is_expired()
    {
        var result = Cli.Run("certs", TestPaths.Fixture("snapshots", "reviews"), "--at", "2028-11-20T10:00:00Z", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        var rows = json.RootElement.GetProperty("certificates").EnumerateArray().ToList();
        Assert.Equal(6, rows.Count);
        Assert.Contains(rows, r => r.GetProperty("spiffeId").GetString() == "spiffe://cluster.local/ns/default/sa/bookinfo-reviews" && r.GetProperty("status").GetString() == "EXPIRED");
        Assert.Equal(3, rows.Count(r => r.GetProperty("status").GetString() == "EXPIRED")); // the workload leaf, the egress client certificate and its intermediate
        Assert.Empty(json.RootElement.GetProperty("problems").EnumerateArray());
    }

    [Fact]
    public void Given_a_broken_block_in_a_secret_When_certs_runs_Then_the_problem_is_listed_and_the_good_block_shown()
    {
        var result = Cli.Run("certs", TestPaths.Fixture("rules", "EL4010-certificate-unreadable", "fail", "config_dump.json"), "--at", At);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("# Problems", result.Out, StringComparison.Ordinal);
        Assert.Contains("certificate block 1 of 'secret default' is not valid base64.", result.Out, StringComparison.Ordinal);
        Assert.Contains("spiffe://cluster.local/ns/default/sa/web", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_valid_chain_When_verified_Then_exit_0_and_the_path_is_listed()
    {
        var result = Cli.Run("certs", "verify", Pki("workload-reviews-chain.pem"), "--roots", Pki("root.pem"), "--at", At, "--purpose", "server",
            "--name", "spiffe://cluster.local/ns/default/sa/bookinfo-reviews");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("OK: Certificate 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews'", result.Out, StringComparison.Ordinal);
        Assert.Contains("  2: 'O=cluster.local,CN=EnvoyLens Test Root CA'", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_expired_chain_When_verified_Then_exit_1_with_one_sentence_naming_the_certificate_and_check()
    {
        var result = Cli.Run("certs", "verify", Pki("workload-expired.pem"), "--roots", Pki("root.pem"), "--at", At);

        Assert.Equal(1, result.ExitCode);
        var first = result.Out.Split('\n')[0];
        Assert.StartsWith("INVALID: Certificate 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews' (serial ", first, StringComparison.Ordinal);
        Assert.EndsWith("expired at 2026-10-30T00:00:00Z, before 2026-11-20T10:00:00Z (validity check).", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_leaf_with_its_intermediate_passed_as_untrusted_and_decoys_When_verified_Then_exit_0()
    {
        var decoys = Directory.GetFiles(Pki("variants", "decoys"), "intermediate-decoy-*.pem").Order(StringComparer.Ordinal)
            .SelectMany(f => new[] { "--untrusted", f });
        var result = Cli.Run(["certs", "verify", Pki("variants", "leaf.pem"), "--roots", Pki("variants", "root.pem"), .. decoys,
            "--untrusted", Pki("variants", "intermediate.pem"), "--at", At]);

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void Given_a_wrong_purpose_When_verified_Then_exit_1_naming_extended_key_usage()
    {
        var result = Cli.Run("certs", "verify", Pki("variants", "leaf-client-only.pem"), "--untrusted", Pki("variants", "intermediate.pem"),
            "--roots", Pki("variants", "root.pem"), "--at", At, "--purpose", "server");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("(extended-key-usage check).", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.pem", "root.pem", "cannot read")]
    [InlineData("root.key", "root.pem", "holds no PEM certificate block")]
    public void Given_unusable_input_When_verified_Then_exit_2_with_one_line_on_stderr(string leaf, string roots, string expected)
    {
        var result = Cli.Run("certs", "verify", Pki(leaf), "--roots", Pki(roots));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_bad_purpose_or_time_When_verified_Then_exit_2()
    {
        Assert.Equal(2, Cli.Run("certs", "verify", Pki("root.pem"), "--roots", Pki("root.pem"), "--purpose", "mail").ExitCode);
        Assert.Equal(2, Cli.Run("certs", "verify", Pki("root.pem"), "--roots", Pki("root.pem"), "--at", "yesterday").ExitCode);
    }

    [Fact]
    public void Given_a_PEM_file_When_inspected_Then_the_fields_are_shown_like_openssl()
    {
        var result = Cli.Run("certs", "inspect", Pki("workload-reviews.pem"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("    Subject alt names:     URI:spiffe://cluster.local/ns/default/sa/bookinfo-reviews\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("    Public key:            EC P-256\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("    Not after:             2027-11-01T00:00:00Z\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("basicConstraints (critical): CA:FALSE", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_file_without_certificates_When_inspected_Then_exit_2()
    {
        var result = Cli.Run("certs", "inspect", Pki("root.key"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("holds no PEM certificate block", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_two_captures_with_different_roots_When_compared_Then_each_side_rejects_the_other_and_says_why()
    {
        var result = Cli.Run("certs", "compare", TestPaths.Fixture("snapshots", "reviews"), TestPaths.Fixture("snapshots", "ratings-other-mesh"), "--at", At);

        Assert.Equal(1, result.ExitCode);
        var lines = result.Out.Split('\n');
        Assert.Contains("B: " + TestPaths.Fixture("snapshots", "ratings-other-mesh") + " (identity spiffe://other.local/ns/default/sa/bookinfo-ratings)", lines);
        Assert.Contains("Shared trust anchors: none", lines);
        Assert.Contains(lines, l => l.StartsWith("Only B trusts: 'O=cluster.local,CN=Unrelated Test Root CA'", StringComparison.Ordinal));
        Assert.Contains("A -> B (client A, server B): handshake would FAIL", lines);
        Assert.Contains("B -> A (client B, server A): handshake would FAIL", lines);
        // Each side's root does not sign the other's chain: A rejects B's leaf, B rejects A's intermediate.
        Assert.Contains("  FAIL A would reject B's certificate: No issuer of certificate 'spiffe://other.local/ns/default/sa/bookinfo-ratings' (serial 744e897e8f631b58f90b32397d125f23) (issuer 'O=cluster.local,CN=Unrelated Test Root CA') is among the trust anchors or intermediates (issuer-not-found check).", lines);
        Assert.Contains("  FAIL B would reject A's certificate: No issuer of certificate 'O=cluster.local,CN=EnvoyLens Test Intermediate CA' (serial 75a673c99906f5c616a68f56d531fd54) (issuer 'O=cluster.local,CN=EnvoyLens Test Root CA') is among the trust anchors or intermediates (issuer-not-found check).", lines);
        // And each side's SPIFFE SAN matchers expect its own trust domain.
        Assert.Contains(lines, l => l.StartsWith("  FAIL All of A's ", StringComparison.Ordinal) && l.EndsWith("expect another trust domain than 'other.local' of B's identity 'spiffe://other.local/ns/default/sa/bookinfo-ratings'; A would reject B.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  FAIL All of B's 4 SPIFFE SAN matchers (e.g. exact:spiffe://other.local/ns/default/sa/bookinfo-ratings on cluster outbound|9080||ratings.default.svc.cluster.local)", StringComparison.Ordinal)
            && l.EndsWith("expect another trust domain than 'cluster.local' of A's identity 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews'; B would reject A.", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("  ok ", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_one_capture_with_a_foreign_chain_When_compared_with_its_peer_Then_only_the_peer_rejects()
    {
        var pass = TestPaths.Fixture("rules", "EL4005-workload-chain-untrusted", "pass", "config_dump.json");
        var fail = TestPaths.Fixture("rules", "EL4005-workload-chain-untrusted", "fail", "config_dump.json");

        var result = Cli.Run("certs", "compare", pass, fail, "--at", At);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Shared trust anchors: 'O=cluster.local,CN=Rules Root CA'", result.Out, StringComparison.Ordinal);
        Assert.Contains("FAIL A would reject B's certificate", result.Out, StringComparison.Ordinal);
        Assert.Contains("ok   B accepts A's certificate", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("B would reject A's certificate", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_server_whose_RBAC_admits_another_trust_domain_When_compared_Then_the_handshake_succeeds_and_RBAC_refuses()
    {
        var pass = TestPaths.Fixture("rules", "EL4011-rbac-trust-domain-mismatch", "pass", "config_dump.json");
        var fail = TestPaths.Fixture("rules", "EL4011-rbac-trust-domain-mismatch", "fail", "config_dump.json");

        var result = Cli.Run("certs", "compare", pass, fail, "--at", At);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("A -> B (client A, server B): handshake would succeed, then the server's RBAC would refuse the connection\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("FAIL B's RBAC would deny A's identity", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_same_capture_twice_When_compared_Then_both_directions_succeed()
    {
        var pass = TestPaths.Fixture("rules", "EL4005-workload-chain-untrusted", "pass", "config_dump.json");
        var result = Cli.Run("certs", "compare", TestPaths.Fixture("snapshots", "reviews"), TestPaths.Fixture("snapshots", "reviews"), "--at", At);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Out.Split("handshake would succeed").Length - 1);
        Assert.True(File.Exists(pass));
    }

    [Fact]
    public void Given_a_linkerd2_proxy_capture_When_its_certificates_are_listed_Then_an_empty_table_says_why_and_where_its_certificate_is()
    {
        var metrics = Path.Combine(Directory.GetDirectories(TestPaths.Fixture("rules"), "EL6001-*").Single(), "fail", "metrics.txt");

        var result = Cli.Run("certs", metrics);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No certificates: a linkerd2-proxy's /metrics holds none (its identity certificate expires at 2026-11-19T10:00:00Z", result.Out, StringComparison.Ordinal);
        Assert.Contains("presented_chain.pem", result.Out, StringComparison.Ordinal);
    }
}
