using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Fixtures.Pki;

namespace EnvoyLens.Certs.Tests;

/// <summary>RFC 5280 path validation over the deterministic PKI variants (fixtures/pki/variants).</summary>
public sealed class PathValidatorTests
{
    private static readonly DateTimeOffset At = TestPkiVariants.At;

    private static CertificateInfo Root => Pki.Variant("root");

    private static CertificateInfo Intermediate => Pki.Variant("intermediate");

    private static VerifyResult Verify(string leaf, IReadOnlyList<CertificateInfo> intermediates, DateTimeOffset? at = null, CertificatePurpose purpose = CertificatePurpose.Any, string? name = null, IReadOnlyList<CertificateInfo>? roots = null) =>
        PathValidator.Verify(new VerifyRequest(Pki.Variant(leaf), roots ?? [Root], intermediates, at ?? At, purpose, name));

    [Fact]
    public void Given_leaf_intermediate_root_When_verified_Then_valid_with_the_full_path()
    {
        var result = Verify("leaf", [Intermediate], purpose: CertificatePurpose.Server, name: "svc.example.test");

        Assert.True(result.Valid, result.Reason);
        Assert.Equal(["", "O=EnvoyLens Variants,CN=Variants Intermediate CA", "O=EnvoyLens Variants,CN=Variants Root CA"], result.Chain.Select(c => c.Subject));
        Assert.Equal("ok", result.Check);
    }

    [Fact]
    public void Given_intermediates_out_of_order_with_same_subject_decoys_When_verified_Then_the_right_issuer_is_found()
    {
        var pool = Pki.Decoys("intermediate-decoy").Append(Intermediate).Reverse().Concat(Pki.Decoys("intermediate-decoy")).ToList();

        var result = Verify("leaf", pool);

        Assert.True(result.Valid, result.Reason);
        Assert.Equal(Intermediate.Sha256Fingerprint, result.Chain[1].Sha256Fingerprint);
    }

    [Fact]
    public void Given_only_decoys_When_verified_Then_invalid_for_the_signature_naming_the_leaf()
    {
        var result = Verify("leaf", Pki.Decoys("intermediate-decoy"));

        Assert.False(result.Valid);
        Assert.Equal("signature", result.Check);
        Assert.Contains("spiffe://cluster.local/ns/default/sa/leaf", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_hostile_cross_certified_loop_When_verified_Then_the_search_stops_within_its_bounds_and_says_so()
    {
        var loop = Pki.Decoys("loop-");
        Assert.Equal(64, loop.Count);

        var result = Verify("leaf-under-loop", loop);

        Assert.False(result.Valid);
        Assert.Equal("search-limit", result.Check);
        Assert.True(result.SignatureChecks <= VerifyLimits.Default.MaxSignatureChecks, result.SignatureChecks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("stopped after", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_same_request_twice_When_verified_Then_the_verdicts_are_identical()
    {
        var loop = Pki.Decoys("loop-");

        var first = Verify("leaf-under-loop", loop);
        var second = Verify("leaf-under-loop", loop);
        var valid = Verify("leaf", [Intermediate]);

        Assert.Equal(first.Reason, second.Reason);
        Assert.Equal(first.SignatureChecks, second.SignatureChecks);
        Assert.True(valid.Valid);
    }

    [Fact]
    public void Given_a_leaf_whose_notAfter_is_the_instant_When_verified_at_that_second_and_one_later_Then_valid_then_expired()
    {
        Assert.True(Verify("leaf-ends-at-capture", [Intermediate], At.AddMilliseconds(999)).Valid);

        var later = Verify("leaf-ends-at-capture", [Intermediate], At.AddSeconds(1));

        Assert.False(later.Valid);
        Assert.Equal("validity", later.Check);
        Assert.Contains("expired at 2026-11-20T10:00:00Z", later.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_expired_leaf_When_verified_Then_the_reason_names_it_and_the_check()
    {
        var result = Verify("leaf-expired", [Intermediate]);

        Assert.Equal("Certificate 'spiffe://cluster.local/ns/default/sa/leaf-expired' (serial " + Pki.Variant("leaf-expired").SerialNumberHex +
            ") expired at 2026-11-20T09:59:59Z, before 2026-11-20T10:00:00Z (validity check).", result.Reason);
    }

    [Fact]
    public void Given_a_not_yet_valid_leaf_When_verified_Then_the_skew_is_stated()
    {
        var result = Verify("leaf-not-yet-valid", [Intermediate]);

        Assert.False(result.Valid);
        Assert.Contains("is not valid until 2026-11-20T12:30:00Z, 2 hours 30 minutes after", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_leaf_of_another_root_When_verified_Then_no_issuer_chains_to_the_anchor()
    {
        var result = Verify("leaf-other-root", [Intermediate, Pki.Variant("other-intermediate")]);

        Assert.False(result.Valid);
        Assert.Contains(result.Check, new[] { "signature", "issuer-not-found" });
    }

    [Fact]
    public void Given_pathlen_zero_then_another_CA_When_verified_Then_path_length_fails_naming_the_constraining_CA()
    {
        var result = Verify("leaf-pathlen-violated", [Pki.Variant("below-pathlen0"), Pki.Variant("pathlen0-intermediate")]);

        Assert.False(result.Valid);
        Assert.Equal("path-length", result.Check);
        Assert.Contains("Variants PathLen0 CA", result.Reason, StringComparison.Ordinal);
        Assert.Contains("allows 0 intermediate(s) below it but the path has 1", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_issuer_without_keyCertSign_When_verified_Then_key_usage_fails()
    {
        Assert.Equal("key-usage", Verify("leaf-under-no-certsign", [Pki.Variant("no-certsign-intermediate")]).Check);
    }

    [Fact]
    public void Given_an_issuer_that_is_not_a_CA_When_verified_Then_basic_constraints_fails()
    {
        Assert.Equal("basic-constraints", Verify("leaf-under-not-ca", [Pki.Variant("not-ca-issuer")]).Check);
    }

    [Fact]
    public void Given_a_client_only_leaf_When_verified_for_server_and_client_Then_only_client_passes()
    {
        var server = Verify("leaf-client-only", [Intermediate], purpose: CertificatePurpose.Server);

        Assert.Equal("extended-key-usage", server.Check);
        Assert.True(Verify("leaf-client-only", [Intermediate], purpose: CertificatePurpose.Client).Valid);
    }

    [Fact]
    public void Given_an_unknown_critical_extension_When_verified_Then_it_fails_naming_the_extension()
    {
        var result = Verify("leaf-unknown-critical", [Intermediate]);

        Assert.Equal("critical-extension", result.Check);
        Assert.Contains("1.3.6.1.4.1.55555.1", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("leaf-nc-ok", true)]
    [InlineData("leaf-nc-bad-dns", false)]
    [InlineData("leaf-nc-bad-ip", false)]
    [InlineData("leaf-nc-bad-uri", false)]
    public void Given_a_name_constrained_CA_When_verified_Then_names_outside_DNS_IP_and_URI_subtrees_fail(string leaf, bool valid)
    {
        var result = Verify(leaf, [Pki.Variant("nc-intermediate")]);

        Assert.Equal(valid, result.Valid);
        if (!valid)
        {
            Assert.Equal("name-constraints", result.Check);
            Assert.Contains("Variants Constrained CA", result.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Given_a_cross_signed_new_root_When_only_the_old_root_is_trusted_Then_the_leaf_validates_through_the_cross_certificate()
    {
        var result = Verify("leaf-new-root", [Pki.Variant("new-root-cross")]);

        Assert.True(result.Valid, result.Reason);
        Assert.Equal(3, result.Chain.Count);
        Assert.True(Verify("leaf-new-root", [], roots: [Pki.Variant("new-root")]).Valid);
    }

    [Fact]
    public void Given_a_missing_intermediate_When_verified_Then_issuer_not_found_names_the_issuer()
    {
        var result = Verify("leaf", []);

        Assert.Equal("issuer-not-found", result.Check);
        Assert.Contains("Variants Intermediate CA", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("svc.example.test", true)]
    [InlineData("SVC.example.test.", true)]
    [InlineData("other.example.test", false)]
    [InlineData("10.1.2.3", true)]
    [InlineData("10.1.2.4", false)]
    [InlineData("spiffe://cluster.local/ns/default/sa/leaf", true)]
    [InlineData("spiffe://cluster.local/ns/default/sa/other", false)]
    public void Given_a_name_When_verified_Then_DNS_IP_and_SPIFFE_names_are_matched(string name, bool valid)
    {
        Assert.Equal(valid, Verify("leaf", [Intermediate], name: name).Valid);
    }
}
