using EnvoyLens.Admin.Live;
using EnvoyLens.TestKit;

namespace EnvoyLens.Cli.Tests;

/// <summary>Every command reads a live proxy through --pod / --admin exactly as it reads a file or bundle.</summary>
public sealed class LiveSourceTests : IAsyncLifetime
{
    private static readonly string Bundle = TestPaths.Fixture("snapshots", "reviews");
    private LiveFixture _live = null!;

    public async Task InitializeAsync() => _live = await LiveFixture.StartAsync();

    public async Task DisposeAsync() => await _live.DisposeAsync();

    [Fact]
    public void Given_a_pod_When_config_clusters_Then_the_rows_equal_the_bundle_and_only_the_clusters_were_asked_for()
    {
        var fromBundle = Cli.Run("config", "clusters", Bundle);

        var live = Cli.Run(["config", "clusters", .. _live.Pod]);

        Assert.Equal(0, live.ExitCode);
        Assert.StartsWith("envoylens: reading pod reviews-v1.default, container istio-proxy, admin port 15000.\n", live.Err, StringComparison.Ordinal);
        Assert.Equal(fromBundle.Out, live.Out);
        Assert.Contains("ratings.default.svc.cluster.local", live.Out, StringComparison.Ordinal);
        Assert.True(live.Out.Split('\n').Length > 5, live.Out);
        Assert.Equal(["/config_dump?mask=static_clusters%2Cdynamic_active_clusters%2Cdynamic_warming_clusters"], _live.Admin.Requests.Select(r => r.PathAndQuery));
    }

    [Theory]
    [InlineData("listeners")]
    [InlineData("routes")]
    [InlineData("endpoints")]
    [InlineData("secrets")]
    [InlineData("bootstrap")]
    public void Given_an_admin_URL_When_a_config_view_is_shown_Then_it_equals_the_bundle_view(string view)
    {
        var fromBundle = Cli.RunAt(new FixedClock(), "config", view, Bundle);

        var live = Cli.RunAt(new FixedClock(), "config", view, "--admin", _live.AdminUrl);

        Assert.Equal(0, live.ExitCode);
        Assert.Matches("^([0-9]+ decode diagnostics?; `envoylens decode --admin [^`]+` lists them\\.\n)?$", live.Err);
        Assert.Equal(fromBundle.Out, live.Out);
    }

    [Fact]
    public void Given_an_admin_URL_and_a_pod_When_a_request_is_traced_Then_the_trace_equals_the_bundles()
    {
        const string ratings = "http://ratings.default.svc.cluster.local:9080/ratings/0";
        var fromBundle = Cli.Run("trace", Bundle, ratings, "-o", "json");

        var admin = Cli.Run("trace", "--admin", _live.AdminUrl, ratings, "-o", "json");
        var pod = Cli.Run(["trace", .. _live.Pod, ratings, "-o", "json"]);

        Assert.Equal(0, fromBundle.ExitCode);
        Assert.Equal((0, fromBundle.Out), (admin.ExitCode, admin.Out));
        Assert.Equal((0, fromBundle.Out), (pod.ExitCode, pod.Out));
        Assert.Contains("\"outcome\": \"forwarded\"", pod.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_positional_admin_and_pod_tokens_When_read_Then_they_are_live_sources()
    {
        var bundle = Cli.Run("config", "clusters", Bundle).Out;

        Assert.Equal(bundle, Cli.Run("config", "clusters", _live.AdminUrl).Out);
        Assert.Equal(bundle, Cli.Run("config", "clusters", "pod/reviews-v1.default", "--kubeconfig", _live.Kubeconfig).Out);
    }

    [Fact]
    public void Given_a_pod_token_with_a_context_When_read_Then_the_pod_is_looked_up_in_that_contexts_namespace()
    {
        _live.Api.Pods["bookinfo/reviews-v1"] = TestKit.Live.FakeKubernetesApi.Pod("reviews-v1", "bookinfo", "Running", "reviews", "istio-proxy");

        var result = Cli.Run("config", "clusters", "pod/reviews-v1@other", "--kubeconfig", _live.Kubeconfig);
        var conflicting = Cli.Run("config", "clusters", "pod/reviews-v1@other", "--context", "fake", "--kubeconfig", _live.Kubeconfig);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("envoylens: reading pod reviews-v1.bookinfo, container istio-proxy, admin port 15000.\n", result.Err, StringComparison.Ordinal);
        Assert.Equal(["/api/v1/namespaces/bookinfo/pods/reviews-v1"], _live.Api.Requests.Where(r => !r.Path.EndsWith("/portforward", StringComparison.Ordinal)).Select(r => r.Path));
        Assert.Equal(2, conflicting.ExitCode);
        Assert.Equal("envoylens: pod/reviews-v1@other names context 'other' and --context names 'fake'; name the context once.\n", conflicting.Err);
    }

    [Fact]
    public void Given_every_command_When_run_against_a_live_proxy_Then_only_allowlisted_GETs_arrive()
    {
        string[][] runs =
        [
            ["config", "all", "--admin", _live.AdminUrl],
            ["config", "bootstrap", .. _live.Pod],
            ["config", "endpoints", .. _live.Pod],
            ["config", "ecds", "--admin", _live.AdminUrl],
            ["decode", .. _live.Pod],
            ["decode", "--admin", _live.AdminUrl, "-o", "json"],
            ["analyze", "--admin", _live.AdminUrl, "--fail-on", "never"],
            ["trace", .. _live.Pod, "http://ratings:9080/ratings/0"],
            ["snapshot", "--admin", _live.AdminUrl, "-o", _live.Path("s1")],
            ["snapshot", .. _live.Pod, "-o", _live.Path("s2.tar.gz"), "--interval", "10ms"],
        ];

        foreach (var run in runs)
        {
            var result = Cli.Run(run);
            Assert.True(result.ExitCode is 0, $"{string.Join(' ', run)} exited {result.ExitCode}: {result.Err}");
        }

        Assert.NotEmpty(_live.Admin.Requests);
        Assert.All(_live.Admin.Requests, r =>
        {
            Assert.Equal("GET", r.Method);
            Assert.True(AdminAllowlist.IsAllowed(r.PathAndQuery, out var reason), $"{r.PathAndQuery}: {reason}");
        });
        Assert.DoesNotContain(_live.Admin.Requests, r => r.Path is "/" or "/help");
    }

    [Fact]
    public void Given_an_unknown_pod_When_read_Then_one_line_and_exit_2()
    {
        var result = Cli.Run("config", "clusters", "--pod", "details-v1.default", "--kubeconfig", _live.Kubeconfig);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: pod details-v1.default was not found; check the name and namespace (kubectl get pods -n default).\n", result.Err);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void Given_port_forward_forbidden_When_read_Then_the_RBAC_verb_is_named_and_exit_2()
    {
        _live.Api.ForbidPortForward = true;

        var result = Cli.Run(["analyze", .. _live.Pod]);

        Assert.Equal(2, result.ExitCode);
        var lines = result.Err.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("'create pods/portforward' in namespace default", lines[1], StringComparison.Ordinal);
        Assert.Empty(_live.Admin.Requests);
    }

    [Fact]
    public void Given_a_refused_admin_port_inside_the_pod_When_read_Then_the_port_is_named()
    {
        _live.Api.RefuseInsidePod = true;

        var result = Cli.Run(["decode", .. _live.Pod, "--admin-port", "15001"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nothing accepts connections on port 15001 inside pod reviews-v1.default", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--namespace", "x")]
    [InlineData("--container", "envoy")]
    [InlineData("--admin-port", "19000")]
    public void Given_a_pod_option_without_a_pod_When_bound_Then_it_is_a_usage_error(string option, string value)
    {
        var result = Cli.Run("config", "routes", Bundle, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"envoylens: {option} applies only to --pod; the input named is not a pod.\n", result.Err);
    }

    [Fact]
    public void Given_two_sources_When_bound_Then_it_is_a_usage_error()
    {
        var result = Cli.Run("config", "routes", "--admin", _live.AdminUrl, "--pod", "x.default");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("envoylens: name exactly one input: a PATH, --file, --bundle, --admin or --pod, not several.\n", result.Err);
        Assert.Empty(_live.Admin.Requests);
    }

    [Fact]
    public void Given_a_bad_timeout_When_bound_Then_it_is_a_usage_error() =>
        Assert.Equal("envoylens: --timeout 'soon' is not a duration; use e.g. 500ms, 30s, 2m.\n", Cli.Run("decode", "--admin", _live.AdminUrl, "--timeout", "soon").Err);

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
    }
}
