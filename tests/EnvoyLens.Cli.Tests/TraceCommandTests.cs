using System.Text.Json;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary><c>envoylens trace</c> end to end: exit codes, the stop flags, text and JSON, and the ways to name the source.</summary>
public sealed class TraceCommandTests
{
    private static readonly string Reviews = TestPaths.Fixture("snapshots", "reviews");

    private const string Ratings = "http://ratings.default.svc.cluster.local:9080/ratings/0";

    private static string RuleFail(string folder) => TestPaths.Fixture("rules", folder, "fail", "config_dump.json");

    [Fact]
    public void Given_the_reviews_bundle_When_ratings_is_traced_Then_it_is_forwarded_to_a_healthy_ratings_endpoint_and_exits_0()
    {
        var result = Cli.Run("trace", Reviews, Ratings);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Err);
        Assert.Contains("Verdict: forwarded: Forwarded to cluster outbound|9080|v1|ratings.default.svc.cluster.local: 1 usable endpoint(s), e.g. 10.244.1.14:9080.", result.Out, StringComparison.Ordinal);
        Assert.Contains("route-config   ratings.default.svc.cluster.local:9080", result.Out, StringComparison.Ordinal);
        Assert.Contains("SNI: outbound_.9080_.v1_.ratings.default.svc.cluster.local", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_json_output_When_ratings_is_traced_Then_the_document_has_the_trace_schema_every_hop_and_the_verdict()
    {
        var result = Cli.Run("trace", Reviews, Ratings, "-o", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("envoylens-trace/v1", root.GetProperty("schema").GetString());
        Assert.Equal("10.96.121.33", root.GetProperty("destination").GetProperty("address").GetString());
        var kinds = root.GetProperty("hops").EnumerateArray().Select(h => h.GetProperty("kind").GetString()).Distinct().ToList();
        Assert.Equal(["listener", "filter-chain", "network-filter", "http-filter", "route-config", "virtual-host", "route", "cluster", "endpoints", "upstream-tls"], kinds);
        Assert.All(root.GetProperty("hops").EnumerateArray(), h => Assert.StartsWith("/configs/", h.GetProperty("pointer").GetString(), StringComparison.Ordinal));
        var verdict = root.GetProperty("verdict");
        Assert.Equal("forwarded", verdict.GetProperty("outcome").GetString());
        Assert.Equal("outbound|9080|v1|ratings.default.svc.cluster.local", verdict.GetProperty("cluster").GetString());
        Assert.Equal(JsonValueKind.Null, verdict.GetProperty("responseFlag").ValueKind);
    }

    [Fact]
    public void Given_a_host_no_virtual_host_serves_When_traced_Then_it_stops_with_NR_and_exits_1()
    {
        var result = Cli.Run("trace", Reviews, "http://nosuch.example:9080/", "--address", "10.96.121.33");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("virtual-host   (none)  [stops here]", result.Out, StringComparison.Ordinal);
        Assert.Contains("Verdict: stopped (flag NR, status 404)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_tcp_proxy_to_a_missing_cluster_When_traced_Then_it_stops_with_NC_and_exits_1()
    {
        var result = Cli.Run("trace", RuleFail("EL1003-network-filter-missing-cluster"), "tcp://10.0.0.9:9000", "-o", "json");

        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var verdict = doc.RootElement.GetProperty("verdict");
        Assert.Equal("stopped", verdict.GetProperty("outcome").GetString());
        Assert.Equal("NC", verdict.GetProperty("responseFlag").GetString());
        Assert.Equal("cluster", doc.RootElement.GetProperty("hops").EnumerateArray().Last().GetProperty("kind").GetString());
    }

    [Fact]
    public void Given_a_tcp_target_When_traced_as_text_Then_the_header_names_a_connection_without_a_method_or_host()
    {
        var result = Cli.Run("trace", RuleFail("EL1003-network-filter-missing-cluster"), "tcp://10.0.0.9:9000");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Trace: tcp://10.0.0.9:9000\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_route_to_a_cluster_without_usable_endpoints_When_traced_Then_it_stops_with_UH_and_exits_1()
    {
        var result = Cli.Run("trace", RuleFail("EL1005-no-healthy-endpoints"), "http://web.example.com:8080/api/v1", "--header", "host=web.example.com");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("10.0.0.1:80 UNHEALTHY (EDS), 10.0.0.4:80 DRAINING (EDS)", result.Out, StringComparison.Ordinal);
        Assert.Contains("Verdict: stopped (flag UH, status 503): No healthy endpoint in cluster api", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_inbound_port_allowing_only_reviews_When_productpage_calls_Then_it_stops_with_the_rbac_flag_and_exits_1()
    {
        var fixture = TestPaths.Fixture("rules", "EL3008-inbound-port-denies-everyone", "pass", "config_dump.json");
        string[] args = ["trace", fixture, "http://ratings:9091/ratings/0", "--inbound", "--address", "10.244.1.7", "--source-principal"];

        var denied = Cli.Run([.. args, "spiffe://cluster.local/ns/default/sa/productpage"]);
        var allowed = Cli.Run([.. args, "spiffe://cluster.local/ns/default/sa/reviews"]);
        var admin = Cli.Run(["trace", fixture, "http://ratings:9091/admin", "--inbound", "--address", "10.244.1.7", "-o", "json"]);

        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("Source principal: spiffe://cluster.local/ns/default/sa/productpage\n", denied.Out, StringComparison.Ordinal);
        Assert.Contains("policy ns[default]-policy[ratings-viewer]-rule[0]: no principal matches the peer", denied.Out, StringComparison.Ordinal);
        Assert.Contains("Verdict: stopped (flag rbac_access_denied_matched_policy[none], status 403)", denied.Out, StringComparison.Ordinal);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal(1, admin.ExitCode);
        using var doc = JsonDocument.Parse(admin.Out);
        Assert.Equal("rbac_access_denied_matched_policy[ns[default]-policy[deny-admin]-rule[0]]", doc.RootElement.GetProperty("verdict").GetProperty("responseFlag").GetString());
    }

    [Fact]
    public void Given_a_weighted_route_with_a_share_to_a_missing_cluster_When_traced_Then_that_share_is_reported_NC()
    {
        var result = Cli.Run("trace", RuleFail("EL1002-route-missing-cluster"), "http://web.example.com:8080/api/x", "-H", "host=web.example.com");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("share 10% to api-canary: cluster not in the capture, these requests fail with NC (503)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_source_as_an_option_When_the_only_positional_is_the_target_Then_it_is_traced_the_same()
    {
        var positional = Cli.Run("trace", Reviews, Ratings, "-o", "json");
        var option = Cli.Run("trace", "--bundle", Reviews, Ratings, "-o", "json");

        Assert.Equal(0, option.ExitCode);
        Assert.Equal(positional.Out, option.Out);
    }

    [Fact]
    public void Given_all_When_traced_Then_losing_candidates_are_listed_with_why()
    {
        var vip = Cli.Run("trace", Reviews, "http://ratings:9080/ratings/0", "--all");
        var wildcard = Cli.Run("trace", Reviews, "http://ratings:9080/ratings/0", "--all", "--address", "10.1.1.1");

        Assert.Equal(0, vip.ExitCode);
        Assert.Contains("lost: 0.0.0.0_9080: a listener on the exact destination address wins over the wildcard address", vip.Out, StringComparison.Ordinal);
        Assert.Contains("Listener 0.0.0.0_9080 listens on the wildcard address 0.0.0.0:9080", wildcard.Out, StringComparison.Ordinal);
        Assert.Contains("lost: allow_any: its best domain '*' is less specific", wildcard.Out, StringComparison.Ordinal);
        Assert.Contains("lost: details.default.svc.cluster.local:9080: no domain matches", wildcard.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("lost:", Cli.Run("trace", Reviews, "http://ratings:9080/ratings/0").Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://ratings/")]
    [InlineData("tcp://ratings")]
    [InlineData("ratings:9080")]
    public void Given_an_unusable_target_When_traced_Then_one_sentence_on_stderr_and_exit_2(string target)
    {
        var result = Cli.Run("trace", Reviews, target);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith("envoylens: ", result.Err, StringComparison.Ordinal);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain(" at ", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--address", "not-an-ip")]
    [InlineData("--header", "novalue")]
    [InlineData("--source", "10.0.0.1:x")]
    public void Given_an_unusable_option_value_When_traced_Then_exit_2_before_reading(string option, string value)
    {
        var result = Cli.Run("trace", Reviews, Ratings, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_no_target_When_traced_Then_it_asks_for_one_and_exits_2()
    {
        var result = Cli.Run("trace", "--bundle", Reviews);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("a TARGET is required", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_clock_after_the_workload_certificate_ends_When_traced_Then_the_upstream_tls_hop_says_the_client_certificate_expired()
    {
        var now = Cli.RunAt(new At(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero)), "trace", Reviews, Ratings);
        var later = Cli.RunAt(new At(new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero)), "trace", Reviews, Ratings);

        Assert.Contains("client certificate: SDS default (active; spiffe://cluster.local/ns/default/sa/bookinfo-reviews, valid until 2027-11-01T00:00:00Z)", now.Out, StringComparison.Ordinal);
        Assert.Contains("client certificate: SDS default (active; spiffe://cluster.local/ns/default/sa/bookinfo-reviews, EXPIRED at 2027-11-01T00:00:00Z)", later.Out, StringComparison.Ordinal);
        Assert.Contains("trusted CA: SDS ROOTCA (active; 1 CA certificate(s), the earliest valid until 2036-01-01T00:00:00Z)", later.Out, StringComparison.Ordinal);
    }

    private sealed class At(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Refresh with <c>ENVOYLENS_UPDATE_GOLDEN=1 dotnet test tests/EnvoyLens.Cli.Tests</c>.</summary>
    [Theory]
    [InlineData("trace-ratings.json", "-o", "json")]
    [InlineData("trace-ratings-all.txt", "--all")]
    public void Given_the_reviews_bundle_When_ratings_is_traced_Then_the_output_matches_its_golden_file(string golden, params string[] options)
    {
        var result = Cli.RunAt(new At(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero)), ["trace", Reviews, Ratings, .. options]);
        var path = Path.Combine(TestPaths.RepoRoot, "tests", "EnvoyLens.Cli.Tests", "Golden", golden);

        if (Environment.GetEnvironmentVariable("ENVOYLENS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, result.Out);
        }

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(path), $"No golden file {golden}; run with ENVOYLENS_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(path), result.Out);
    }

    [Fact]
    public void Given_a_peer_from_another_mesh_When_ratings_is_traced_Then_the_upstream_handshake_is_refused_with_UF_and_why()
    {
        var result = Cli.Run("trace", Reviews, Ratings, "--peer", TestPaths.Fixture("snapshots", "ratings-other-mesh"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("peer-trust     peer  [stops here]", result.Out, StringComparison.Ordinal);
        Assert.Contains("The TLS handshake with the peer would fail: this proxy would reject the peer's certificate: No issuer of certificate 'spiffe://other.local/ns/default/sa/bookinfo-ratings'", result.Out, StringComparison.Ordinal);
        Assert.Contains("the peer would reject this proxy's certificate", result.Out, StringComparison.Ordinal);
        Assert.Contains("expect another trust domain than 'other.local'", result.Out, StringComparison.Ordinal);
        Assert.Contains("Verdict: stopped (flag UF)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_peer_whose_identity_the_cluster_expects_When_traced_Then_each_side_accepts_the_other_and_it_is_forwarded()
    {
        var result = Cli.Run("trace", Reviews, "http://reviews.default.svc.cluster.local:9080/reviews/0", "--peer", Reviews, "-o", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var hop = doc.RootElement.GetProperty("hops").EnumerateArray().Last();
        Assert.Equal("peer-trust", hop.GetProperty("kind").GetString());
        Assert.Equal("This proxy and the peer accept each other's certificates and the cluster's SAN matchers accept the peer's identity.", hop.GetProperty("why").GetString());
        Assert.Equal("forwarded", doc.RootElement.GetProperty("verdict").GetProperty("outcome").GetString());
    }

    [Fact]
    public void Given_a_peer_of_the_same_mesh_with_another_identity_When_ratings_is_traced_Then_the_SAN_matcher_refuses_it()
    {
        var result = Cli.Run("trace", Reviews, Ratings, "--peer", Reviews);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The TLS handshake with the peer would fail: No cluster of this proxy expects the peer's identity 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews'", result.Out, StringComparison.Ordinal);
        Assert.Contains("this proxy accepts the peer's certificate", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_peer_and_a_request_that_stops_before_the_upstream_When_traced_Then_the_peer_is_not_judged()
    {
        var result = Cli.Run("trace", Reviews, "http://nosuch.example:9080/", "--address", "10.96.121.33", "--peer", Reviews);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The peer is not judged: the request does not reach an upstream connection.", result.Out, StringComparison.Ordinal);
        Assert.Contains("Verdict: stopped (flag NR, status 404)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_linkerd2_proxy_capture_When_traced_Then_one_sentence_says_it_has_no_config_dump_and_exit_2()
    {
        var metrics = Path.Combine(Directory.GetDirectories(TestPaths.Fixture("rules"), "EL6001-*").Single(), "fail", "metrics.txt");

        var result = Cli.Run("trace", metrics, "http://ratings:9080/");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("is a linkerd2-proxy capture: trace follows a request through an Envoy's config dump, and it has none.", result.Err, StringComparison.Ordinal);
    }
}
