using System.Text.Json;

namespace EnvoyLens.Cli.Tests;

/// <summary>Commands on real captures of the corpus (these need the file reader and the decoder).</summary>
public sealed class CommandsOnRealDataTests
{
    private static string EcdsDump => CorpusFiles.Golden("istio-proxyconfig-ecds", "configdump.json");

    [Fact]
    public void Decode_of_a_config_dump_reports_its_sections_and_exits_0()
    {
        var result = Cli.Run("decode", EcdsDump);

        Assert.Equal("", result.Err);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Config dump:", result.Out, StringComparison.Ordinal);
        Assert.Contains("envoy.admin.v3.EcdsConfigDump", result.Out, StringComparison.Ordinal);
        Assert.Contains("ecds 6", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_as_json_lists_documents_resources_and_diagnostics()
    {
        var result = Cli.Run("decode", "--file", EcdsDump, "-o", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("config_dump", doc.RootElement.GetProperty("documents")[0].GetProperty("endpoint").GetString());
        Assert.Equal(6, doc.RootElement.GetProperty("resources").GetProperty("ecds").GetProperty("total").GetInt32());
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("diagnostics").ValueKind);
    }

    [Fact]
    public void Ecds_as_table_json_emits_the_rows_in_istioctl_order()
    {
        var result = Cli.Run("config", "ecds", EcdsDump, "-o", "table-json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(6, doc.RootElement.GetArrayLength());
        Assert.Equal("istio.io/telemetry/stats/prometheus/sidecar/Inbound/HTTP", doc.RootElement[0].GetProperty("ecdsName").GetString());
        Assert.Equal("envoy.extensions.filters.http.wasm.v3.Wasm", doc.RootElement[5].GetProperty("type").GetString());
    }

    [Fact]
    public void Decode_of_a_file_that_is_not_json_exits_2_with_one_sentence_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "envoylens-not-json-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, "this is not a config dump");
        try
        {
            var result = Cli.Run("decode", path);

            Assert.Equal(ExitCodes.InputOrUsageError, result.ExitCode);
            Assert.StartsWith("envoylens: ", result.Err, StringComparison.Ordinal);
            Assert.Equal(1, result.Err.Count(c => c == '\n'));
            Assert.Contains(Path.GetFileName(path), result.Err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
