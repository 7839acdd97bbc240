using EnvoyLens.Admin;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Model;
using EnvoyLens.TestKit;

namespace EnvoyLens.Certs.Tests;

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>The fixtures' capture instant.</summary>
    public static DateTimeOffset FixtureInstant { get; } = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public static FixedClock FixtureNow { get; } = new(FixtureInstant);

    public override DateTimeOffset GetUtcNow() => now;
}

internal static class Pki
{
    /// <summary>One certificate of <c>fixtures/pki/variants/NAME.pem</c>.</summary>
    public static CertificateInfo Variant(string name) => Single(TestPaths.Fixture("pki", "variants", name + ".pem"));

    /// <summary>One certificate of <c>fixtures/pki/NAME</c> (first block).</summary>
    public static CertificateInfo File(string name) => CertificateReader.ReadFile(TestPaths.Fixture("pki", name)).Certificates[0];

    public static IReadOnlyList<CertificateInfo> Decoys(string prefix) =>
        Directory.GetFiles(TestPaths.Fixture("pki", "variants", "decoys"), prefix + "*.pem").Order(StringComparer.Ordinal).Select(Single).ToList();

    private static CertificateInfo Single(string path)
    {
        var read = CertificateReader.ReadFile(path);
        Assert.Empty(read.Problems);
        return Assert.Single(read.Certificates);
    }
}

internal static class Snapshots
{
    public static string Reviews => TestPaths.Fixture("snapshots", "reviews");

    public static EnvoySnapshot Decode(string path) => SnapshotDecoder.Decode(SnapshotSources.Open(path));

    /// <summary>A capture of the files of one folder.</summary>
    public static (RawSnapshot Raw, EnvoySnapshot Snapshot) Folder(string folder)
    {
        var documents = Directory.GetFiles(folder).Order(StringComparer.Ordinal).SelectMany(f => SnapshotSources.Open(f).Documents).ToList();
        var raw = new RawSnapshot(folder, documents);
        return (raw, SnapshotDecoder.Decode(raw));
    }
}
