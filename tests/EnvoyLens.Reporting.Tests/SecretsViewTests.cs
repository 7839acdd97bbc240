using EnvoyLens.Core;
using EnvoyLens.Fixtures.Pki;
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

    private static readonly PkiBuilder Builder = new("secrets-view-tests");

    private static readonly (string Leaf, string Root) Pems = MakeChain();

    private static (string Leaf, string Root) MakeChain()
    {
        var root = Builder.Certificate("root").Subject("O=cluster.local").BasicConstraints(true).Valid(RootFrom, RootUntil).Issue();
        var leaf = Builder.Certificate("leaf").Subject("O=workload").IssuedBy(root).Serial([0x00, 0x6f, 0xbe, 0xe2, 0x54]).Valid(LeafFrom, LeafUntil).Issue();
        return (leaf.CertificatePem, root.CertificatePem);
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

    private static (string Pem, string Serial) Spire(string trustDomain, byte[] serial)
    {
        var ca = Builder.Certificate("spire/" + trustDomain + "/" + Convert.ToHexStringLower(serial)).Subject("O=SPIRE").BasicConstraints(true)
            .Uris("spiffe://" + trustDomain).Serial(serial).Valid(RootFrom, RootUntil).Issue();
        return (ca.CertificatePem, Convert.ToHexStringLower(serial));
    }

    private static Secret WithBundles(string name, params (string Domain, string? Pem)[] bundles) =>
        Secret(name, SecretType.ValidationContext, [], []) with
        {
            SpiffeTrustBundles = bundles.Select(b => new SpiffeTrustBundle(b.Domain, b.Pem, JsonPointer.Root)).ToList(),
        };

    [Fact]
    public void Given_a_chain_of_two_When_built_Then_each_secret_is_one_row_with_its_first_certificate_and_warming_secrets_come_first()
    {
        var table = SecretsView.Build(Proxy(), new At(new DateTimeOffset(2025, 5, 15, 12, 0, 0, TimeSpan.Zero)));

        Assert.Equal(["RESOURCE NAME", "TYPE", "STATUS", "VALID CERT", "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE", "CHAIN"], table.Columns.Select(c => c.Header));
        var rows = table.TextRows;
        Assert.Equal(3, rows.Count);
        Assert.Equal(["configmap://some/thing", "", "WARMING", "false", "", "", "", "0"], rows[0]);
        Assert.Equal(["default", "Cert Chain", "ACTIVE", "true", "6fbee254", "2025-05-16T01:32:52Z", "2025-05-15T01:30:52Z", "2 VALID"], rows[1]);
        Assert.Equal(["ROOTCA", "CA", "ACTIVE", "true"], rows[2].Take(4));
        Assert.Equal(["2034-01-01T00:00:00Z", "2024-01-01T00:00:00Z", "1 VALID"], rows[2].Skip(5));
    }

    [Fact]
    public void Given_chain_When_built_Then_every_certificate_has_a_row_with_its_position()
    {
        var table = SecretsView.Build(Proxy(), new At(new DateTimeOffset(2025, 5, 15, 12, 0, 0, TimeSpan.Zero)), chain: true);

        Assert.Equal("POSITION", table.Columns[^1].Header);
        var rows = table.TextRows;
        Assert.Equal(4, rows.Count);
        Assert.Equal(["configmap://some/thing", "", "WARMING", "false", "", "", "", "-"], rows[0]);
        Assert.Equal(["default", "6fbee254", "0"], [rows[1][0], rows[1][4], rows[1][7]]);
        Assert.Equal(["default", "2034-01-01T00:00:00Z", "1"], [rows[2][0], rows[2][5], rows[2][7]]);
        Assert.Equal(rows[2].Skip(4).Take(3), rows[3].Skip(4).Take(3)); // the chain's root is the ROOTCA certificate
        Assert.Equal(["ROOTCA", "0"], [rows[3][0], rows[3][7]]);
    }

    [Fact]
    public void Given_an_instant_after_the_leaf_expired_When_built_Then_valid_cert_is_false_and_the_chain_is_expired()
    {
        var rows = SecretsView.Build(Proxy(), new At(LeafUntil.AddSeconds(1))).TextRows;

        Assert.Equal("false", rows[1][3]);
        Assert.Equal("2 EXPIRED", rows[1][7]);
        Assert.Equal("true", rows[2][3]);
    }

    [Fact]
    public void Given_an_instant_before_not_before_When_built_Then_valid_cert_is_false()
    {
        var rows = SecretsView.Build(Proxy(), new At(RootFrom.AddDays(-1))).TextRows;

        Assert.All(rows, r => Assert.Equal("false", r[3]));
        Assert.Equal("1 NOT YET VALID", rows[2][7]);
    }

    [Fact]
    public void Given_a_pem_block_that_is_not_a_certificate_When_built_Then_the_row_says_invalid_and_the_chain_counts_it()
    {
        const string garbage = "-----BEGIN CERTIFICATE-----\nAAECAwQ=\n-----END CERTIFICATE-----\n";
        var snapshot = Snapshot(secrets: [Secret("bad", SecretType.TlsCertificate, [garbage + Pems.Root + "\n"], [])]);

        var table = SecretsView.Build(snapshot, new At(RootFrom.AddDays(1)));

        Assert.Equal(["bad", "Cert Chain", "ACTIVE", "false", "<invalid>", "", "", "2 INVALID"], table.TextRows[0]);
        Assert.Equal(new[] { "INVALID", "VALID" }, (IEnumerable<string>)table.Rows[0][7].Value!);
        Assert.Equal("true", SecretsView.Build(snapshot, new At(RootFrom.AddDays(1)), chain: true).TextRows[1][3]);
    }

    [Fact]
    public void Given_a_serial_whose_first_byte_is_below_16_When_built_Then_its_leading_zero_is_printed()
    {
        var (pem, _) = Spire("cluster.local", [0x01, 0x93, 0xa5, 0x43]);
        var snapshot = Snapshot(secrets: [Secret("ROOTCA", SecretType.ValidationContext, [], [pem])]);

        var rows = SecretsView.Build(snapshot, new At(RootFrom.AddDays(1))).TextRows;

        Assert.Equal("0193a543", rows[0][4]);
    }

    [Fact]
    public void Given_a_SPIFFE_validator_with_two_trust_domains_When_built_Then_each_domain_is_a_ROOTCA_row_with_its_trust_domain()
    {
        var east = Spire("east.local", [0x52, 0x9c, 0xbb]);
        var west = Spire("west.local", [0x67, 0x26, 0xe5]);
        var snapshot = Snapshot(secrets:
        [
            Secret("default", SecretType.TlsCertificate, [Pems.Leaf], []),
            WithBundles("ROOTCA", ("east.local", east.Pem + "\n" + west.Pem + "\n"), ("west.local", west.Pem)),
        ]);

        var table = SecretsView.Build(snapshot, new At(RootFrom.AddDays(1)));

        // The default secret's leaf has no spiffe:// URI, so not every row has a trust domain: as istioctl does, no column.
        Assert.DoesNotContain(table.Columns, c => c.Header == "TRUST DOMAIN");
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal(["ROOTCA", "CA", "ACTIVE", "true", east.Serial], table.TextRows[1].Take(5));
        Assert.Equal("2 VALID", table.TextRows[1][7]);
        Assert.Equal(["ROOTCA", "CA", "ACTIVE", "true", west.Serial], table.TextRows[2].Take(5));

        var spireOnly = SecretsView.Build(Snapshot(secrets: [WithBundles("ROOTCA", ("east.local", east.Pem), ("west.local", west.Pem), ("nowhere.local", null))]), new At(RootFrom.AddDays(1)));

        Assert.Equal(["RESOURCE NAME", "TYPE", "STATUS", "VALID CERT", "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE", "TRUST DOMAIN", "CHAIN"], spireOnly.Columns.Select(c => c.Header));
        Assert.Equal(["east.local", "west.local", "nowhere.local"], spireOnly.TextRows.Select(r => r[7]));
        Assert.Equal(["ROOTCA", "CA", "ACTIVE", "false", "", "", "", "nowhere.local", "0"], spireOnly.TextRows[2]);
    }
}
