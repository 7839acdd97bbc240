using System.Globalization;
using System.Text.Json;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Validation;
using EnvoyLens.TestKit;
using Xunit.Abstractions;

namespace EnvoyLens.Certs.Tests;

/// <summary>
/// The x509-limbo suite (../shared/x509-limbo/limbo.json, read in place) through the engine of <c>certs verify</c>: every
/// case without the has-crl or max-chain-depth features and outside conflicts_with pairs (189 cases). pyca/cryptography 48
/// gets 140 of those right; the figure is printed and must be beaten.
/// </summary>
public sealed class LimboConformanceTests(ITestOutputHelper output)
{
    private const int PycaCryptography48 = 140;

    private static string? LimboFile
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, "..", "shared", "x509-limbo", "limbo.json"));
            return File.Exists(path) ? path : null;
        }
    }

    private sealed record Outcome(string Id, bool Expected, bool Actual, string Reason);

    private static IReadOnlyList<Outcome> RunSuite()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(LimboFile!));
        var outcomes = new List<Outcome>();
        foreach (var t in json.RootElement.GetProperty("testcases").EnumerateArray())
        {
            var features = t.GetProperty("features").EnumerateArray().Select(f => f.GetString()).ToList();
            if (features.Contains("has-crl") || features.Contains("max-chain-depth") || t.GetProperty("conflicts_with").GetArrayLength() > 0)
            {
                continue;
            }

            var id = t.GetProperty("id").GetString()!;
            var expected = t.GetProperty("expected_result").GetString() == "SUCCESS";
            var (actual, reason) = Run(t, id);
            outcomes.Add(new Outcome(id, expected, actual, reason));
        }

        return outcomes;
    }

    private static (bool, string) Run(JsonElement t, string id)
    {
        static IReadOnlyList<CertificateInfo> Read(IEnumerable<JsonElement> pems, string origin) =>
            pems.SelectMany(p => CertificateReader.ReadPem(p.GetString()!, origin).Certificates).ToList();

        var peer = CertificateReader.ReadPem(t.GetProperty("peer_certificate").GetString()!, id);
        if (peer.Certificates.Count == 0)
        {
            return (false, peer.Problems.FirstOrDefault()?.Message ?? "unreadable peer certificate");
        }

        var roots = Read(t.GetProperty("trusted_certs").EnumerateArray(), id + " trusted");
        var intermediates = Read(t.GetProperty("untrusted_intermediates").EnumerateArray(), id + " untrusted");
        var at = t.GetProperty("validation_time").ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(t.GetProperty("validation_time").GetString()!, CultureInfo.InvariantCulture)
            : FixedClock.FixtureInstant;
        var ekus = t.GetProperty("extended_key_usage").EnumerateArray().Select(e => e.GetString()).ToList();
        var purpose = ekus.Contains("serverAuth") ? CertificatePurpose.Server
            : ekus.Contains("clientAuth") ? CertificatePurpose.Client
            : t.GetProperty("validation_kind").GetString() == "CLIENT" ? CertificatePurpose.Client : CertificatePurpose.Server;
        string? name = t.GetProperty("expected_peer_name") is { ValueKind: JsonValueKind.Object } n ? n.GetProperty("value").GetString() : null;

        var result = PathValidator.Verify(new VerifyRequest(peer.Certificates[0], roots, intermediates, at, purpose, name));
        if (result.Valid && t.GetProperty("key_usage").EnumerateArray().Any(k => k.GetString() == "digitalSignature") &&
            peer.Certificates[0].KeyUsage is { } usage && !usage.HasFlag(KeyUsageFlags.DigitalSignature))
        {
            return (false, "the leaf lacks the digitalSignature key usage");
        }

        return (result.Valid, result.Reason);
    }

    [SkippableFact]
    public void Given_the_x509_limbo_suite_When_every_eligible_case_is_verified_Then_more_are_right_than_pyca_cryptography_48()
    {
        Skip.If(LimboFile is null, "../shared/x509-limbo/limbo.json is not present");

        var outcomes = RunSuite();

        var right = outcomes.Count(o => o.Expected == o.Actual);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"x509-limbo: {right} of {outcomes.Count} eligible cases right (pyca/cryptography 48: {PycaCryptography48})."));
        foreach (var wrong in outcomes.Where(o => o.Expected != o.Actual).OrderBy(o => o.Id, StringComparer.Ordinal))
        {
            output.WriteLine($"  wrong: {wrong.Id} expected {(wrong.Expected ? "SUCCESS" : "FAILURE")}: {(wrong.Reason.Length > 200 ? wrong.Reason[..200] + "..." : wrong.Reason)}");
        }

        Assert.Equal(189, outcomes.Count);
        Assert.True(right > PycaCryptography48, string.Create(CultureInfo.InvariantCulture, $"{right} of {outcomes.Count} right, not more than pyca/cryptography's {PycaCryptography48}."));
    }
}
