using System.Net;
using System.Net.Sockets;
using EnvoyLens.Admin.Live;
using EnvoyLens.Core;
using EnvoyLens.TestKit.Live;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EnvoyLens.Admin.Tests.Live;

public sealed class AdminClientFaultTests : IAsyncLifetime
{
    private FakeAdminServer _server = null!;
    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync() => _server = await FakeAdminServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private AdminClient Client(TimeSpan? timeout = null, long? cap = null) => new(
        AdminTarget.ForUrl(_server.BaseAddress.ToString()),
        new AdminClientOptions { Timeout = timeout ?? TimeSpan.FromSeconds(10), MaxResponseBytes = cap ?? 1L << 30, RetryDelay = TimeSpan.FromMilliseconds(10) });

    // A first request warms the connection and the code paths, so that on a slow machine the headers and the first
    // bytes of a stalling response arrive well inside a test's deadline and only the stall itself exceeds it.
    private async Task WarmUpAsync(AdminClient client)
    {
        await client.DownloadAsync("/server_info", _dir.File("warm-up.json"));
        File.Delete(_dir.File("warm-up.json"));
    }

    private void AssertNothingKept() => Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));

    [Fact]
    public async Task Given_a_server_When_a_response_is_read_Then_the_body_is_stored_whole_with_its_URL()
    {
        using var client = Client();

        var response = await client.DownloadAsync("/clusters?format=json", _dir.File("clusters.json"));

        var expected = await File.ReadAllBytesAsync(Path.Combine(EnvoyLens.TestKit.TestPaths.Fixture("snapshots", "reviews"), "clusters.json"));
        Assert.Equal(expected, await File.ReadAllBytesAsync(_dir.File("clusters.json")));
        Assert.Equal(expected.LongLength, response.Bytes);
        Assert.Equal(_server.BaseAddress.GetLeftPart(UriPartial.Authority) + "/clusters?format=json", response.Url);
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task Given_a_server_that_closes_mid_body_When_read_Then_one_sentence_and_no_file()
    {
        _server.Routes["/config_dump"] = async context =>
        {
            context.Response.ContentLength = 100_000;
            await context.Response.Body.WriteAsync(new byte[1000]);
            await context.Response.Body.FlushAsync();
            await Task.Delay(1000);
            context.Abort();
        };
        using var client = Client();

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.DownloadAsync("/config_dump", _dir.File("config_dump.json")));

        Assert.Contains("GET /config_dump on http://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("broke off", StringComparison.Ordinal), error.Message);
        AssertNothingKept();
    }

    [Fact]
    public async Task Given_a_server_slower_than_the_timeout_When_read_Then_it_says_no_answer_in_time_and_keeps_nothing()
    {
        _server.Routes["/server_info"] = async context => await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
        using var client = Client(TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.DownloadAsync("/server_info", _dir.File("server_info.json")));

        Assert.Contains("got no answer within the 0.3 s timeout", error.Message, StringComparison.Ordinal);
        AssertNothingKept();
    }

    [Fact]
    public async Task Given_a_body_that_stalls_past_the_timeout_When_read_Then_it_says_how_much_arrived_and_keeps_nothing()
    {
        _server.Routes["/stats"] = async context =>
        {
            await context.Response.Body.WriteAsync(new byte[500]);
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        };
        using var client = Client(TimeSpan.FromSeconds(2));
        await WarmUpAsync(client);

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.DownloadAsync("/stats?format=json", _dir.File("stats.json")));

        Assert.Contains("did not complete within the 2 s timeout (500 bytes of the body had arrived)", error.Message, StringComparison.Ordinal);
        AssertNothingKept();
    }

    [Fact]
    public async Task Given_a_server_dripping_its_body_When_read_Then_the_timeout_is_a_deadline_for_the_whole_request()
    {
        // Two bytes every 200 ms, never idle for as long as the timeout, for at most 30 s; it stops by itself.
        _server.Routes["/config_dump"] = async context =>
        {
            for (var i = 0; i < 150 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync("{ "u8.ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(200, context.RequestAborted);
            }
        };
        using var client = Client(TimeSpan.FromSeconds(1));
        await WarmUpAsync(client);

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.DownloadAsync("/config_dump", _dir.File("config_dump.json")));

        Assert.Matches(@"^GET /config_dump on http://127\.0\.0\.1:[0-9]+ did not complete within the 1 s timeout \([1-9][0-9]* bytes of the body had arrived\); no file was kept\.$", error.Message);
        AssertNothingKept();
    }

    [Fact]
    public async Task Given_a_503_on_ready_When_read_Then_the_status_and_state_are_named()
    {
        _server.Routes["/ready"] = async context =>
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("PRE_INITIALIZING\n");
        };
        using var client = Client();

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.DownloadAsync("/ready", _dir.File("ready.txt")));

        Assert.Matches(@"^GET /ready on http://127\.0\.0\.1:\d+ answered HTTP 503 Service Unavailable \('PRE_INITIALIZING'\)\.$", error.Message);
        AssertNothingKept();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Given_a_response_over_the_cap_When_read_Then_the_limit_is_named_and_nothing_kept(bool announcesLength)
    {
        _server.Routes["/certs"] = async context =>
        {
            if (announcesLength)
            {
                context.Response.ContentLength = 5000;
            }

            for (var i = 0; i < 5; i++)
            {
                await context.Response.Body.WriteAsync(new byte[1000]);
                await context.Response.Body.FlushAsync();
            }
        };
        using var client = Client(cap: 1500);

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.DownloadAsync("/certs", _dir.File("certs.json")));

        Assert.Contains("more than the 1500 byte response limit", error.Message, StringComparison.Ordinal);
        AssertNothingKept();
    }

    [Fact]
    public async Task Given_a_redirect_to_a_mutating_endpoint_When_read_Then_it_is_not_followed()
    {
        _server.Routes["/server_info"] = context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "/quitquitquit";
            return Task.CompletedTask;
        };
        using var client = Client();

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.DownloadAsync("/server_info", _dir.File("server_info.json")));

        Assert.Contains("HTTP 302", error.Message, StringComparison.Ordinal);
        Assert.Equal(["/server_info"], _server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Given_an_HTML_page_When_read_Then_it_is_refused()
    {
        _server.Routes["/memory"] = async context =>
        {
            context.Response.ContentType = "text/html; charset=UTF-8";
            await context.Response.WriteAsync("<html><a href='/quitquitquit'>quit</a></html>");
        };
        using var client = Client();

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.DownloadAsync("/memory", _dir.File("memory.json")));

        Assert.Contains("HTML page", error.Message, StringComparison.Ordinal);
        AssertNothingKept();
    }

    [Fact]
    public async Task Given_nothing_listening_When_read_Then_connection_refused_is_said_after_one_retry()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new AdminClient(AdminTarget.ForUrl($"http://127.0.0.1:{port}"), new AdminClientOptions { RetryDelay = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.DownloadAsync("/server_info", _dir.File("server_info.json")));

        Assert.Equal($"GET /server_info on http://127.0.0.1:{port} failed: the connection was refused; is Envoy's admin listening there?", error.Message);
        AssertNothingKept();
    }

    [Fact]
    public async Task Given_a_first_connection_that_fails_When_read_Then_the_one_retry_succeeds()
    {
        var attempts = 0;
        var target = AdminTarget.ForUrl(_server.BaseAddress.ToString()) with
        {
            Connect = async (context, ct) =>
            {
                if (Interlocked.Increment(ref attempts) == 1)
                {
                    throw new SocketException((int)SocketError.ConnectionRefused);
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new AdminClient(target, new AdminClientOptions { RetryDelay = TimeSpan.FromMilliseconds(10) });

        await client.DownloadAsync("/ready", _dir.File("ready.txt"));

        Assert.Equal(2, attempts);
        Assert.Equal("LIVE", (await File.ReadAllTextAsync(_dir.File("ready.txt"))).Trim());
    }

    [Fact]
    public async Task Given_a_progress_writer_When_a_slow_body_is_read_Then_a_progress_line_is_shown_and_cleared()
    {
        _server.Routes["/config_dump"] = async context =>
        {
            for (var i = 0; i < 3; i++)
            {
                await context.Response.Body.WriteAsync(new byte[2048]);
                await context.Response.Body.FlushAsync();
                await Task.Delay(250);
            }
        };
        var progress = new StringWriter();
        using var client = new AdminClient(AdminTarget.ForUrl(_server.BaseAddress.ToString()), new AdminClientOptions { Progress = progress });

        await client.DownloadAsync("/config_dump", _dir.File("config_dump.json"));

        var text = progress.ToString();
        Assert.Matches(@"\r/config_dump  [0-9,]+ bytes  [0-9.]+ s", text);
        Assert.EndsWith("\r", text, StringComparison.Ordinal);
        Assert.Equal(6144, new FileInfo(_dir.File("config_dump.json")).Length);
    }

    [Fact]
    public async Task Given_https_to_a_plain_HTTP_port_When_read_Then_the_TLS_failure_is_named()
    {
        using var client = new AdminClient(AdminTarget.ForUrl($"https://127.0.0.1:{_server.Port}"), new AdminClientOptions { RetryDelay = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsAsync<EnvoyLensException>(() => client.DownloadAsync("/server_info", _dir.File("server_info.json")));

        Assert.StartsWith($"GET /server_info on https://127.0.0.1:{_server.Port} failed", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("TLS", StringComparison.Ordinal) || error.Message.Contains("SSL", StringComparison.Ordinal), error.Message);
        AssertNothingKept();
    }
}
