using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Views;
using static EnvoyLens.Reporting.Tests.TestModel;

namespace EnvoyLens.Reporting.Tests;

public sealed class SecretsViewTests
{
    private static readonly DateTimeOffset RootFrom = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset RootUntil = new(2034, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LeafFrom = new(2025, 5, 15, 1, 30, 52, TimeSpan.Zero);
    private static readonly DateTimeOffset LeafUntil = new(2025, 5, 16, 1, 32, 52, TimeSpan.Zero);

    private static readonly (string Leaf, string Root) Pems = MakeChain();

    private static (string Leaf, string Root) MakeChain()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootReq = new CertificateRequest("O=cluster.local", rootKey, HashAlgorithmName.SHA256);
        rootReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootReq.CreateSelfSigned(RootFrom, RootUntil);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafReq = new CertificateRequest("O=workload", leafKey, HashAlgorithmName.SHA256);
        using var leaf = leafReq.Create(root, LeafFrom, LeafUntil, [0x00, 0x6f, 0xbe, 0xe2, 0x54]);
        return (leaf.ExportCertificatePem(), root.ExportCertificatePem());
    }

    private sealed class At(DateTimeOffset instant) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => instant;
    }

    private static Secret Secret(string name, SecretType type, IReadOnlyList<string> chain, IReadOnlyList<string> trusted, ResourceState state = ResourceState.Active) =>
        new(Meta(ResourceKind.Secret, name, ResourceOrigin.Dynamic, state), type, chain, trusted, [], type == SecretType.TlsCertificate, JsonPointer.Root);

    private static EnvoySnapshot Proxy() => Snapshot(secrets:
    [
        Secret("default", SecretType.TlsCertificate, [Pems.Leaf + "\n" + Pems.Root], []),
        Secret("ROOTCA", SecretType.ValidationContext, [], [Pems.Root]),
        Secret("configmap://some/thing", SecretType.Unknown, [], [], ResourceState.Warming),
    ]);

    [Fact]
    public void Given_a_chain_of_two_When_built_Then_every_certificate_has_a_row_and_warming_secrets_come_first()
    {
        var table = SecretsView.Build(Proxy(), new At(new DateTimeOffset(2025, 5, 15, 12, 0, 0, TimeSpan.Zero)));

        Assert.Equal(["RESOURCE NAME", "TYPE", "STATUS", "VALID CERT", "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE"], table.Columns.Select(c => c.Header));
        var rows = table.TextRows;
        Assert.Equal(4, rows.Count);
        Assert.Equal(["configmap://some/thing", "", "WARMING", "false", "", "", ""], rows[0]);
        Assert.Equal(["default", "Cert Chain", "ACTIVE", "true", "6fbee254", "2025-05-16T01:32:52Z", "2025-05-15T01:30:52Z"], rows[1]);
        Assert.Equal(["default", "Cert Chain", "ACTIVE", "true"], rows[2].Take(4));
        Assert.Equal(["2034-01-01T00:00:00Z", "2024-01-01T00:00:00Z"], rows[2].Skip(5));
        Assert.Equal(rows[2].Skip(4), rows[3].Skip(4));
        Assert.Equal(["ROOTCA", "CA", "ACTIVE", "true"], rows[3].Take(4));
    }

    [Fact]
    public void Given_an_instant_after_the_leaf_expired_When_built_Then_valid_cert_is_false_for_the_leaf_only()
    {
        var rows = SecretsView.Build(Proxy(), new At(LeafUntil.AddSeconds(1))).TextRows;

        Assert.Equal("false", rows[1][3]);
        Assert.Equal("true", rows[2][3]);
    }

    [Fact]
    public void Given_an_instant_before_not_before_When_built_Then_valid_cert_is_false()
    {
        var rows = SecretsView.Build(Proxy(), new At(RootFrom.AddDays(-1))).TextRows;

        Assert.All(rows, r => Assert.Equal("false", r[3]));
    }

    [Fact]
    public void Given_a_pem_block_that_is_not_a_certificate_When_built_Then_the_row_says_invalid_and_the_view_goes_on()
    {
        const string garbage = "-----BEGIN CERTIFICATE-----\nAAECAwQ=\n-----END CERTIFICATE-----\n";
        var snapshot = Snapshot(secrets: [Secret("bad", SecretType.TlsCertificate, [garbage + Pems.Root + "\n"], [])]);

        var rows = SecretsView.Build(snapshot, new At(RootFrom.AddDays(1))).TextRows;

        Assert.Equal(["bad", "Cert Chain", "ACTIVE", "false", "<invalid>", "", ""], rows[0]);
        Assert.Equal("true", rows[1][3]);
    }
}
