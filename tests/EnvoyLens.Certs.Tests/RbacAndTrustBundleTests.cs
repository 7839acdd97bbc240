using EnvoyLens.Certs.Compare;
using EnvoyLens.Certs.Inventory;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;
using EnvoyLens.TestKit;

namespace EnvoyLens.Certs.Tests;

/// <summary>RBAC principals (decoded, evaluated by certs compare, checked by EL4011) and SPIFFE trust-bundle maps.</summary>
public sealed class RbacAndTrustBundleTests
{
    private const string Policy = "ns[default]-policy[allow-api]-rule[0]";
    private const string Client = "spiffe://cluster.local/ns/default/sa/web";

    private static EnvoySnapshot Rule4011(string variant) =>
        Snapshots.Folder(TestPaths.Fixture("rules", "EL4011-rbac-trust-domain-mismatch", variant)).Snapshot;

    [Fact]
    public void Given_a_network_RBAC_filter_When_decoded_Then_its_policy_keeps_the_principal_matcher()
    {
        var filter = Assert.Single(RbacEvaluation.Filters(Rule4011("fail")));

        Assert.Equal("envoy.filters.network.rbac", filter.FilterName);
        Assert.Equal("ALLOW", filter.Config.Action);
        var policy = Assert.Single(filter.Config.Policies);
        Assert.Equal(Policy, policy.Name);
        Assert.Equal(1, policy.PermissionCount);
        var principal = Assert.Single(policy.Principals);
        Assert.Equal(RbacPrincipalKind.OrIds, principal.Kind);
        var name = Assert.Single(policy.PrincipalNames);
        Assert.Equal(new StringMatch("exact", "spiffe://other.example/ns/default/sa/api"), name.Matcher);
        Assert.False(name.Negated);
        Assert.EndsWith("/rules/policies/" + Policy + "/principals/0/or_ids/ids/0", name.Pointer.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_ALLOW_policy_of_a_foreign_trust_domain_When_EL4011_runs_Then_it_names_policy_listener_and_domains()
    {
        var (raw, snapshot) = Snapshots.Folder(TestPaths.Fixture("rules", "EL4011-rbac-trust-domain-mismatch", "fail"));
        var rule = RulePacks.Certificates.Rules.Single(r => r.Descriptor.Id == "EL4011");
        var report = new RuleRunner([rule]).Run(new RuleContext(snapshot, FixedClock.FixtureNow, RuleContext.InputsOf(raw, snapshot)));

        var finding = Assert.Single(report.Findings);
        Assert.Equal("EL4011", finding.RuleId);
        Assert.Equal(new ResourceRef(ResourceKind.Listener, "virtualInbound"), finding.Resource);
        Assert.EndsWith("/filter_chains/0/filters/0/typed_config/rules/policies/" + Policy, finding.Pointer.Value, StringComparison.Ordinal);
        Assert.Equal(Policy, finding.Arguments["policy"]);
        Assert.Equal("virtualInbound", finding.Arguments["listener"]);
        Assert.Equal("other.example", finding.Arguments["trust_domains"]);
        Assert.Equal("cluster.local", finding.Arguments["own_trust_domain"]);
        Assert.Equal("the SPIFFE ID of the workload certificate", finding.Evidence["own_trust_domain_from"]);
    }

    [Fact]
    public void Given_a_server_whose_RBAC_allows_another_identity_When_compared_Then_the_server_denies_and_names_the_policy()
    {
        var client = new TrustSide("A", Rule4011("pass"));
        var server = new TrustSide("B", Rule4011("fail"));

        var result = TrustComparison.Compare(client, server, FixedClock.FixtureInstant);

        Assert.False(result.AToB.RbacAdmitsClient);
        Assert.True(result.AToB.HandshakeSucceeds); // same trust domain and root: only RBAC, after the handshake, refuses
        Assert.False(result.AToB.Succeeds);
        Assert.Contains($"B's RBAC would deny A's identity '{Client}': no ALLOW policy of envoy.filters.network.rbac on listener virtualInbound chain 0.0.0.0_8080 (1 policy) matches", result.AToB.RbacReason, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Notes, n => n.Contains("not compared", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_server_without_RBAC_When_compared_Then_RBAC_does_not_decide()
    {
        var side = new TrustSide("A", Snapshots.Folder(TestPaths.Fixture("rules", "EL4001-certificate-expired", "pass")).Snapshot);

        var result = TrustComparison.Compare(side, side with { Name = "B" }, FixedClock.FixtureInstant);

        Assert.Null(result.AToB.RbacAdmitsClient);
        Assert.Contains("B has no RBAC filter", result.AToB.RbacReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exact", Client, false, true)]
    [InlineData("prefix", "spiffe://cluster.local/ns/default/", false, true)]
    [InlineData("suffix", "/sa/web", false, true)]
    [InlineData("exact", Client, true, false)]
    [InlineData("prefix", "spiffe://other.example/", false, false)]
    [InlineData("prefix", "spiffe://other.example/", true, true)]
    public void Given_an_authenticated_principal_When_evaluated_Then_not_id_inverts_it(string kind, string value, bool negated, bool expected)
    {
        var at = JsonPointer.Root;
        var authenticated = new RbacPrincipal(RbacPrincipalKind.Authenticated, new StringMatch(kind, value), [], null, at);
        var principal = negated ? new RbacPrincipal(RbacPrincipalKind.NotId, null, [authenticated], null, at) : authenticated;
        var policy = new RbacPolicy("p", [new RbacPrincipal(RbacPrincipalKind.AndIds, null, [principal, new RbacPrincipal(RbacPrincipalKind.Any, null, [], null, at)], null, at)], 1, at);

        Assert.Equal(expected, RbacEvaluation.Matches(policy, Client));
        Assert.Equal(negated, Assert.Single(policy.PrincipalNames).Negated);
    }

    [Fact]
    public void Given_an_identifier_that_is_not_evaluated_When_it_decides_Then_the_answer_is_unknown()
    {
        var at = JsonPointer.Root;
        var other = new RbacPrincipal(RbacPrincipalKind.Other, null, [], "source_ip", at);
        var policy = new RbacPolicy("p", [other], 1, at);

        Assert.Null(RbacEvaluation.Matches(policy, Client));
    }

    [Fact]
    public void Given_a_SPIFFE_validator_with_two_trust_domains_When_inventoried_Then_each_bundle_is_a_trust_anchor()
    {
        var snapshot = Snapshots.Decode(TestPaths.Fixture("certs", "spiffe-trust-bundles", "config_dump.json"));
        var bundles = Assert.Single(snapshot.Clusters).Tls!.SpiffeTrustBundles;
        Assert.Equal(["cluster.local", "other.local"], bundles.Select(b => b.TrustDomain));

        var inventory = CertificateInventory.From(snapshot);

        Assert.Empty(inventory.Problems);
        var groups = inventory.Groups.Where(g => g.Role == CertificateRole.TrustedCa).ToList();
        Assert.Equal(["trust bundle cluster.local (cluster ratings)", "trust bundle other.local (cluster ratings)"], groups.Select(g => g.Source));
        Assert.EndsWith("/custom_validator_config/typed_config/trust_domains/1", groups[1].Pointer.Value, StringComparison.Ordinal);
        Assert.Equal(["O=cluster.local,CN=EnvoyLens Test Root CA", "O=cluster.local,CN=Unrelated Test Root CA"], inventory.TrustedCas.Select(c => c.Subject));
        var chain = inventory.WorkloadChain!;
        var verdict = PathValidator.Verify(new VerifyRequest(chain.Leaf!, inventory.TrustedCas, chain.Certificates.Skip(1).ToList(), FixedClock.FixtureInstant, CertificatePurpose.Client));
        Assert.True(verdict.Valid, verdict.Reason);
        Assert.Equal("O=cluster.local,CN=EnvoyLens Test Root CA", verdict.Chain[^1].Subject);
    }
}
