using System.Text;
using EnvoyLens.Core;
using EnvoyLens.TestKit;

namespace EnvoyLens.Admin.Tests;

/// <summary>Admin outputs saved one by one (several files, or a folder without manifest.json) are read as one capture.</summary>
public sealed class LooseFilesTests : IDisposable
{
    private static readonly string Reviews = TestPaths.Fixture("snapshots", "reviews");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Copy(string member, string? name = null)
    {
        var path = _temp.File(name ?? member);
        File.Copy(Path.Combine(Reviews, member), path);
        return path;
    }

    [Fact]
    public void Given_a_config_dump_stats_and_certs_saved_apart_When_opened_together_Then_each_file_is_one_document_of_its_endpoint()
    {
        string[] files = [Copy("config_dump.json", "dump.json"), Copy("stats.txt", "envoy-stats"), Copy("certs.json", "c.json")];

        var snapshot = SnapshotSources.OpenFiles(files);

        Assert.Equal([AdminEndpoint.ConfigDump, AdminEndpoint.Stats, AdminEndpoint.Certs], snapshot.Documents.Select(d => d.Endpoint));
        Assert.Equal(files, snapshot.Documents.Select(d => d.Source));
        Assert.Equal(File.ReadAllBytes(files[1]), snapshot.Documents[1].Content);
    }

    [Fact]
    public void Given_two_files_of_the_same_endpoint_When_opened_together_Then_the_error_names_both()
    {
        string[] files = [Copy("config_dump.json"), Copy("stats.txt"), Copy("stats_prometheus.txt")];

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.OpenFiles(files));

        Assert.Equal($"{files[1]} and {files[2]} both hold /stats output; name only one of them.", ex.Message);
    }

    [Fact]
    public void Given_a_file_that_is_no_admin_output_When_opened_with_others_Then_the_error_names_it()
    {
        var notes = _temp.File("notes.txt");
        File.WriteAllText(notes, "remember to check the reviews pod\n");

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.OpenFiles([Copy("config_dump.json"), notes]));

        Assert.StartsWith($"{notes} is not recognised as the output of any Envoy admin endpoint", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_missing_file_among_several_When_opened_Then_the_error_names_it()
    {
        var missing = _temp.File("gone.json");

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.OpenFiles([Copy("config_dump.json"), missing]));

        Assert.Equal($"{missing} does not exist.", ex.Message);
    }

    [Fact]
    public void Given_a_folder_without_manifest_When_opened_Then_its_files_are_read_as_loose_outputs_in_name_order()
    {
        foreach (var member in new[] { "config_dump.json", "stats.txt", "certs.json", "server_info.json", "init_dump.json", "ready.txt" })
        {
            Copy(member);
        }

        File.WriteAllText(_temp.File(".DS_Store"), "ignored: hidden");

        var snapshot = SnapshotSources.Open(_temp.Path);

        Assert.True(SnapshotSources.IsLooseDirectory(_temp.Path));
        Assert.Equal(_temp.Path, snapshot.Origin);
        Assert.Equal(
            [AdminEndpoint.Certs, AdminEndpoint.ConfigDump, AdminEndpoint.InitDump, AdminEndpoint.Ready, AdminEndpoint.ServerInfo, AdminEndpoint.Stats],
            snapshot.Documents.Select(d => d.Endpoint));
        Assert.Equal(Path.Join(_temp.Path, "certs.json"), snapshot.Documents[0].Source);
    }

    [Fact]
    public void Given_an_empty_object_When_its_file_name_names_no_endpoint_Then_it_is_not_recognised()
    {
        var empty = _temp.File("empty.json");
        File.WriteAllText(empty, "{}\n");

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.OpenFiles([Copy("config_dump.json"), empty]));

        Assert.StartsWith($"{empty} is not recognised", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_folder_holding_a_folder_When_opened_Then_the_inner_folder_is_named()
    {
        Copy("config_dump.json");
        Directory.CreateDirectory(_temp.File("older"));

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(_temp.Path));

        Assert.StartsWith($"{Path.Join(_temp.Path, "older")} is a folder inside a folder of admin outputs", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_unrecognised_file_in_a_folder_without_manifest_When_opened_Then_it_is_named()
    {
        Copy("config_dump.json");
        File.WriteAllBytes(_temp.File("core"), Encoding.UTF8.GetBytes("\0\0binary"));

        var ex = Assert.Throws<EnvoyLensException>(() => SnapshotSources.Open(_temp.Path));

        Assert.StartsWith($"{Path.Join(_temp.Path, "core")} is not recognised", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_content_nothing_recognises_When_sniffed_strictly_Then_it_is_null_but_a_lone_file_is_still_taken_for_a_config_dump()
    {
        var content = Encoding.UTF8.GetBytes("{\"something\": \"else\"}");

        Assert.Null(DocumentSniffer.Recognize(content));
        Assert.Null(DocumentSniffer.Recognize([]));
        Assert.Equal(AdminEndpoint.ConfigDump, DocumentSniffer.Sniff(content));
    }
}
