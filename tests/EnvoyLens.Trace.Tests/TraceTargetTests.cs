using EnvoyLens.Core;

namespace EnvoyLens.Trace.Tests;

public sealed class TraceTargetTests
{
    [Theory]
    [InlineData("http://ratings:9080/ratings/0?x=1", "http", "ratings", 9080, "/ratings/0", "x=1", "ratings:9080")]
    [InlineData("http://Ratings.Default", "http", "ratings.default", 80, "/", "", "ratings.default")]
    [InlineData("https://api.example.com/v1", "https", "api.example.com", 443, "/v1", "", "api.example.com")]
    [InlineData("tcp://10.0.0.1:5432", "tcp", "10.0.0.1", 5432, "", "", "10.0.0.1:5432")]
    [InlineData("grpc://svc:50051/pkg.Service/Method", "grpc", "svc", 50051, "/pkg.Service/Method", "", "svc:50051")]
    [InlineData("http://[fd00::1]:8080/", "http", "fd00::1", 8080, "/", "", "[fd00::1]:8080")]
    public void Given_a_target_url_When_parsed_Then_scheme_host_default_port_path_and_authority_are_right(string text, string scheme, string host, int port, string path, string query, string authority)
    {
        var target = TraceTarget.Parse(text);

        Assert.Equal((scheme, host, port, path, query, authority), (target.Scheme, target.Host, target.Port, target.Path, target.Query, target.Authority));
    }

    [Theory]
    [InlineData("ratings:9080")]
    [InlineData("ftp://host/")]
    [InlineData("tcp://host")]
    [InlineData("http://host:99999/")]
    [InlineData("tcp://host:5432/path")]
    [InlineData("http://user@host/")]
    public void Given_an_unusable_target_When_parsed_Then_one_sentence_names_the_problem(string text)
    {
        var e = Assert.Throws<EnvoyLensException>(() => TraceTarget.Parse(text));

        Assert.EndsWith(".", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Given_a_grpc_target_When_its_headers_are_built_Then_it_is_a_POST_with_the_grpc_content_type()
    {
        var request = TraceRequest.For("grpc://svc:50051/pkg.Service/Method");

        var headers = request.HeaderMap();
        Assert.Equal("POST", request.Method);
        Assert.Equal(["application/grpc"], headers["content-type"]);
        Assert.Equal(["/pkg.Service/Method"], headers[":path"]);
    }
}
