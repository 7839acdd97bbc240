using System.Text.RegularExpressions;
using System.Xml.Linq;
using EnvoyLens.Cli.Options;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

public sealed class VersionTests
{
    [Fact]
    public void Given_version_When_run_Then_one_line_with_the_release_version_and_the_commit()
    {
        var result = Cli.Run("--version");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("", result.Err);
        var match = Regex.Match(result.Out, @"^envoylens (?<version>[0-9]+\.[0-9]+\.[0-9]+[^ ]*)( \(commit (?<commit>[0-9a-f]{7})\))?\n$");
        Assert.True(match.Success, $"--version printed '{result.Out}'.");
        Assert.Equal(ReleaseVersion(), match.Groups["version"].Value);
        if (Directory.Exists(Path.Combine(TestPaths.RepoRoot, ".git")) || File.Exists(Path.Combine(TestPaths.RepoRoot, ".git")))
        {
            Assert.True(match.Groups["commit"].Success, $"Built from a git checkout, but --version printed no commit: '{result.Out}'.");
        }
    }

    [Theory]
    [InlineData("0.1.0+3a6195355f8cf839c5e9c0e76540c74974add8e2", "3a61953")]
    [InlineData("0.1.0-beta.2+3A6195355F8C", "3a61953")]
    [InlineData("0.1.0", null)]
    [InlineData("0.1.0+abc", null)]
    [InlineData("0.1.0+local-build", null)]
    [InlineData(null, null)]
    public void Given_an_informational_version_When_the_commit_is_read_Then_it_is_the_short_sha_after_the_plus(string? informational, string? commit)
    {
        Assert.Equal(commit, ToolInfo.CommitOf(informational));
    }

    /// <summary>The Version that Directory.Build.props gives every assembly.</summary>
    private static string ReleaseVersion() =>
        XDocument.Load(Path.Combine(TestPaths.RepoRoot, "Directory.Build.props")).Descendants("Version").Single().Value;
}
