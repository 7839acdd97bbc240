namespace EnvoyLens.Core;

/// <summary>The kind of proxy a capture was read from.</summary>
public enum ProxyKind
{
    /// <summary>Envoy (Istio, Envoy Gateway, Consul, Kuma, Contour, ... sidecars and gateways).</summary>
    Envoy,

    /// <summary>Linkerd's proxy, <c>linkerd2-proxy</c>: admin on port 4191 with <c>/metrics</c>, <c>/ready</c> and <c>/live</c>.</summary>
    Linkerd2Proxy,
}

/// <summary>A set of <see cref="ProxyKind"/> values.</summary>
[Flags]
public enum ProxyKinds
{
    None = 0,
    Envoy = 1,
    Linkerd2Proxy = 2,
}

/// <summary>How proxy kinds are named in manifests, reports and sentences.</summary>
public static class ProxyKindNames
{
    /// <summary>The name in a bundle manifest and in JSON output: <c>envoy</c> or <c>linkerd2-proxy</c>.</summary>
    public static string Name(this ProxyKind kind) => kind switch
    {
        ProxyKind.Envoy => "envoy",
        ProxyKind.Linkerd2Proxy => "linkerd2-proxy",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a proxy kind"),
    };

    /// <summary>How a sentence names it: <c>an Envoy proxy</c>, <c>a Linkerd proxy (linkerd2-proxy)</c>.</summary>
    public static string Sentence(this ProxyKind kind) => kind switch
    {
        ProxyKind.Envoy => "an Envoy proxy",
        ProxyKind.Linkerd2Proxy => "a Linkerd proxy (linkerd2-proxy)",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a proxy kind"),
    };

    /// <summary>The kind a manifest name stands for; false for names this version does not know.</summary>
    public static bool TryParse(string? name, out ProxyKind kind)
    {
        foreach (var k in Enum.GetValues<ProxyKind>())
        {
            if (string.Equals(k.Name(), name, StringComparison.Ordinal))
            {
                kind = k;
                return true;
            }
        }

        kind = ProxyKind.Envoy;
        return false;
    }
}

/// <summary>Conversions between <see cref="ProxyKind"/> and <see cref="ProxyKinds"/>.</summary>
public static class ProxyKindSets
{
    /// <summary>The one-element set of <paramref name="kind"/>.</summary>
    public static ProxyKinds Of(ProxyKind kind) => kind == ProxyKind.Linkerd2Proxy ? ProxyKinds.Linkerd2Proxy : ProxyKinds.Envoy;
}
