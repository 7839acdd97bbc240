using System.Globalization;
using System.Text;
using EnvoyLens.Admin;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.TestKit;

namespace EnvoyLens.Decoding.Tests.Stats;

/// <summary>How the stats documents of one snapshot become its stats sample and the earlier one.</summary>
public sealed class StatsSamplesTests
{
    private const string Counter = "cluster.outbound|9080||reviews.default.svc.cluster.local.upstream_cx_connect_fail";
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddSeconds(10);

    private static RawDocument Json(string source, double value, DateTimeOffset? at = null) =>
        new(AdminEndpoint.Stats, source, Encoding.UTF8.GetBytes(
            "{\"stats\":[{\"name\":\"" + Counter + "\",\"value\":" + value.ToString(CultureInfo.InvariantCulture) + "}]}"), at);

    private static RawDocument Text(string source, double value, DateTimeOffset? at = null) =>
        new(AdminEndpoint.Stats, source, Encoding.UTF8.GetBytes(Counter + ": " + value.ToString(CultureInfo.InvariantCulture) + "\n"), at);

    private static RawDocument Prometheus(string source, double value, DateTimeOffset? at = null) =>
        new(AdminEndpoint.StatsPrometheus, source, Encoding.UTF8.GetBytes(
            "# TYPE envoy_cluster_upstream_cx_connect_fail counter\n" +
            "envoy_cluster_upstream_cx_connect_fail{envoy_cluster_name=\"outbound|9080||reviews.default.svc.cluster.local\"} " +
            value.ToString(CultureInfo.InvariantCulture) + "\n"), at);

    private static EnvoySnapshot Decode(DateTimeOffset? capturedAt, params RawDocument[] documents) =>
        SnapshotDecoder.Decode(new RawSnapshot("b", documents, capturedAt));

    private static double? Value(StatsSnapshot stats) =>
        stats.Stats.Single(s => s.Name.EndsWith("upstream_cx_connect_fail", StringComparison.Ordinal)).Value;

    private static IEnumerable<DecodeDiagnostic> Notes(EnvoySnapshot snapshot) =>
        snapshot.Diagnostics.Where(d => d.Code == DiagnosticCodes.Interpretation);

    [Fact]
    public void Given_two_samples_listed_latest_first_with_times_When_decoded_Then_the_later_is_the_stats_and_the_other_is_earlier()
    {
        // A manifest lists files sorted by path, so stats.2.json comes before stats.json.
        var snapshot = Decode(T0, Json("b/stats.2.json", 15, T1), Json("b/stats.json", 5, T0));

        var stats = snapshot.Stats!;
        Assert.Equal("b/stats.2.json", stats.Source);
        Assert.Equal(15, Value(stats));
        Assert.Equal(T1, stats.CapturedAt);
        Assert.Equal("b/stats.json", stats.Earlier!.Source);
        Assert.Equal(5, Value(stats.Earlier));
        Assert.Equal(T0, stats.Earlier.CapturedAt);
        Assert.Null(stats.Earlier.Earlier);
        var note = Assert.Single(Notes(snapshot));
        Assert.Equal(DiagnosticLevel.Info, note.Level);
        Assert.Equal("b/stats.2.json is the latest of 2 stats samples and b/stats.json the one before it (10s earlier), so counters are read as increases between the two.", note.Message);
    }

    [Fact]
    public void Given_capture_times_that_contradict_the_file_names_When_decoded_Then_the_times_decide()
    {
        var snapshot = Decode(null, Json("b/stats.json", 9, T1), Json("b/stats.2.json", 2, T0));

        Assert.Equal("b/stats.json", snapshot.Stats!.Source);
        Assert.Equal("b/stats.2.json", snapshot.Stats.Earlier!.Source);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Given_two_samples_without_file_times_When_decoded_Then_the_file_names_order_them_and_no_time_is_claimed(bool reversed)
    {
        RawDocument[] documents = [Json("b/stats.json", 5), Json("b/stats.2.json", 15)];
        if (reversed)
        {
            Array.Reverse(documents);
        }

        var stats = Decode(T0, documents).Stats!;

        Assert.Equal("b/stats.2.json", stats.Source);
        Assert.Equal("b/stats.json", stats.Earlier!.Source);
        Assert.Null(stats.CapturedAt);
        Assert.Null(stats.Earlier.CapturedAt);
    }

    [Fact]
    public void Given_three_samples_When_decoded_Then_the_last_two_are_used_and_the_note_says_the_oldest_is_not()
    {
        var snapshot = Decode(null, Json("b/stats.json", 1, T0), Json("b/stats.3.json", 30, T0.AddSeconds(20)), Json("b/stats.2.json", 20, T1));

        Assert.Equal("b/stats.3.json", snapshot.Stats!.Source);
        Assert.Equal("b/stats.2.json", snapshot.Stats.Earlier!.Source);
        Assert.EndsWith("; the older samples are not used.", Assert.Single(Notes(snapshot)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Given_text_and_Prometheus_forms_of_one_capture_When_decoded_Then_one_sample_in_the_typed_form_and_an_info_says_so(bool prometheusFirst)
    {
        RawDocument[] documents = [Text("b/stats.txt", 7, T0), Prometheus("b/stats_prometheus.txt", 7, T0)];
        if (prometheusFirst)
        {
            Array.Reverse(documents);
        }

        var snapshot = Decode(T0, documents);

        Assert.Equal("prometheus", snapshot.Stats!.Format);
        Assert.Null(snapshot.Stats.Earlier);
        Assert.Equal(T0, snapshot.Stats.CapturedAt);
        var note = Assert.Single(Notes(snapshot));
        Assert.Equal(DiagnosticLevel.Info, note.Level);
        Assert.Equal("b/stats_prometheus.txt", note.Source);
        Assert.Equal("b/stats_prometheus.txt (prometheus) and b/stats.txt (text) are one stats sample in 2 forms; the prometheus form is used (its stats are typed), the other is not.", note.Message);
    }

    [Fact]
    public void Given_JSON_and_Prometheus_forms_without_times_When_decoded_Then_the_JSON_form_is_used()
    {
        var snapshot = Decode(null, Prometheus("b/stats_prometheus.txt", 7), Json("b/stats.json", 7));

        Assert.Equal("json", snapshot.Stats!.Format);
        Assert.Equal("b/stats.json", snapshot.Stats.Source);
        Assert.Null(snapshot.Stats.Earlier);
        Assert.Contains("the json form is used", Assert.Single(Notes(snapshot)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_forms_captured_at_different_times_When_decoded_Then_they_are_two_samples()
    {
        var snapshot = Decode(null, Prometheus("b/stats_prometheus.txt", 7, T1), Json("b/stats.json", 3, T0));

        Assert.Equal("prometheus", snapshot.Stats!.Format);
        Assert.Equal("json", snapshot.Stats.Earlier!.Format);
    }

    [Fact]
    public void Given_two_samples_where_only_the_first_has_both_forms_When_decoded_Then_the_earlier_uses_the_latest_ones_form()
    {
        var snapshot = Decode(null,
            Json("b/stats.json", 4, T0),
            Prometheus("b/stats_prometheus.txt", 4, T0),
            Prometheus("b/stats_prometheus.2.txt", 9, T1));

        Assert.Equal("b/stats_prometheus.2.txt", snapshot.Stats!.Source);
        Assert.Equal("b/stats_prometheus.txt", snapshot.Stats.Earlier!.Source);
        Assert.Equal(4, Value(snapshot.Stats.Earlier));
        Assert.Equal(2, Notes(snapshot).Count());
        Assert.Contains(Notes(snapshot), n => n.Message.Contains("the prometheus form is used (the form of the latest sample)", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_one_stats_document_When_decoded_Then_its_own_time_is_kept_else_the_snapshots_and_nothing_is_noted()
    {
        var own = Decode(T0, Json("b/stats.json", 1, T1));
        var inherited = Decode(T0, Json("b/stats.json", 1));

        Assert.Equal(T1, own.Stats!.CapturedAt);
        Assert.Equal(T0, inherited.Stats!.CapturedAt);
        Assert.Null(own.Stats.Earlier);
        Assert.Empty(Notes(own));
        Assert.Empty(Notes(inherited));
    }

    [Fact]
    public void Given_an_unreadable_second_sample_When_decoded_Then_it_is_reported_and_the_readable_one_stands_alone()
    {
        var broken = new RawDocument(AdminEndpoint.Stats, "b/stats.2.json", Encoding.UTF8.GetBytes("{\"stats\": [ {"), T1);

        var snapshot = Decode(null, Json("b/stats.json", 5, T0), broken);

        Assert.Equal("b/stats.json", snapshot.Stats!.Source);
        Assert.Null(snapshot.Stats.Earlier);
        Assert.Contains(snapshot.Diagnostics, d => d.Code == DiagnosticCodes.UnreadableDocument && d.Source == "b/stats.2.json");
    }

    [Fact]
    public void Given_a_capture_with_a_config_dump_and_two_samples_When_only_stats_are_decoded_Then_the_same_choice_is_made()
    {
        var raw = new RawSnapshot("b", [
            Json("b/stats.2.json", 15, T1),
            new RawDocument(AdminEndpoint.ConfigDump, "b/config_dump.json", "{\"configs\": []}"u8.ToArray()),
            Json("b/stats.json", 5, T0)]);

        var stats = SnapshotDecoder.DecodeStats(raw)!;

        Assert.Equal("b/stats.2.json", stats.Source);
        Assert.Equal("b/stats.json", stats.Earlier!.Source);
        Assert.Null(SnapshotDecoder.DecodeStats(new RawSnapshot("c", [raw.Documents[1]])));
    }

    [Theory]
    [InlineData("b/stats.json", 1)]
    [InlineData("b/stats.2.json", 2)]
    [InlineData("b\\stats.12.txt", 12)]
    [InlineData("x.tar.gz/stats_prometheus.3.txt", 3)]
    [InlineData("http://127.0.0.1:15000/stats?format=json", 1)]
    [InlineData("bundle.v2/stats.json", 1)]
    [InlineData("stats.0.json", 1)]
    public void Given_a_source_name_When_its_sample_number_is_read_Then_it_comes_from_the_file_name(string source, int expected) =>
        Assert.Equal(expected, StatsSamples.SampleNumber(source));

    [Fact]
    public void Given_the_reviews_bundle_with_text_and_Prometheus_stats_When_decoded_Then_one_Prometheus_sample_and_the_choice_is_said()
    {
        var bundle = TestPaths.Fixture("snapshots", "reviews");

        var snapshot = SnapshotDecoder.Decode(BundleReader.ReadDirectory(bundle));

        Assert.Equal("prometheus", snapshot.Stats!.Format);
        Assert.Null(snapshot.Stats.Earlier);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), snapshot.Stats.CapturedAt);
        var note = Assert.Single(Notes(snapshot), d => d.Source.EndsWith("stats_prometheus.txt", StringComparison.Ordinal));
        Assert.Contains("stats.txt (text)", note.Message, StringComparison.Ordinal);
    }
}
