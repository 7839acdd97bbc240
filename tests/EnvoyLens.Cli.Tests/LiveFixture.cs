using EnvoyLens.TestKit.Live;

namespace EnvoyLens.Cli.Tests;

/// <summary>A fake admin server, a fake Kubernetes API forwarding to it (pod reviews-v1.default), and a kubeconfig.</summary>
internal sealed class LiveFixture : IAsyncDisposable
{
    private LiveFixture(FakeAdminServer admin, FakeKubernetesApi api, string directory)
    {
        Admin = admin;
        Api = api;
        Directory = directory;
        Kubeconfig = api.WriteKubeconfig(directory);
    }

    public FakeAdminServer Admin { get; }

    public FakeKubernetesApi Api { get; }

    /// <summary>A temporary folder for outputs, deleted on dispose.</summary>
    public string Directory { get; }

    public string Kubeconfig { get; }

    public string AdminUrl => Admin.BaseAddress.GetLeftPart(UriPartial.Authority);

    public string[] Pod => ["--pod", "reviews-v1.default", "--kubeconfig", Kubeconfig];

    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    public static async Task<LiveFixture> StartAsync()
    {
        var admin = await FakeAdminServer.StartAsync();
        var api = await FakeKubernetesApi.StartAsync(admin.Port);
        api.Pods["default/reviews-v1"] = FakeKubernetesApi.Pod("reviews-v1", "default", "Running", "reviews", "istio-proxy");
        return new LiveFixture(admin, api, System.IO.Directory.CreateTempSubdirectory("envoylens-live-tests-").FullName);
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Admin.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
