using System.Globalization;
using System.Text.Json;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Validation;
using EnvoyLens.TestKit;
using Xunit.Abstractions;

namespace EnvoyLens.Certs.Tests;

/// <summary>
/// The x509-limbo suite (../shared/x509-limbo/limbo.json, read in place) through the engine of <c>certs verify</c>: every
/// case without the has-crl or max-chain-depth features and outside conflicts_with pairs (189 cases) under the webpki
/// profile, and the conflicts_with pairs each under the profile its id names. A case whose certificates
/// <c>certs verify</c> could not use (exit 2) counts as wrong whatever was expected. pyca/cryptography 48's figure on
/// the same cases comes from its published run (results-pyca-cryptography-48.0.0.local.json) and is printed beside ours.
/// </summary>
public sealed class LimboConformanceTests(ITestOutputHelper output)
{
    /// <summary>The figure this engine reaches; a change that gets fewer cases right fails the test.</summary>
    private const int Reached = 186;

    /// <summary>Why the cases still wrong under webpki are wrong: each contradicts another case of the suite.</summary>
    private static readonly Dictionary<string, string> KnownWrong = new(StringComparer.Ordinal)
    {
        ["pathlen::validation-ignores-pathlen-in-leaf"] = "a CA certificate in leaf position, the shape webpki::ca-as-leaf must reject under webpki; right under the rfc5280 profile",
        ["rfc5280::aki::cross-signed-root-missing-aki"] = "a trust anchor issued by another CA without an authority key identifier, the shape of cve::cve-2024-0567's anchor that must be accepted; webpki takes anchors as given; right under the rfc5280 profile",
        ["webpki::cn::not-in-san"] = "a common name outside the SANs, as the suite's other leaves (CN=example.com beside other SANs) carry and must pass, so no common-name-in-SAN rule is applied",
    };

    private static string Shared(string file) => Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, "..", "shared", "x509-limbo", file));

    private static string? LimboFile => File.Exists(Shared("limbo.json")) ? Shared("limbo.json") : null;

    private sealed record Outcome(string Id, string Expected, string Actual, string Reason)
    {
        public bool Right => Expected == Actual;
    }

    private static bool Eligible(JsonElement t)
    {
        var features = t.GetProperty("features").EnumerateArray().Select(f => f.GetString()).ToList();
        return !features.Contains("has-crl") && !features.Contains("max-chain-depth") && t.GetProperty("conflicts_with").GetArrayLength() == 0;
    }

    private static IReadOnlyList<Outcome> RunSuite(Func<JsonElement, bool> select, Func<string, ValidationProfile> profile)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(LimboFile!));
        var outcomes = new List<Outcome>();
        foreach (var t in json.RootElement.GetProperty("testcases").EnumerateArray().Where(select))
        {
            var id = t.GetProperty("id").GetString()!;
            var (actual, reason) = Run(t, id, profile(id));
            outcomes.Add(new Outcome(id, t.GetProperty("expected_result").GetString()!, actual, reason));
        }

        return outcomes;
    }

    /// <summary>SUCCESS, FAILURE, or UNUSABLE where <c>certs verify</c> would refuse the input (a file with no usable certificate, exit 2).</summary>
    private static (string, string) Run(JsonElement t, string id, ValidationProfile profile)
    {
        var peer = CertificateReader.ReadPem(t.GetProperty("peer_certificate").GetString()!, id);
        var trusted = t.GetProperty("trusted_certs").EnumerateArray().Select((p, i) => CertificateReader.ReadPem(p.GetString()!, $"{id} trusted {i}")).ToList();
        var untrusted = t.GetProperty("untrusted_intermediates").EnumerateArray().Select((p, i) => CertificateReader.ReadPem(p.GetString()!, $"{id} untrusted {i}")).ToList();
        if (trusted.Count == 0)
        {
            return ("UNUSABLE", "no trust anchor");
        }

        foreach (var read in trusted.Concat(untrusted).Prepend(peer))
        {
            if (read.Certificates.Count == 0)
            {
                return ("UNUSABLE", read.Problems.FirstOrDefault()?.Message ?? "no certificate");
            }
        }

        var at = t.GetProperty("validation_time").ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(t.GetProperty("validation_time").GetString()!, CultureInfo.InvariantCulture)
            : FixedClock.FixtureInstant;
        var ekus = t.GetProperty("extended_key_usage").EnumerateArray().Select(e => e.GetString()).ToList();
        var purpose = ekus.Contains("serverAuth") ? CertificatePurpose.Server
            : ekus.Contains("clientAuth") ? CertificatePurpose.Client
            : t.GetProperty("validation_kind").GetString() == "CLIENT" ? CertificatePurpose.Client : CertificatePurpose.Server;
        string? name = t.GetProperty("expected_peer_name") is { ValueKind: JsonValueKind.Object } n ? n.GetProperty("value").GetString() : null;

        var leaf = peer.Certificates[0];
        var result = PathValidator.Verify(new VerifyRequest(leaf, trusted.SelectMany(r => r.Certificates).ToList(), untrusted.SelectMany(r => r.Certificates).ToList(), at, purpose, name, profile));
        if (result.Valid && t.GetProperty("key_usage").EnumerateArray().Any(k => k.GetString() == "digitalSignature") &&
            leaf.KeyUsage is { } usage && !usage.HasFlag(KeyUsageFlags.DigitalSignature))
        {
            return ("FAILURE", "the leaf lacks the digitalSignature key usage");
        }

        return (result.Valid ? "SUCCESS" : "FAILURE", result.Reason);
    }

    /// <summary>How many of the cases pyca/cryptography 48's published run got right (a skipped case is not right).</summary>
    private static int PycaRight(IReadOnlyList<Outcome> cases)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Shared("results-pyca-cryptography-48.0.0.local.json")));
        var actual = json.RootElement.GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("actual_result").GetString()!, StringComparer.Ordinal);
        return cases.Count(c => actual.GetValueOrDefault(c.Id) == c.Expected);
    }

    private void Print(string what, IReadOnlyList<Outcome> outcomes)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"x509-limbo {what}: {outcomes.Count(o => o.Right)} of {outcomes.Count} right (pyca/cryptography 48: {PycaRight(outcomes)})."));
        foreach (var wrong in outcomes.Where(o => !o.Right).OrderBy(o => o.Id, StringComparer.Ordinal))
        {
            output.WriteLine($"  wrong: {wrong.Id} expected {wrong.Expected}, got {wrong.Actual}: {(wrong.Reason.Length > 300 ? wrong.Reason[..300] + "..." : wrong.Reason)}");
            if (KnownWrong.TryGetValue(wrong.Id, out var why))
            {
                output.WriteLine($"    why: {why}.");
            }
        }
    }

    [SkippableFact]
    public void Given_the_x509_limbo_suite_When_every_eligible_case_is_verified_under_webpki_Then_at_least_the_reached_figure_is_right()
    {
        Skip.If(LimboFile is null, "../shared/x509-limbo/limbo.json is not present");

        var outcomes = RunSuite(Eligible, _ => ValidationProfile.WebPki);
        Print("eligible cases, webpki profile", outcomes);

        var right = outcomes.Count(o => o.Right);
        Assert.Equal(189, outcomes.Count);
        Assert.True(right >= Reached, string.Create(CultureInfo.InvariantCulture, $"{right} of {outcomes.Count} right, fewer than the {Reached} reached before."));
        Assert.True(right > PycaRight(outcomes), string.Create(CultureInfo.InvariantCulture, $"{right} of {outcomes.Count} right, not more than pyca/cryptography 48's {PycaRight(outcomes)}."));
    }

    [SkippableFact]
    public void Given_the_conflicting_pairs_When_each_case_is_verified_under_the_profile_of_its_id_Then_every_one_is_right()
    {
        Skip.If(LimboFile is null, "../shared/x509-limbo/limbo.json is not present");

        var outcomes = RunSuite(
            t => t.GetProperty("conflicts_with").GetArrayLength() > 0,
            id => id.StartsWith("rfc5280::", StringComparison.Ordinal) ? ValidationProfile.Rfc5280 : ValidationProfile.WebPki);
        Print("conflicts_with pairs, profile by id", outcomes);

        Assert.Equal(6, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Right, $"{o.Id}: expected {o.Expected}, got {o.Actual}: {o.Reason}"));
    }

    [SkippableFact]
    public void Given_the_cases_webpki_gets_wrong_by_profile_When_verified_under_rfc5280_Then_they_are_right()
    {
        Skip.If(LimboFile is null, "../shared/x509-limbo/limbo.json is not present");

        string[] byProfile = ["pathlen::validation-ignores-pathlen-in-leaf", "rfc5280::aki::cross-signed-root-missing-aki"];
        var outcomes = RunSuite(t => byProfile.Contains(t.GetProperty("id").GetString()), _ => ValidationProfile.Rfc5280);
        Print("webpki's profile conflicts, rfc5280 profile", outcomes);

        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Right, $"{o.Id}: expected {o.Expected}, got {o.Actual}: {o.Reason}"));
    }

    [SkippableFact]
    public void Given_a_case_of_each_class_fixed_When_verified_under_webpki_Then_each_is_invalid_for_its_own_reason()
    {
        Skip.If(LimboFile is null, "../shared/x509-limbo/limbo.json is not present");

        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["rfc5280::duplicate-extensions"] = "is an invalid certificate: it has the ",
            ["rfc5280::san::malformed"] = "is an invalid certificate: it has a malformed subjectAltName extension",
            ["rfc5280::eku::ee-eku-empty"] = "is an invalid certificate: it has a malformed extKeyUsage extension",
            ["rfc5280::ee-empty-issuer"] = "is an invalid certificate: it has an empty issuer name (certificate-syntax check)",
            ["rfc5280::ca-empty-subject"] = "is an invalid certificate: it has an empty issuer name (certificate-syntax check)",
            ["pathological::nc-dos-1"] = "which is refused as a denial of service (name-constraints check)",
            ["pathological::nc-dos-2"] = "which is refused as a denial of service (name-constraints check)",
            ["pathological::nc-dos-3"] = "which is refused as a denial of service (name-constraints check)",
            ["cve::cve-2025-61727"] = "has the wildcard name '*.example.com', which matches 'bar.example.com' that the name constraints of",
            ["rfc5280::aki::leaf-missing-aki"] = "is not self-signed but has no authority key identifier",
            ["rfc5280::aki::intermediate-missing-aki"] = "is not self-signed but has no authority key identifier",
            ["rfc5280::ski::root-missing-ski"] = "is a CA without a subject key identifier",
            ["rfc5280::ski::intermediate-missing-ski"] = "is a CA without a subject key identifier",
            ["rfc5280::root-non-critical-basic-constraints"] = "issues certificates but its basic constraints are not critical",
            ["rfc5280::leaf-ku-keycertsign"] = "is not a CA but has the keyCertSign key usage",
            ["webpki::ee-basicconstraints-ca"] = "is an end-entity certificate with basic constraints cA=TRUE",
            ["webpki::eku::root-has-eku"] = "is a root CA with an extended key usage",
            ["webpki::san::public-suffix-wildcard-san"] = "does not carry the name 'example.com' (its names: DNS:*.com)",
            ["webpki::san::public-suffix-multi-label-wildcard-san"] = "over the public suffix 'co.uk'",
            ["webpki::san::public-suffix-private-namespace-wildcard-san"] = "over the public suffix 's3.amazonaws.com'",
            ["rfc5280::nc::invalid-dnsname-leading-period"] = "with a leading period (name-constraints check)",
            ["webpki::cn::ipv4-hex-mismatch"] = "has the common name '0xC0A80101', which is written differently",
        };

        var outcomes = RunSuite(t => expected.ContainsKey(t.GetProperty("id").GetString()!), _ => ValidationProfile.WebPki);

        Assert.Equal(expected.Count, outcomes.Count);
        Assert.All(outcomes, o =>
        {
            Assert.True(o.Actual == "FAILURE", $"{o.Id}: got {o.Actual}: {o.Reason}");
            Assert.True(o.Reason.Contains(expected[o.Id], StringComparison.Ordinal), $"{o.Id}: {o.Reason}");
        });
    }
}
