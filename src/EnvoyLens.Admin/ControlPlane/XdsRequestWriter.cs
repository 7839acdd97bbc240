using System.Text;

namespace EnvoyLens.Admin.ControlPlane;

/// <summary>
/// The protobuf bytes of the few requests <see cref="ControlPlaneClient"/> sends, written field by field so that this
/// project needs no generated types (they stop at Decoding). Only what the allowlisted calls carry can be written: a
/// <c>ClientStatusRequest</c> with an optional exact node-id matcher, and a <c>DiscoveryRequest</c> with a node, a type
/// URL and resource names.
/// </summary>
internal static class XdsRequestWriter
{
    /// <summary>
    /// The node EnvoyLens presents on the aggregated stream, in the <c>TYPE~IP~ID~DOMAIN</c> form istiod parses; the
    /// <c>debug</c> type is the one istiod's own debug clients use, and makes istiod push no real config.
    /// </summary>
    public const string DebugNodeId = "debug~0.0.0.0~envoylens~cluster.local";

    /// <summary>The request of <paramref name="call"/> (already allowed by <see cref="ControlPlaneAllowlist"/>).</summary>
    public static byte[] For(ControlPlaneCall call) =>
        call.Service == ControlPlaneAllowlist.AggregatedService
            ? DiscoveryRequest(call.TypeUrl!, call.NodeId is { } node ? [node] : [])
            : ClientStatusRequest(call.NodeId);

    /// <summary><c>envoy.service.status.v3.ClientStatusRequest</c>: <c>node_matchers = 1</c> { <c>node_id = 1</c> { <c>exact = 1</c> } } when a node is asked for.</summary>
    public static byte[] ClientStatusRequest(string? nodeId)
    {
        var request = new Writer();
        if (nodeId is not null)
        {
            var exact = new Writer().String(1, nodeId);
            var matcher = new Writer().Message(1, exact);
            request.Message(1, matcher);
        }

        return request.ToArray();
    }

    /// <summary><c>envoy.service.discovery.v3.DiscoveryRequest</c>: <c>node = 2</c> { <c>id = 1</c> }, <c>resource_names = 3</c>, <c>type_url = 4</c>.</summary>
    public static byte[] DiscoveryRequest(string typeUrl, IReadOnlyList<string> resourceNames)
    {
        var request = new Writer().Message(2, new Writer().String(1, DebugNodeId));
        foreach (var name in resourceNames)
        {
            request.String(3, name);
        }

        return request.String(4, typeUrl).ToArray();
    }

    private sealed class Writer
    {
        private readonly MemoryStream _buffer = new();

        public Writer String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Writer Message(int field, Writer message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => _buffer.ToArray();

        private Writer Bytes(int field, byte[] value)
        {
            Varint((uint)(field << 3 | 2));
            Varint((uint)value.Length);
            _buffer.Write(value);
            return this;
        }

        private void Varint(uint value)
        {
            while (value >= 0x80)
            {
                _buffer.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _buffer.WriteByte((byte)value);
        }
    }
}
