using EnvoyLens.TestKit;
using EnvoyLens.TestKit.Live;

namespace EnvoyLens.Cli.Tests;

/// <summary>
/// <c>diff</c> and <c>certs compare</c> take the live options every command takes, and per side a context
/// (<c>--context-a/--context-b</c> or <c>pod/NAME.NS@CONTEXT</c>): two Kubernetes API servers, one per context, each see
/// only their own side's requests.
/// </summary>
public sealed class TwoSidedSourceTests : IAsyncLifetime
{
    private FakeAdminServer _admin = null!;
    private FakeKubernetesApi _east = null!;
    private FakeKubernetesApi _west = null!;
    private string _dir = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _admin = await FakeAdminServer.StartAsync();
        _east = await FakeKubernetesApi.StartAsync(_admin.Port);
        _west = await FakeKubernetesApi.StartAsync(_admin.Port);
        foreach (var api in new[] { _east, _west })
        {
            foreach (var ns in new[] { "default", "bookinfo" })
            {
                api.Pods[$"{ns}/reviews-v1"] = FakeKubernetesApi.Pod("reviews-v1", ns, "Running", "reviews", "istio-proxy");
            }
        }

        _dir = Directory.CreateTempSubdirectory("envoylens-two-sided-tests-").FullName;
        _kubeconfig = Path.Combine(_dir, "kubeconfig");
        File.WriteAllText(_kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: east
              cluster:
                server: {_east.BaseAddress.GetLeftPart(UriPartial.Authority)}
            - name: west
              cluster:
                server: {_west.BaseAddress.GetLeftPart(UriPartial.Authority)}
            contexts:
            - name: east
              context:
                cluster: east
                user: tester
                namespace: default
            - name: west
              context:
                cluster: west
                user: tester
                namespace: bookinfo
            current-context: east
            users:
            - name: tester
              user:
                token: test-token
            """);
    }

    public async Task DisposeAsync()
    {
        await _west.DisposeAsync();
        await _east.DisposeAsync();
        await _admin.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>The pods a Kubernetes API server was asked for, as <c>namespace/name</c>.</summary>
    private static List<string> PodsAsked(FakeKubernetesApi api) =>
        api.Requests.Select(r => r.Path.Split('/')).Where(p => p.Length == 7 && p[5] == "pods").Select(p => $"{p[4]}/{p[6]}").ToList();

    [Fact]
    public void Given_context_b_When_diffed_Then_each_side_reads_through_its_own_context_and_namespace()
    {
        var result = Cli.Run("diff", "pod/reviews-v1", "pod/reviews-v1", "--context-b", "west", "--kubeconfig", _kubeconfig, "--exit-code");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["default/reviews-v1"], PodsAsked(_east));
        Assert.Equal(["bookinfo/reviews-v1"], PodsAsked(_west));
        Assert.Equal(
            "envoylens: reading pod reviews-v1.default, container istio-proxy, admin port 15000.\n" +
            "envoylens: reading pod reviews-v1.bookinfo, container istio-proxy, admin port 15000.\n",
            result.Err);
        Assert.Contains("No differences.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_token_form_When_certs_are_compared_Then_each_side_reads_through_the_context_after_its_at_sign()
    {
        var result = Cli.Run("certs", "compare", "pod/reviews-v1@west", "pod/reviews-v1.default@east", "--kubeconfig", _kubeconfig);

        Assert.True(result.ExitCode is 0 or 1, result.Err);
        Assert.Equal(["bookinfo/reviews-v1"], PodsAsked(_west));
        Assert.Equal(["default/reviews-v1"], PodsAsked(_east));
        Assert.StartsWith("A: reviews-v1 ", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_shared_namespace_and_context_When_diffed_Then_both_sides_use_them()
    {
        var result = Cli.Run("diff", "pod/reviews-v1", "pod/reviews-v1", "-n", "bookinfo", "--context", "west", "--kubeconfig", _kubeconfig);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["bookinfo/reviews-v1", "bookinfo/reviews-v1"], PodsAsked(_west));
        Assert.Empty(PodsAsked(_east));
    }

    [Fact]
    public void Given_a_pod_and_a_file_When_diffed_Then_the_live_options_apply_to_the_pod_side()
    {
        var result = Cli.Run("diff", TestPaths.Fixture("snapshots", "reviews"), "pod/reviews-v1", "--context", "west", "--kubeconfig", _kubeconfig, "--exit-code");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["bookinfo/reviews-v1"], PodsAsked(_west));
    }

    [Theory]
    [InlineData(new[] { "A.json", "pod/reviews-v1", "--context-a", "west" }, "--context-a applies only when A is a pod; A 'A.json' is not.")]
    [InlineData(new[] { "pod/reviews-v1@west", "pod/reviews-v1", "--context-a", "east" }, "pod/reviews-v1@west names context 'west' and --context-a names 'east'; name the context once.")]
    [InlineData(new[] { "A.json", "B.json", "-n", "bookinfo" }, "--namespace applies only to pod/ inputs; neither A nor B is a pod.")]
    [InlineData(new[] { "pod/@west", "B.json" }, "'pod/@west' must have the form pod/NAME[.NAMESPACE][@CONTEXT], with a name before '@' and a context after it.")]
    public void Given_misplaced_live_options_When_certs_are_compared_Then_exit_2_with_one_sentence(string[] args, string expected)
    {
        var result = Cli.Run(["certs", "compare", .. args, "--kubeconfig", _kubeconfig]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"envoylens: {expected}\n", result.Err);
        Assert.Empty(_east.Requests);
        Assert.Empty(_west.Requests);
    }
}
