using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

public sealed class UsageErrorTests
{
    private static void AssertOneSentenceUsageError(CliResult result, string mentions)
    {
        Assert.Equal(ExitCodes.InputOrUsageError, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith("envoylens: ", result.Err, StringComparison.Ordinal);
        Assert.Equal(1, result.Err.Count(c => c == '\n'));
        Assert.EndsWith(".\n", result.Err, StringComparison.Ordinal);
        Assert.Contains(mentions, result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_no_command_When_run_Then_exit_2_and_says_a_command_is_required()
    {
        AssertOneSentenceUsageError(Cli.Run(), "a command is required");
    }

    [Fact]
    public void Given_an_unknown_view_When_run_Then_exit_2_naming_it()
    {
        AssertOneSentenceUsageError(Cli.Run("config", "bogus"), "'bogus'");
    }

    [Fact]
    public void Given_config_without_a_view_When_run_Then_exit_2_asking_for_a_subcommand()
    {
        AssertOneSentenceUsageError(Cli.Run("config"), "needs a subcommand");
    }

    [Fact]
    public void Given_no_input_When_a_view_is_asked_Then_exit_2_asking_for_a_path()
    {
        AssertOneSentenceUsageError(Cli.Run("config", "clusters"), "no input named");
    }

    [Fact]
    public void Given_two_inputs_When_run_Then_exit_2_asking_for_exactly_one()
    {
        AssertOneSentenceUsageError(Cli.Run("config", "routes", "a.json", "--file", "b.json"), "exactly one input");
    }

    [Fact]
    public void Given_an_unknown_output_format_When_run_Then_exit_2_listing_the_formats()
    {
        AssertOneSentenceUsageError(Cli.Run("config", "routes", "a.json", "-o", "xml"), "table, wide, json, yaml, table-json or table-yaml");
    }

    [Fact]
    public void Given_a_port_that_is_not_a_number_When_run_Then_exit_2_naming_the_value()
    {
        AssertOneSentenceUsageError(Cli.Run("config", "clusters", "a.json", "--port", "abc"), "'abc' is not a valid value for --port");
    }

    [Fact]
    public void Given_an_option_of_another_view_When_run_Then_exit_2()
    {
        AssertOneSentenceUsageError(Cli.Run("config", "routes", "a.json", "--fqdn", "x"), "unrecognized");
    }

    [Fact]
    public void Given_an_at_that_is_not_a_time_When_secrets_are_asked_Then_exit_2_explaining_the_format()
    {
        var file = Path.Combine(TestPaths.RepoRoot, "EnvoyLens.sln");
        AssertOneSentenceUsageError(Cli.Run("config", "secrets", "--file", file, "--at", "yesterday"), "ISO 8601");
    }

    [Fact]
    public void Given_a_missing_file_When_a_view_is_asked_Then_exit_2_with_one_sentence_naming_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), "envoylens-no-such-" + Guid.NewGuid().ToString("N") + ".json");

        var result = Cli.Run("config", "clusters", missing);

        AssertOneSentenceUsageError(result, missing);
    }

    [Fact]
    public void Given_a_missing_file_When_decode_is_asked_Then_exit_2_with_one_sentence_naming_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), "envoylens-no-such-" + Guid.NewGuid().ToString("N") + ".json");

        AssertOneSentenceUsageError(Cli.Run("decode", "--file", missing), missing);
    }

    [Fact]
    public void Given_a_missing_bundle_When_run_Then_exit_2_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "envoylens-no-bundle-" + Guid.NewGuid().ToString("N"));

        AssertOneSentenceUsageError(Cli.Run("config", "all", "--bundle", missing), missing);
    }

    [Fact]
    public void Given_a_directory_as_file_When_run_Then_exit_2_suggesting_bundle()
    {
        AssertOneSentenceUsageError(Cli.Run("decode", "--file", TestPaths.RepoRoot), "--bundle");
    }
}
