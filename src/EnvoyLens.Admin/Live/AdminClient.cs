using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using EnvoyLens.Core;

namespace EnvoyLens.Admin.Live;

/// <summary>Limits and reporting of <see cref="AdminClient"/>.</summary>
public sealed record AdminClientOptions
{
    /// <summary>
    /// The deadline of one whole request, from connecting to the last byte of the body: a server that drips its body
    /// slowly cannot keep a read alive past it.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest response body accepted, in bytes (default 1 GiB).</summary>
    public long MaxResponseBytes { get; init; } = 1L << 30;

    /// <summary>Where a progress line (endpoint, bytes, elapsed) goes; null for none. Give it only an interactive terminal.</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>The clock capture times and retry waits are taken from.</summary>
#pragma warning disable RS0030 // The default for callers that inject no clock; the CLI passes its own (--at).
    public TimeProvider Clock { get; init; } = TimeProvider.System;
#pragma warning restore RS0030

    /// <summary>The wait before the one retry of a failed connection.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(300);
}

/// <summary>One admin response, stored in a file.</summary>
/// <param name="PathAndQuery">What was requested, e.g. <c>/clusters?format=json</c>.</param>
/// <param name="Url">The full URL for admin targets, else the path and query.</param>
/// <param name="File">The file the body was written to.</param>
public sealed record AdminResponse(string PathAndQuery, string Url, string File, long Bytes, DateTimeOffset CapturedAt);

/// <summary>
/// The one HTTP client EnvoyLens points at an Envoy admin port. It only ever sends GET requests for paths and query
/// keys of <see cref="AdminAllowlist"/>, checked before any connection is opened; it follows no redirects, sends no
/// cookies, uses no proxy. Bodies are streamed to a temporary file renamed into place only when complete, under a
/// size cap and a deadline for the whole request; a failed connection is retried once. Every failure is an <see cref="EnvoyLensException"/>
/// of one sentence naming the target and the request.
/// </summary>
public sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly AdminTarget _target;
    private readonly AdminClientOptions _options;
    private bool _progressShown;

    public AdminClient(AdminTarget target, AdminClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        _options = options ?? new AdminClientOptions();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = _options.Timeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(20),
        };
        if (target.Connect is { } connect)
        {
            handler.ConnectCallback = connect;
        }

        _http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public AdminTarget Target => _target;

    /// <summary>GETs <paramref name="pathAndQuery"/> and stores the body at <paramref name="destination"/>.</summary>
    public Task<AdminResponse> DownloadAsync(string pathAndQuery, string destination, CancellationToken cancellationToken = default) =>
        DownloadAsync(pathAndQuery, destination, null, cancellationToken);

    /// <summary>
    /// GETs <paramref name="pathAndQuery"/> and stores the body at <paramref name="destination"/>; with a
    /// <paramref name="transform"/> the body is held in memory (under the same size cap) and only what the transform
    /// returns (a redacted document, say) is ever written to disk.
    /// </summary>
    public async Task<AdminResponse> DownloadAsync(
        string pathAndQuery, string destination, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? transform, CancellationToken cancellationToken = default)
    {
        AdminAllowlist.Check(pathAndQuery, _target.Display, _target.Proxy);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await TryDownloadAsync(pathAndQuery, destination, transform, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt == 0 && IsTransientConnectFailure(ex) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(_options.RetryDelay, _options.Clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<AdminResponse> TryDownloadAsync(
        string pathAndQuery, string destination, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? transform, CancellationToken cancellationToken)
    {
        var url = new Uri(_target.BaseAddress, pathAndQuery);
        var shownUrl = _target.UrlOf(pathAndQuery);
        var what = $"GET {pathAndQuery} on {_target.Display}";
        var temp = destination + "." + Guid.NewGuid().ToString("N") + ".partial";
        var received = 0L;
        var headersSeen = false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var started = _options.Clock.GetTimestamp();
        var capturedAt = _options.Clock.GetUtcNow();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            headersSeen = true;
            if (!response.IsSuccessStatusCode)
            {
                var body = await ReadSnippetAsync(response, timeout.Token).ConfigureAwait(false);
                throw new EnvoyLensException(
                    $"{what} answered HTTP {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}" +
                    (body.Length > 0 ? $" ('{body}')" : string.Empty) + ".");
            }

            if (response.Content.Headers.ContentType?.MediaType is "text/html")
            {
                throw new EnvoyLensException($"{what} answered with an HTML page, which EnvoyLens does not read; is this an Envoy admin port?");
            }

            if (response.Content.Headers.ContentLength is { } length && length > _options.MaxResponseBytes)
            {
                throw TooLarge(what, length);
            }

            var directory = Path.GetDirectoryName(Path.GetFullPath(destination));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                Stream file = transform is null ? new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true) : new MemoryStream();
                await using (file.ConfigureAwait(false))
                {
                    var buffer = new byte[1 << 16];
                    var lastProgress = started;
                    while (true)
                    {
                        var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        received += read;
                        if (received > _options.MaxResponseBytes)
                        {
                            throw TooLarge(what, received);
                        }

                        await file.WriteAsync(buffer.AsMemory(0, read), timeout.Token).ConfigureAwait(false);
                        if (_options.Progress is { } progress && _options.Clock.GetElapsedTime(lastProgress) > TimeSpan.FromMilliseconds(200))
                        {
                            lastProgress = _options.Clock.GetTimestamp();
                            ShowProgress(progress, pathAndQuery, received, _options.Clock.GetElapsedTime(started));
                        }
                    }

                    await file.FlushAsync(timeout.Token).ConfigureAwait(false);
                    if (transform is not null)
                    {
                        var memory = (MemoryStream)file;
                        var body = transform(memory.GetBuffer().AsMemory(0, (int)memory.Length));
                        var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                        await using (output.ConfigureAwait(false))
                        {
                            await output.WriteAsync(body, timeout.Token).ConfigureAwait(false);
                        }
                    }
                }
            }

            File.Move(temp, destination, overwrite: true);
            ClearProgress();
            return new AdminResponse(pathAndQuery, shownUrl, destination, received, capturedAt);
        }
        catch (Exception ex)
        {
            ClearProgress();
            TryDelete(temp);
            if (ex is EnvoyLensException)
            {
                throw;
            }

            if (ex is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                var seconds = TimeText.SecondsValue(_options.Timeout);
                throw new EnvoyLensException(headersSeen
                    ? $"{what} did not complete within the {seconds} s timeout ({received.ToString(CultureInfo.InvariantCulture)} bytes of the body had arrived); no file was kept."
                    : $"{what} got no answer within the {seconds} s timeout; is the Envoy admin port right and Envoy responsive?", ex);
            }

            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw new EnvoyLensException(Describe(ex, what, headersSeen, received), ex);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _target.Resources?.Dispose();
    }

    private EnvoyLensException TooLarge(string what, long bytes) =>
        new($"{what} sent more than the {_options.MaxResponseBytes.ToString(CultureInfo.InvariantCulture)} byte response limit " +
            $"({bytes.ToString(CultureInfo.InvariantCulture)} bytes at least); ask for less (a mask or name filter) or raise the limit; no file was kept.");

    private static string Describe(Exception ex, string what, bool headersSeen, long received)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case EnvoyLensException inner:
                    return $"{what} failed: {inner.Message.TrimEnd('.')}.";
                case PortForwardRefusedException refused:
                    return $"{what} failed: {refused.Message.TrimEnd('.')}.";
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return $"{what} failed: the connection was refused; is Envoy's admin listening there?";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return $"{what} failed: the host name could not be resolved.";
                case AuthenticationException auth:
                    return $"{what} failed in the TLS handshake: {auth.Message.TrimEnd('.')}.";
            }
        }

        if (headersSeen)
        {
            return $"{what} broke off after {received.ToString(CultureInfo.InvariantCulture)} bytes, before the response was complete ({ex.GetBaseException().Message.TrimEnd('.')}); no file was kept.";
        }

        return $"{what} failed before a response arrived: {ex.GetBaseException().Message.TrimEnd('.')}.";
    }

    private static bool IsTransientConnectFailure(Exception ex)
    {
        if (ex is EnvoyLensException { InnerException: { } inner })
        {
            ex = inner;
        }

        if (ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
        {
            return true;
        }

        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is PortForwardRefusedException)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[200];
                var total = 0;
                int read;
                while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                }

                var text = System.Text.Encoding.UTF8.GetString(buffer, 0, total);
                return string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Replace("'", "\"", StringComparison.Ordinal);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            return string.Empty;
        }
    }

    private void ShowProgress(TextWriter progress, string pathAndQuery, long bytes, TimeSpan elapsed)
    {
        progress.Write($"\r{pathAndQuery}  {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes  {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s   ");
        progress.Flush();
        _progressShown = true;
    }

    private void ClearProgress()
    {
        if (_progressShown && _options.Progress is { } progress)
        {
            progress.Write("\r" + new string(' ', 79) + "\r");
            progress.Flush();
            _progressShown = false;
        }
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Debug.WriteLine(ex.Message);
        }
    }
}

/// <summary>The port-forward could not connect to the port inside the pod (the Kubernetes error channel said so).</summary>
public sealed class PortForwardRefusedException(string message) : IOException(message);
