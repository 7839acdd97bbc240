using System.Globalization;
using BenchmarkDotNet.Attributes;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Fixtures.Pki;

namespace EnvoyLens.Benchmarks;

/// <summary>
/// Path validation throughput: 10,000 chains (workload leaf + intermediate, to the test root) through
/// <see cref="PathValidator.Verify"/>, each call building its own state. The chains are built once in setup from the
/// deterministic test PKI: 500 distinct workload leaves, cycled, and every 50th request an invalid one (expired, not yet
/// valid, or from the unrelated root), so 2% take the failure paths. Reported per chain (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class CertBenchmarks
{
    private const int Chains = 10_000;
    private const int DistinctLeaves = 500;
    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private VerifyRequest[] _requests = null!;

    [GlobalSetup]
    public void Setup()
    {
        var pki = TestPki.Create();
        CertificateInfo Read(string pem, string origin) => CertificateReader.ReadPem(pem, origin).Certificates.Single();
        var root = Read(pki.Root.CertificatePem, "root");
        var intermediate = Read(pki.Intermediate.CertificatePem, "intermediate");
        IReadOnlyList<CertificateInfo> roots = [root];
        IReadOnlyList<CertificateInfo> intermediates = [intermediate];

        var valid = Enumerable.Range(0, DistinctLeaves)
            .Select(i => pki.IssueWorkload(string.Create(CultureInfo.InvariantCulture, $"ns-{i % 25}"), string.Create(CultureInfo.InvariantCulture, $"sa-{i}")))
            .Select(c => Read(c.CertificatePem, c.Name))
            .ToArray();
        var invalid = new[]
        {
            pki.IssueExpiredWorkload("default", "bench-expired"),
            pki.IssueNotYetValidWorkload("default", "bench-future"),
            pki.IssueWorkloadFromUnrelatedRoot("default", "bench-foreign"),
        }.Select(c => Read(c.CertificatePem, c.Name)).ToArray();

        _requests = new VerifyRequest[Chains];
        for (var i = 0; i < Chains; i++)
        {
            var leaf = i % 50 == 49 ? invalid[i / 50 % invalid.Length] : valid[i % valid.Length];
            _requests[i] = new VerifyRequest(leaf, roots, intermediates, At, CertificatePurpose.Server);
        }

        var failures = _requests.Count(r => !PathValidator.Verify(r).Valid);
        if (failures != Chains / 50)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Expected {Chains / 50} invalid chains, got {failures}."));
        }
    }

    /// <summary>Validates every chain; returns the number of valid ones so the work cannot be elided.</summary>
    [Benchmark(OperationsPerInvoke = Chains)]
    public int Verify10000Chains()
    {
        var valid = 0;
        foreach (var request in _requests)
        {
            if (PathValidator.Verify(request).Valid)
            {
                valid++;
            }
        }

        return valid;
    }
}
