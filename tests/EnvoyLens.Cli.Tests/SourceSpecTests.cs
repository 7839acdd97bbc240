using EnvoyLens.Cli.Sources;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

public sealed class SourceSpecTests
{
    [Theory]
    [InlineData("http://127.0.0.1:15000", "Admin", "http://127.0.0.1:15000")]
    [InlineData("HTTPS://envoy.example:19000", "Admin", "HTTPS://envoy.example:19000")]
    [InlineData("pod/reviews-v1.default", "Pod", "reviews-v1.default")]
    [InlineData("config_dump.json", "File", "config_dump.json")]
    [InlineData("x.tar.gz", "File", "x.tar.gz")]
    public void Given_a_token_When_parsed_Then_its_kind_follows_its_form(string token, string kind, string path)
    {
        var spec = SourceSpec.Parse(token, "proxy-a");

        Assert.Equal(kind, spec.Kind.ToString());
        Assert.Equal(path, spec.Path);
        Assert.Equal("proxy-a", spec.Proxy);
        Assert.Equal(kind is "Admin" or "Pod", spec.IsLive);
    }

    [Fact]
    public void Given_a_directory_When_parsed_Then_it_is_a_bundle() =>
        Assert.Equal(SourceKind.Bundle, SourceSpec.Parse(TestPaths.Fixture("snapshots", "reviews")).Kind);

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("1.5", 1.5)]
    public void Given_a_duration_When_parsed_Then_it_is_read_in_its_unit(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SourceOptions.ParseDuration(text, "--timeout"));
}
