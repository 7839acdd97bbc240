using System.Text;
using EnvoyLens.TestKit;

namespace EnvoyLens.Diff.Tests;

/// <summary>
/// The text output for each authored pair under fixtures/diff matches its expected.txt. Refresh with
/// <c>ENVOYLENS_UPDATE_GOLDEN=1 dotnet test tests/EnvoyLens.Diff.Tests</c> and review the change.
/// </summary>
public sealed class GoldenFixtureTests
{
    public static TheoryData<string> Cases => new(Directory.GetDirectories(TestPaths.Fixture("diff")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_an_authored_pair_When_diffed_Then_the_text_output_matches_the_golden_file(string name)
    {
        var text = Render(name);

        var golden = TestPaths.Fixture("diff", name, "expected.txt");
        if (Environment.GetEnvironmentVariable("ENVOYLENS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, text, new UTF8Encoding(false));
        }

        Assert.Equal(File.ReadAllText(golden).ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Given_the_noise_only_pair_When_diffed_Then_no_difference_is_reported()
    {
        var changes = Changes("noise-only");

        Assert.True(changes.IsEmpty, Captures.Text(changes));
    }

    [Fact]
    public void Given_the_weighted_shift_pair_When_diffed_Then_the_new_share_is_said_in_words() =>
        Assert.Contains("route `reviews` now sends 20% to subset v3 of reviews.default.svc.cluster.local (was 0%)", Changes("weighted-shift").Summaries);

    [Fact]
    public void Given_the_outlier_pair_When_diffed_Then_the_lost_outlier_detection_and_timeout_are_said_in_words()
    {
        var summaries = Changes("outlier-lost").Summaries;

        Assert.Contains("cluster `outbound|9080||ratings.default.svc.cluster.local` lost its outlier detection", summaries);
        Assert.Contains("cluster `outbound|9080||ratings.default.svc.cluster.local` connect_timeout changed from 10s to 5s", summaries);
    }

    [Fact]
    public void Given_the_rbac_pair_When_diffed_Then_the_gained_deny_policy_is_said_in_words() =>
        Assert.Contains("listener `0.0.0.0_15006` gained an RBAC DENY policy", Changes("rbac-gained").Summaries);

    [Fact]
    public void Given_the_endpoint_pair_When_diffed_Then_added_and_removed_endpoints_are_named() =>
        Assert.Contains(
            "cluster `outbound|9080||ratings.default.svc.cluster.local` gained 2 endpoints (10.244.3.4:9080, 10.244.3.5:9080) and lost 1 endpoint (10.244.1.7:9080)",
            Changes("endpoints-moved").Summaries);

    [Fact]
    public void Given_a_rotated_certificate_When_diffed_Then_it_is_reported_by_serial_and_expiry_not_bytes()
    {
        var change = Assert.Single(Changes("secret-rotated").Changes);

        Assert.Equal(ChangeType.Rotated, change.Type);
        Assert.Equal("/tls_certificate/certificate_chain/inline_bytes", change.Path);
        Assert.Matches("^serial [0-9a-f]+, expires \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ( \\(\\+\\d+ more\\))?$", change.Old);
        Assert.Matches("^serial [0-9a-f]+, expires \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ( \\(\\+\\d+ more\\))?$", change.New);
        Assert.NotEqual(change.Old, change.New);
    }

    [Fact]
    public void Given_an_ignore_glob_When_it_covers_the_only_change_Then_nothing_is_reported()
    {
        var options = new DiffOptions { Ignore = ["/filter_chains/*/filters/envoy.filters.network.rbac"] };

        Assert.True(Changes("rbac-gained", options).IsEmpty);
        Assert.True(Changes("outlier-lost", new DiffOptions { Ignore = ["**/outlier_detection", "/connect_timeout"] }).IsEmpty);
    }

    [Fact]
    public void Given_a_kind_filter_or_no_eds_When_diffing_Then_other_kinds_are_left_out()
    {
        Assert.True(Changes("endpoints-moved", new DiffOptions { IncludeEndpoints = false }).IsEmpty);
        Assert.True(Changes("outlier-lost", new DiffOptions { Kinds = new HashSet<Core.ResourceKind> { Core.ResourceKind.Listener } }).IsEmpty);
        Assert.False(Changes("outlier-lost", new DiffOptions { Kinds = new HashSet<Core.ResourceKind> { Core.ResourceKind.Cluster } }).IsEmpty);
    }

    private static ChangeSet Changes(string name, DiffOptions? options = null) =>
        SnapshotDiffer.Diff(Read(name, "before.json"), Read(name, "after.json"), options);

    private static string Render(string name) => Captures.Text(Changes(name));

    private static Model.CanonicalSnapshot Read(string name, string file) =>
        Captures.FromJson(File.ReadAllText(TestPaths.Fixture("diff", name, file)), $"fixtures/diff/{name}/{file}");
}
