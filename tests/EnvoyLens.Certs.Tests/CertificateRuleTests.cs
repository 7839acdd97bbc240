using EnvoyLens.Core;
using EnvoyLens.Fixtures.Pki;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;
using EnvoyLens.TestKit;

namespace EnvoyLens.Certs.Tests;

/// <summary>The EL4xxx pack over fixtures/rules/EL4xxx-slug/{pass,fail} and over the reviews bundle, through RuleRunner.</summary>
public sealed class CertificateRuleTests
{
    public static TheoryData<string> RuleIds => new(RulePacks.Certificates.Rules.Select(r => r.Descriptor.Id));

    private static AnalysisReport Run(string ruleId, string variant, TimeProvider? clock = null)
    {
        var matches = Directory.GetDirectories(TestPaths.Fixture("rules"), ruleId + "-*");
        Assert.True(matches.Length == 1, $"Expected one fixture folder fixtures/rules/{ruleId}-<slug>, found {matches.Length}.");
        var (raw, snapshot) = Snapshots.Folder(Path.Combine(matches[0], variant));
        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Level != DiagnosticLevel.Info);
        var rule = RulePacks.Certificates.Rules.Single(r => r.Descriptor.Id == ruleId);
        return new RuleRunner([rule]).Run(new RuleContext(snapshot, clock ?? FixedClock.FixtureNow, RuleContext.InputsOf(raw, snapshot)));
    }

    private static Finding SingleFailure(string ruleId)
    {
        var report = Run(ruleId, "fail");
        Assert.Equal(RuleStatus.Failed, report.Outcomes.Single().Status);
        return Assert.Single(report.Findings);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Given_the_pass_fixture_When_the_rule_runs_Then_it_checks_and_finds_nothing(string ruleId)
    {
        var report = Run(ruleId, "pass");

        Assert.Empty(report.Findings);
        Assert.Equal(RuleStatus.Passed, report.Outcomes.Single().Status);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Given_the_fail_fixture_When_the_rule_runs_Then_it_reports_exactly_one_finding_with_its_own_id(string ruleId)
    {
        var finding = SingleFailure(ruleId);

        Assert.Equal(ruleId, finding.RuleId);
        Assert.DoesNotContain("{", finding.Message, StringComparison.Ordinal);
    }

    private const string WorkloadChain = "/configs/2/dynamic_active_secrets/0/secret/tls_certificate/certificate_chain";

    /// <summary>Where each rule's fail fixture must be reported: resource kind, name and JSON pointer.</summary>
    public static TheoryData<string, string?, string?, string> Places => new()
    {
        { "EL4001", "Secret", "default", WorkloadChain },
        { "EL4002", "Secret", "default", WorkloadChain },
        { "EL4003", "Secret", "default", WorkloadChain },
        { "EL4004", "Secret", "default", WorkloadChain },
        { "EL4005", "Secret", "default", WorkloadChain },
        { "EL4006", "Secret", "default", WorkloadChain },
        { "EL4007", "Secret", "default", WorkloadChain },
        { "EL4008", "Secret", "default", WorkloadChain },
        { "EL4009", null, null, "" },
        { "EL4010", "Secret", "default", WorkloadChain },
        { "EL4011", "Listener", "virtualInbound", "/configs/2/static_listeners/0/listener/filter_chains/0/filters/0/typed_config/rules/policies/ns[default]-policy[allow-api]-rule[0]" },
    };

    [Theory]
    [MemberData(nameof(Places))]
    public void Given_the_fail_fixture_When_the_rule_runs_Then_the_finding_names_its_resource_pointer_and_every_template_argument(
        string ruleId, string? kind, string? name, string pointer)
    {
        var finding = SingleFailure(ruleId);
        var descriptor = RulePacks.Certificates.Rules.Single(r => r.Descriptor.Id == ruleId).Descriptor;

        Assert.Equal(kind, finding.Resource?.Kind.ToString());
        Assert.Equal(name, finding.Resource?.Name);
        Assert.Equal(pointer, finding.Pointer.Value);
        Assert.All(descriptor.ArgumentNames, a => Assert.False(string.IsNullOrEmpty(finding.Arguments.GetValueOrDefault(a)), $"{ruleId} leaves argument '{a}' empty"));
    }

    [Fact]
    public void Given_the_pack_When_listed_Then_ids_are_unique_EL4xxx_and_every_rule_has_a_fixture_folder()
    {
        var ids = RulePacks.Certificates.Rules.Select(r => r.Descriptor.Id).ToList();

        Assert.Equal(ids.Distinct(StringComparer.Ordinal), ids);
        Assert.All(ids, id => Assert.StartsWith("EL4", id, StringComparison.Ordinal));
        Assert.All(ids, id => Assert.Single(Directory.GetDirectories(TestPaths.Fixture("rules"), id + "-*")));
        Assert.Equal(11, ids.Count);
    }

    [Fact]
    public void Given_an_expired_workload_certificate_When_EL4001_runs_Then_it_points_at_the_secret_PEM()
    {
        var finding = SingleFailure("EL4001");

        Assert.Equal(new ResourceRef(ResourceKind.Secret, "default"), finding.Resource);
        Assert.EndsWith("/tls_certificate/certificate_chain", finding.Pointer.Value, StringComparison.Ordinal);
        Assert.Equal("2026-11-19T00:00:00Z", finding.Arguments["notAfter"]);
        Assert.Equal("1 day 10 hours", finding.Arguments["ago"]);
        Assert.Equal("0", finding.Arguments["block"]);
    }

    [Fact]
    public void Given_a_certificate_starting_later_today_When_EL4002_runs_Then_the_skew_is_two_hours()
    {
        Assert.Equal("2 hours", SingleFailure("EL4002").Arguments["skew"]);
    }

    [Fact]
    public void Given_a_workload_certificate_at_95_percent_When_EL4003_runs_Then_the_share_is_reported_and_a_lower_threshold_is_configurable()
    {
        Assert.Equal("97%", SingleFailure("EL4003").Arguments["used"]);

        var strict = new RuleRunner(RulePacks.CertificatesWith(Checks.CertificatePolicy.Default with { WorkloadLifetimeUsed = 0.01 }).Rules.Where(r => r.Descriptor.Id == "EL4003"));
        var (raw, snapshot) = Snapshots.Folder(TestPaths.Fixture("rules", "EL4003-workload-rotation-overdue", "pass"));
        Assert.Single(strict.Run(new RuleContext(snapshot, FixedClock.FixtureNow, RuleContext.InputsOf(raw, snapshot))).Findings);
    }

    [Fact]
    public void Given_a_foreign_chain_When_EL4005_runs_Then_the_reason_names_the_check()
    {
        var finding = SingleFailure("EL4005");

        Assert.Equal("issuer-not-found", finding.Evidence["check"]);
        Assert.Contains("(issuer 'O=cluster.local,CN=Rules Other Root CA') is among", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_certificate_of_another_service_account_When_EL4006_runs_Then_expected_and_actual_are_named()
    {
        var finding = SingleFailure("EL4006");

        Assert.Equal("spiffe://cluster.local/ns/default/sa/other", finding.Arguments["actual"]);
        Assert.Equal("spiffe://cluster.local/ns/default/sa/web", finding.Arguments["expected"]);
    }

    [Fact]
    public void Given_proxy_days_ten_short_When_EL4009_runs_Then_the_proxy_clock_is_ahead()
    {
        var finding = SingleFailure("EL4009");

        Assert.Equal("ahead of", finding.Arguments["direction"]);
        Assert.Equal("11 days", finding.Arguments["offset"]);
        Assert.Null(finding.Resource);
    }

    [Fact]
    public void Given_a_broken_second_block_When_EL4010_runs_Then_the_finding_names_the_secret_and_block()
    {
        var finding = SingleFailure("EL4010");

        Assert.Equal("certificate block 1 of 'secret default' is not valid base64", finding.Message);
    }

    [Fact]
    public void Given_the_reviews_bundle_When_the_whole_pack_runs_at_capture_time_Then_exactly_the_seeded_egress_credential_problems_are_reported()
    {
        var (raw, snapshot) = (EnvoyLens.Admin.SnapshotSources.Open(Snapshots.Reviews), Snapshots.Decode(Snapshots.Reviews));

        var report = new RuleRunner(RulePacks.Certificates.Rules).Run(new RuleContext(snapshot, FixedClock.FixtureNow, RuleContext.InputsOf(raw, snapshot)));

        Assert.DoesNotContain(report.Outcomes, o => o.Status == RuleStatus.InternalError);
        Assert.Equal(["EL4003", "EL4004"], report.Findings.Select(f => f.RuleId).Order(StringComparer.Ordinal));
        var egress = new ResourceRef(ResourceKind.Secret, "kubernetes://egress-cert");

        // The partner's client certificate (2026-01-01..2027-01-01) is at 89% of its lifetime on 2026-11-20.
        var rotation = report.Findings.Single(f => f.RuleId == "EL4003");
        Assert.Equal(egress, rotation.Resource);
        Assert.Equal("/configs/5/dynamic_active_secrets/2/secret/tls_certificate/certificate_chain", rotation.Pointer.Value);
        Assert.Equal(new Dictionary<string, string>
        {
            ["certificate"] = "'O=Bookinfo,CN=bookinfo-reviews' (serial 5e9e8c6d98c47c5a729532ca624611e1)",
            ["source"] = "secret kubernetes://egress-cert",
            ["used"] = "89%",
            ["left"] = "41 days",
        }, rotation.Arguments);

        // Its issuing intermediate ends on 2027-01-05: 45 days left, under the 60-day threshold.
        var ca = report.Findings.Single(f => f.RuleId == "EL4004");
        Assert.Equal(egress, ca.Resource);
        Assert.Equal(new Dictionary<string, string>
        {
            ["certificate"] = "'O=Example Partner Inc,CN=Example Partner Issuing CA G2' (serial 15c8b9f127e6722142bdea759387383e)",
            ["source"] = "secret kubernetes://egress-cert",
            ["notAfter"] = "2027-01-05T00:00:00Z",
            ["left"] = "45 days",
            ["threshold"] = "60",
        }, ca.Arguments);
        Assert.Equal("1", ca.Evidence["block"]);

        // The mesh workload chain and ROOTCA are healthy.
        Assert.DoesNotContain(report.Findings, f => f.Resource == new ResourceRef(ResourceKind.Secret, "default") || f.Resource == new ResourceRef(ResourceKind.Secret, "ROOTCA"));
        Assert.Contains(report.Outcomes, o => o.RuleId == "EL4005" && o.Status == RuleStatus.Passed);
        Assert.Contains(report.Outcomes, o => o.RuleId == "EL4009" && o.Status == RuleStatus.Passed);
    }

    [Fact]
    public void Given_the_reviews_bundle_two_years_later_When_the_pack_runs_Then_the_workload_certificate_is_expired()
    {
        var (raw, snapshot) = (EnvoyLens.Admin.SnapshotSources.Open(Snapshots.Reviews), Snapshots.Decode(Snapshots.Reviews));
        var later = new FixedClock(new DateTimeOffset(2028, 11, 20, 10, 0, 0, TimeSpan.Zero));

        var report = new RuleRunner(RulePacks.Certificates.Rules).Run(new RuleContext(snapshot, later, RuleContext.InputsOf(raw, snapshot)));

        var expired = report.Findings.Where(f => f.RuleId == "EL4001").ToList();
        var workload = Assert.Single(expired, f => f.Resource == new ResourceRef(ResourceKind.Secret, "default"));
        Assert.Contains("spiffe://cluster.local/ns/default/sa/bookinfo-reviews", workload.Message, StringComparison.Ordinal);
        // By then the egress client certificate and its intermediate have expired too.
        Assert.Equal(2, expired.Count(f => f.Resource == new ResourceRef(ResourceKind.Secret, "kubernetes://egress-cert")));
        Assert.Equal(3, expired.Count);
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "EL4009"); // the proxy clock is judged at the bundle's capture time, not the analysis clock
    }

    [Fact]
    public void Given_the_generators_When_rerun_Then_the_committed_variant_and_rule_fixture_files_are_byte_identical()
    {
        foreach (var (name, content) in TestPkiVariants.Generate())
        {
            Assert.True(content.AsSpan().SequenceEqual(File.ReadAllBytes(TestPaths.Fixture("pki", "variants", name))),
                $"fixtures/pki/variants/{name} differs from the generator output; regenerate with the command in fixtures/README.md");
        }

        foreach (var (path, content) in CertRuleFixtures.Generate())
        {
            Assert.True(content.AsSpan().SequenceEqual(File.ReadAllBytes(TestPaths.Fixture("rules", path))),
                $"fixtures/rules/{path} differs from the generator output; regenerate with the command in fixtures/README.md");
        }
    }
}
