using System.Text;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Decoding.Tests.ControlPlane;

public sealed class ControlPlaneFileTests
{
    private const string Source = "bundle/control_plane.json";

    private const string File = """
        {
          "controlPlane": "127.0.0.1:15010",
          "statusApi": "CSDS FetchClientStatus",
          "configApi": "CSDS FetchClientStatus",
          "nodeId": "sidecar~10.244.1.15~reviews-v1-6c8d7b9f4-x2x7q.default~default.svc.cluster.local",
          "proxy": {
            "name": "reviews-v1-6c8d7b9f4-x2x7q.default", "namespace": "default", "cluster": "Kubernetes",
            "controlPlane": "istiod-7d9c8f6b5-abcde", "version": "1.24.2",
            "types": [
              { "type": "CDS", "state": "SYNCED", "version": "v7", "errors": [] },
              { "type": "LDS", "state": "ERROR", "version": "v42",
                "errors": [ { "resource": "0.0.0.0_9080", "details": "Error adding/updating listener(s) 0.0.0.0_9080: bad", "version": "v43" } ] },
              { "type": "RDS", "state": "STALE", "version": null, "since": "2026-11-20T09:40:00Z", "errors": [] },
              { "type": "ECDS", "state": "NOT SENT", "version": null, "errors": [] }
            ]
          },
          "configDump": { "configs": [] }
        }
        """;

    private static EnvoySnapshot Decode(string json) =>
        SnapshotDecoder.Decode(new RawSnapshot("bundle", []) { ControlPlane = new RawFile(Source, Encoding.UTF8.GetBytes(json), new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero)) });

    [Fact]
    public void Given_control_plane_json_When_decoded_Then_the_proxy_its_types_and_NACKs_are_read()
    {
        var view = Decode(File).ControlPlane!;

        Assert.Equal(Source, view.Source);
        Assert.Equal("127.0.0.1:15010", view.Address);
        Assert.Equal("sidecar~10.244.1.15~reviews-v1-6c8d7b9f4-x2x7q.default~default.svc.cluster.local", view.NodeId);
        Assert.Equal(("reviews-v1-6c8d7b9f4-x2x7q.default", "default", "Kubernetes", "istiod-7d9c8f6b5-abcde", "1.24.2"),
            (view.Proxy.Name, view.Proxy.Namespace, view.Proxy.Cluster, view.Proxy.ControlPlane, view.Proxy.Version));
        Assert.Equal([(XdsType.Cds, SyncState.Synced, "v7"), (XdsType.Lds, SyncState.Error, "v42"), (XdsType.Rds, SyncState.Stale, null), (XdsType.Ecds, SyncState.NotSent, null)],
            view.Proxy.Types.Select(t => (t.Type, t.State, t.Version)));
        Assert.Equal(new XdsError("0.0.0.0_9080", "Error adding/updating listener(s) 0.0.0.0_9080: bad", "v43"), Assert.Single(view.Proxy.Of(XdsType.Lds)!.Errors));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 40, 0, TimeSpan.Zero), Assert.Single(view.StaleSince).Value);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), view.CapturedAt);
    }

    [Fact]
    public void Given_no_control_plane_json_When_decoded_Then_there_is_no_view()
    {
        Assert.Null(SnapshotDecoder.Decode(new RawSnapshot("bundle", [])).ControlPlane);
    }

    [Theory]
    [InlineData("{\"controlPlane\": ", "bundle/control_plane.json cannot be read: it is not valid JSON")]
    [InlineData("[]", "bundle/control_plane.json cannot be read: the document is not an object.")]
    [InlineData("{\"controlPlane\": \"a\", \"nodeId\": \"n\"}", "bundle/control_plane.json cannot be read: proxy is missing.")]
    [InlineData("{\"controlPlane\": \"a\", \"nodeId\": \"n\", \"proxy\": {\"types\": [{\"type\": \"XDS\"}]}}", "bundle/control_plane.json cannot be read: proxy.types[].type 'XDS' is not one of CDS, LDS, EDS, RDS, ECDS.")]
    [InlineData("{\"controlPlane\": \"a\", \"nodeId\": 7, \"proxy\": {}}", "bundle/control_plane.json cannot be read: nodeId is not a string.")]
    public void Given_an_unreadable_control_plane_json_When_decoded_Then_it_is_an_error_naming_the_file(string json, string expected)
    {
        var ex = Assert.Throws<EnvoyLensException>(() => Decode(json));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }
}
