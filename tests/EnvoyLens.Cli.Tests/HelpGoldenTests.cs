using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// The <c>--help</c> text of every command against Golden/*.txt. Refresh after an intended change with
/// <c>ENVOYLENS_UPDATE_GOLDEN=1 dotnet test tests/EnvoyLens.Cli.Tests</c>.
/// </summary>
public sealed class HelpGoldenTests
{
    public static TheoryData<string> Commands() => new(
        "",
        "config",
        "config bootstrap",
        "config clusters",
        "config listeners",
        "config routes",
        "config endpoints",
        "config secrets",
        "config ecds",
        "config all",
        "decode",
        "trace",
        "status",
        "scan",
        "scan merge");

    [Theory]
    [MemberData(nameof(Commands))]
    public void Help_text_matches_its_golden_file(string command)
    {
        var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append("--help").ToArray();
        var result = Cli.Run(args);
        var name = command.Length == 0 ? "envoylens" : "envoylens-" + command.Replace(' ', '-');
        var golden = Path.Combine(TestPaths.RepoRoot, "tests", "EnvoyLens.Cli.Tests", "Golden", name + ".txt");

        if (Environment.GetEnvironmentVariable("ENVOYLENS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, result.Out);
        }

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Err);
        Assert.True(File.Exists(golden), $"No golden file {name}.txt; run with ENVOYLENS_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(golden), result.Out);
    }

    [Fact]
    public void Root_help_documents_the_exit_codes()
    {
        var help = string.Join(' ', Cli.Run("--help").Out.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));

        Assert.Contains("0 ok", help, StringComparison.Ordinal);
        Assert.Contains("1 findings at or above --fail-on (analyze), differences (diff --exit-code), an invalid path (certs verify), a request that would not be forwarded (trace), a proxy STALE or in ERROR (status) or a pod with such findings or whose proxy could not be read (scan)", help, StringComparison.Ordinal);
        Assert.Contains("2 input unreadable, source unreachable or usage error", help, StringComparison.Ordinal);
        Assert.Contains("3 internal error", help, StringComparison.Ordinal);
    }
}
