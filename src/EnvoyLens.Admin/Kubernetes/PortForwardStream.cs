using System.Net.WebSockets;
using System.Text;
using EnvoyLens.Admin.Live;

namespace EnvoyLens.Admin.Kubernetes;

/// <summary>
/// One TCP connection to a port inside a pod, carried by a Kubernetes port-forward WebSocket
/// (<c>v4.channel.k8s.io</c>): every message starts with a channel byte, channel 0 carries data and channel 1 errors,
/// and the first message of each channel from the server starts with the port as two little-endian bytes.
/// Text on the error channel (for example a refused connection inside the pod) fails the next read with a
/// <see cref="PortForwardRefusedException"/>.
/// </summary>
internal sealed class PortForwardStream(WebSocket socket, string target, int port) : Stream
{
    private const byte DataChannel = 0;
    private const byte ErrorChannel = 1;

    private readonly byte[] _receive = new byte[1 << 16];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly StringBuilder _error = new();
    private readonly bool[] _prefixSeen = new bool[2];
    private int _pendingOffset;
    private int _pendingCount;
    private int _channel = -1;
    private bool _eof;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_pendingCount > 0)
            {
                var n = Math.Min(_pendingCount, buffer.Length);
                _receive.AsMemory(_pendingOffset, n).CopyTo(buffer);
                _pendingOffset += n;
                _pendingCount -= n;
                return n;
            }

            if (_eof)
            {
                ThrowIfError();
                return 0;
            }

            var result = await socket.ReceiveAsync(_receive.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                _eof = true;
                continue;
            }

            var offset = 0;
            if (_channel < 0)
            {
                if (result.Count == 0)
                {
                    continue;
                }

                _channel = _receive[0];
                offset = 1;
            }

            var channel = _channel;
            if (result.EndOfMessage)
            {
                _channel = -1;
            }

            if (channel <= ErrorChannel && !_prefixSeen[channel])
            {
                // The server's first message on a channel starts with the port; a short prefix is tolerated.
                var skip = Math.Min(2, result.Count - offset);
                offset += skip;
                if (result.EndOfMessage || skip == 2)
                {
                    _prefixSeen[channel] = true;
                }
            }

            var count = result.Count - offset;
            if (count <= 0)
            {
                continue;
            }

            if (channel == DataChannel)
            {
                _pendingOffset = offset;
                _pendingCount = count;
            }
            else if (channel == ErrorChannel)
            {
                _error.Append(Encoding.UTF8.GetString(_receive, offset, count));
                if (result.EndOfMessage)
                {
                    ThrowIfError();
                }
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfError();
        var frame = new byte[buffer.Length + 1];
        frame[0] = DataChannel;
        buffer.CopyTo(frame.AsMemory(1));
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token).GetAwaiter().GetResult();

                    // Finish the close handshake: the forward is gone on the server's side only when it answers the close.
                    var drain = new byte[1024];
                    while (socket.State == WebSocketState.CloseSent
                        && socket.ReceiveAsync(drain.AsMemory(), cts.Token).AsTask().GetAwaiter().GetResult().MessageType != WebSocketMessageType.Close)
                    {
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                // Closing is best effort: the server may already have gone.
            }

            socket.Dispose();
            _sendLock.Dispose();
        }

        base.Dispose(disposing);
    }

    private void ThrowIfError()
    {
        if (_error.Length == 0)
        {
            return;
        }

        var text = string.Join(' ', _error.ToString().Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
        var refused = text.Contains("connection refused", StringComparison.OrdinalIgnoreCase);
        throw new PortForwardRefusedException(refused
            ? $"nothing accepts connections on port {port} inside {target} (the port-forward reported: {text}); check --admin-port and the container"
            : $"the port-forward to port {port} of {target} failed: {text}");
    }
}
