using EnvoyLens.Model;

namespace EnvoyLens.Trace.Tests;

/// <summary>
/// Routes that match with <c>path_match_policy</c> URI templates and rewrite with <c>path_rewrite_policy</c>, as
/// Envoy's uri_template extensions define them, on an authored dump; and the template compiler on its own.
/// </summary>
public sealed class UriTemplateTests
{
    private const string Match = "type.googleapis.com/envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig";
    private const string Rewrite = "type.googleapis.com/envoy.extensions.path.rewrite.uri_template.v3.UriTemplateRewriteConfig";

    private static string TemplateRoute(string name, string template, string cluster, string? rewrite = null) =>
        "{'name':'" + name + "','match':{'path_match_policy':{'name':'envoy.path.match.uri_template.uri_template_matcher','typed_config':{'@type':'" + Match +
        "','path_template':'" + template + "'}}},'route':{'cluster':'" + cluster + "'" +
        (rewrite is null ? string.Empty : ",'path_rewrite_policy':{'name':'envoy.path.rewrite.uri_template.uri_template_rewriter','typed_config':{'@type':'" + Rewrite +
            "','path_template_rewrite':'" + rewrite + "'}}") + "}}";

    private static EnvoySnapshot Snapshot() => Dumps.Decode(Dumps.ConfigDump(
        listeners: [Dumps.HttpListener(8080, "web")],
        routes: [Dumps.RouteConfig("web", Dumps.J("{'name':'web','domains':['*'],'routes':[" + string.Join(",",
            TemplateRoute("video", "/videos/*/{id}/{format}/{segment=**}.ts", "media", "/{id}/{format}/{segment}.ts"),
            TemplateRoute("lang", "/{lang}/{country}/docs", "docs", "/docs/{country}/{lang}"),
            TemplateRoute("any-api", "/api/**", "api"),
            "{'name':'rest','match':{'prefix':'/'},'route':{'cluster':'rest'}}") + "]}"))],
        clusters: [Dumps.EdsCluster("media"), Dumps.EdsCluster("docs"), Dumps.EdsCluster("api"), Dumps.EdsCluster("rest")],
        endpoints: [Dumps.Endpoints("media", ("10.0.0.1", "HEALTHY")), Dumps.Endpoints("docs", ("10.0.0.2", "HEALTHY")),
            Dumps.Endpoints("api", ("10.0.0.3", "HEALTHY")), Dumps.Endpoints("rest", ("10.0.0.4", "HEALTHY"))]));

    [Theory]
    [InlineData("/videos/cats/42/hls/a/b/seg1.ts", "video", "/42/hls/a/b/seg1.ts")]
    [InlineData("/en/us/docs?page=2", "lang", "/docs/us/en")]
    [InlineData("/api/v1/users", "any-api", null)]
    [InlineData("/videos/cats/42/hls/seg1.mp4", "rest", null)] // the suffix .ts is part of the template
    [InlineData("/en/docs", "rest", null)] // {lang} and {country} are one segment each
    [InlineData("/videos/42/hls/x.ts", "rest", null)] // * is exactly one segment
    public void Given_uri_template_routes_When_a_path_is_traced_Then_the_template_decides_and_the_rewrite_uses_its_variables(string path, string route, string? rewritten)
    {
        var result = new RequestTracer(Snapshot()).Trace(TraceRequest.For("http://media.example:8080" + path));

        var hop = result.Hops.Single(h => h.Kind == HopKind.Route);
        Assert.Equal(HopStatus.Matched, hop.Status);
        Assert.Equal(route, hop.Name);
        if (rewritten is null)
        {
            Assert.DoesNotContain(hop.Details, d => d.StartsWith("path rewritten to:", StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains("path rewritten to: " + rewritten, hop.Details);
        }
    }

    [Theory]
    [InlineData("/a/{x}/{x}", "repeated")]
    [InlineData("/a/**/b/**", "more than one '**'")]
    [InlineData("/a/{x", "not closed")]
    [InlineData("a/b", "does not start with '/'")]
    [InlineData("/a/b c", "not allowed")]
    public void Given_an_invalid_template_When_compiled_Then_it_is_refused_with_the_reason(string template, string reason)
    {
        Assert.Null(UriTemplate.Compile(template, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_rewrite_naming_a_variable_the_match_lacks_When_rewritten_Then_it_says_which()
    {
        var regex = UriTemplate.Compile("/{a}/x", out _)!;

        Assert.Null(UriTemplate.Rewrite("/{b}", regex.Match("/1/x"), out var error));
        Assert.Contains("(b)", error, StringComparison.Ordinal);
    }
}
