using System.CommandLine;
using EnvoyLens.Cli.Options;
using EnvoyLens.Core;
using EnvoyLens.Reporting.Rendering;

namespace EnvoyLens.Cli.Tests;

/// <summary>The option parsers every command shares: typed <c>--output</c>, <c>--at</c>, severities and the tool's name.</summary>
public sealed class SharedOptionsTests
{
    [Theory]
    [InlineData("WIDE", OutputFormat.Wide)]
    [InlineData("table-yaml", OutputFormat.TableYaml)]
    [InlineData(null, OutputFormat.Table)]
    public void Given_a_config_output_word_in_any_case_When_parsed_Then_it_is_its_format(string? word, OutputFormat expected) =>
        Assert.Equal(expected, OutputOptions.Config().Parse(word));

    [Theory]
    [InlineData("xml", "--output must be table, wide, json, yaml, table-json or table-yaml, not 'xml'.")]
    [InlineData("", "--output must be table, wide, json, yaml, table-json or table-yaml, not ''.")]
    public void Given_a_word_outside_the_set_When_parsed_Then_one_sentence_names_the_words(string word, string message) =>
        Assert.Equal(message, Assert.Throws<EnvoyLensException>(() => OutputOptions.Config().Parse(word)).Message);

    [Fact]
    public void Given_an_unlisted_alias_When_parsed_Then_it_is_accepted_only_where_offered_and_never_listed()
    {
        Assert.Equal(TextOrJson.Text, OutputOptions.TextOrJson(acceptTable: true).Parse("Table"));
        var e = Assert.Throws<EnvoyLensException>(() => OutputOptions.TextOrJson().Parse("table"));
        Assert.Equal("--output must be text or json, not 'table'.", e.Message);
        Assert.Equal("--output must be text or json, not 'xml'.",
            Assert.Throws<EnvoyLensException>(() => OutputOptions.TextOrJson(acceptTable: true).Parse("xml")).Message);
    }

    [Fact]
    public void Given_a_command_line_When_the_output_is_read_Then_the_given_word_or_the_default_one_is_typed()
    {
        var command = new Command("x");
        var format = OutputOptions.Analyze().AddTo(command);

        Assert.Equal(AnalyzeFormat.Sarif, format.Get(command.Parse(["-o", "SARIF"])));
        Assert.Equal(AnalyzeFormat.Json, format.Get(command.Parse(["--output", "json"])));
        Assert.Equal(AnalyzeFormat.Text, format.Get(command.Parse([])));
        Assert.Equal("--output must be text, json, sarif or html, not 'xml'.", Assert.Throws<EnvoyLensException>(() => format.Get(command.Parse(["-o", "xml"]))).Message);
    }

    [Theory]
    [InlineData(new[] { "a" }, "a")]
    [InlineData(new[] { "a", "b" }, "a or b")]
    [InlineData(new[] { "a", "b", "c" }, "a, b or c")]
    public void Given_the_listed_words_When_joined_Then_the_last_follows_or(string[] words, string expected) =>
        Assert.Equal(expected, ChoiceOption<int>.Words(words));

    [Theory]
    [InlineData("2027-12-01T00:00:00Z")]
    [InlineData("2027-12-01T00:00:00")]
    [InlineData("2027-12-01T02:00:00+02:00")]
    public void Given_an_instant_When_at_is_parsed_Then_the_clock_stands_at_it_in_UTC(string at)
    {
        var clock = AtOption.Parse(at, TimeProvider.System);

        Assert.Equal(new DateTimeOffset(2027, 12, 1, 0, 0, 0, TimeSpan.Zero), clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, clock.GetUtcNow().Offset);
    }

    [Fact]
    public void Given_no_at_When_parsed_Then_it_is_the_commands_clock()
    {
        var clock = new Fixed(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

        Assert.Same(clock, AtOption.Parse(null, clock));
        var command = new Command("x");
        var at = new AtOption().AddTo(command);
        Assert.Same(clock, at.Get(command.Parse([]), clock));
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), at.Get(command.Parse(["--at", "2027-01-01"]), clock).GetUtcNow());
    }

    [Fact]
    public void Given_an_at_that_is_no_time_When_parsed_Then_one_sentence_says_so() =>
        Assert.Equal("--at 'yesterday' is not a date and time; use ISO 8601 such as 2025-01-31T12:00:00Z.",
            Assert.Throws<EnvoyLensException>(() => AtOption.Parse("yesterday", TimeProvider.System)).Message);

    [Theory]
    [InlineData("error", Severity.Error)]
    [InlineData("WARNING", Severity.Warning)]
    [InlineData("Info", Severity.Info)]
    public void Given_a_severity_word_When_parsed_Then_it_is_its_level_and_prints_back_lower_case(string word, Severity expected)
    {
        Assert.Equal(expected, Severities.Parse(word));
        Assert.Equal(word.ToLowerInvariant(), Severities.Name(expected));
    }

    [Theory]
    [InlineData("never")]
    [InlineData("fatal")]
    [InlineData("")]
    public void Given_a_word_that_is_no_level_When_parsed_Then_it_names_none(string word) => Assert.Null(Severities.Parse(word));

    [Fact]
    public void Given_fail_on_When_parsed_Then_never_is_no_threshold_and_absent_is_error()
    {
        var failOn = Severities.FailOn();

        Assert.Null(failOn.Parse("never"));
        Assert.Equal(Severity.Warning, failOn.Parse("Warning"));
        Assert.Equal(Severity.Error, failOn.Parse(null));
        Assert.Equal("--fail-on must be error, warning, info or never, not 'sometimes'.", Assert.Throws<EnvoyLensException>(() => failOn.Parse("sometimes")).Message);
    }

    [Theory]
    [InlineData("EL1004=Error", "EL1004", Severity.Error)]
    [InlineData("el5001=info", "el5001", Severity.Info)]
    public void Given_a_severity_override_When_parsed_Then_it_is_the_id_as_written_and_its_level(string item, string id, Severity level) =>
        Assert.Equal((id, level), Severities.Override(item));

    [Theory]
    [InlineData("EL1004", "--severity 'EL1004' must have the form ID=LEVEL, e.g. EL1004=error.")]
    [InlineData("=error", "--severity '=error' must have the form ID=LEVEL, e.g. EL1004=error.")]
    [InlineData("EL1004=fatal", "--severity 'EL1004=fatal' names level 'fatal'; use error, warning or info.")]
    [InlineData("EL1004=never", "--severity 'EL1004=never' names level 'never'; use error, warning or info.")]
    public void Given_a_malformed_severity_override_When_parsed_Then_one_sentence_says_what_is_wrong(string item, string message) =>
        Assert.Equal(message, Assert.Throws<EnvoyLensException>(() => Severities.Override(item)).Message);

    [Fact]
    public void Given_the_tool_When_named_Then_its_version_has_no_revision_suffix()
    {
        Assert.Equal("envoylens", ToolInfo.Name);
        Assert.Matches(@"^\d+\.\d+\.\d+", ToolInfo.Version);
        Assert.DoesNotContain('+', ToolInfo.Version);
        Assert.Equal("envoylens " + ToolInfo.Version, ToolInfo.NameAndVersion);
    }

    private sealed class Fixed(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
