namespace EnvoyLens.Core;

/// <summary>Which control-plane API a <see cref="ControlPlaneMessage"/> came from, and so which message its bytes hold.</summary>
public enum ControlPlaneApi
{
    /// <summary>CSDS <c>FetchClientStatus</c>: an <c>envoy.service.status.v3.ClientStatusResponse</c>.</summary>
    CsdsFetch,

    /// <summary>CSDS <c>StreamClientStatus</c>: the first <c>ClientStatusResponse</c> of the stream.</summary>
    CsdsStream,

    /// <summary>ADS with type URL <c>istio.io/debug/syncz</c>: a <c>DiscoveryResponse</c> of one <c>ClientConfig</c> per proxy.</summary>
    IstioSyncz,

    /// <summary>ADS with type URL <c>istio.io/debug/config_dump</c>: a <c>DiscoveryResponse</c> holding one proxy's config dump.</summary>
    IstioConfigDump,
}

/// <summary>
/// One response of a control plane, undecoded: the protobuf bytes of one message, which API gave them, and what the
/// client had to do to get them (an API the server lacks and the one asked next), for the user to be told.
/// </summary>
/// <param name="Source">The control plane's address, for messages (e.g. <c>http://istiod.istio-system:15010</c>).</param>
public sealed record ControlPlaneMessage(ControlPlaneApi Api, string Source, byte[] Content, IReadOnlyList<string> Notes)
{
    /// <summary>The API's name as the user knows it: <c>CSDS FetchClientStatus</c>, <c>ADS istio.io/debug/syncz</c>, ...</summary>
    public string ApiName => NameOf(Api);

    public static string NameOf(ControlPlaneApi api) => api switch
    {
        ControlPlaneApi.CsdsFetch => "CSDS FetchClientStatus",
        ControlPlaneApi.CsdsStream => "CSDS StreamClientStatus",
        ControlPlaneApi.IstioSyncz => "ADS istio.io/debug/syncz",
        ControlPlaneApi.IstioConfigDump => "ADS istio.io/debug/config_dump",
        _ => api.ToString(),
    };
}
