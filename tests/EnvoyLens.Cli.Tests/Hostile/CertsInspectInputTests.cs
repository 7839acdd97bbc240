using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests.Hostile;

/// <summary><c>certs inspect</c> says which files it could not use, and why, instead of printing nothing for them.</summary>
public sealed class CertsInspectInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("envoylens-inspect-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\n")]
    public void Given_an_empty_file_When_inspected_Then_exit_2_with_one_sentence_saying_it_is_empty(string content)
    {
        var empty = Write("empty.pem", content);

        var result = Cli.Run("certs", "inspect", empty);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"envoylens: cannot use '{empty}': it is empty.\n", result.Err);
    }

    [Fact]
    public void Given_several_files_some_unusable_When_inspected_Then_each_unusable_one_is_named()
    {
        var empty = Write("empty.pem", "");
        var key = TestPaths.Fixture("pki", "root.key");
        var good = TestPaths.Fixture("pki", "workload-reviews.pem");

        var result = Cli.Run("certs", "inspect", empty, good, key);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Problem: '{empty}' is empty.\n", result.Out, StringComparison.Ordinal);
        Assert.Contains($"Problem: '{key}' holds no PEM certificate block.\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("Certificate 0 of " + good, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_several_files_none_usable_When_inspected_Then_exit_2_naming_each_one()
    {
        var empty = Write("empty.pem", "");
        var key = TestPaths.Fixture("pki", "root.key");

        var result = Cli.Run("certs", "inspect", empty, key);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"envoylens: no certificate could be read: '{empty}' is empty; '{key}' holds no PEM certificate block.\n", result.Err);
    }
}
