using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using EnvoyLens.Model;
using SocketAddress = EnvoyLens.Model.SocketAddress;

namespace EnvoyLens.Trace;

/// <summary>
/// The lookups a trace needs that the snapshot does not index by itself, built in one pass and kept once per snapshot:
/// active listeners by port, the <c>use_original_dst</c> listeners, the inbound listener, and the service VIPs the proxy
/// associates with a host (listeners serving an RDS name or Istio cluster, virtual hosts listing an IP domain). A trace
/// then costs lookups, not scans of every listener and route configuration.
/// </summary>
internal sealed class TraceIndex
{
    private static readonly ConditionalWeakTable<EnvoySnapshot, TraceIndex> Cache = new();

    private readonly Dictionary<int, List<Listener>> _byPort = [];
    private readonly Dictionary<string, (IPAddress Vip, Listener Listener, int Order)> _vipByServedName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (IPAddress Vip, VirtualHost Host, RouteConfig Config)> _vipByDomain = new(StringComparer.OrdinalIgnoreCase);

    private TraceIndex(EnvoySnapshot snapshot)
    {
        var active = new List<Listener>();
        foreach (var l in snapshot.Listeners)
        {
            if (!ReferenceEquals(snapshot.FindListener(l.Name), l))
            {
                continue;
            }

            active.Add(l);
            foreach (var port in Addresses(l).Select(a => a.Port!.Value).Distinct())
            {
                if (!_byPort.TryGetValue(port, out var list))
                {
                    _byPort[port] = list = [];
                }

                list.Add(l);
            }

            if (l.Address is { Port: { } p } a && !IsWildcard(a.Address) && IPAddress.TryParse(a.Address, out var vip))
            {
                var suffix = "\n" + p.ToString(CultureInfo.InvariantCulture);
                foreach (var f in l.AllFilterChains.SelectMany(c => c.Filters))
                {
                    if (f.HttpConnectionManager?.RdsRouteConfigName is { } rds)
                    {
                        _vipByServedName.TryAdd("rds\n" + rds + suffix, (vip, l, active.Count));
                    }

                    if (f.TcpProxy?.Cluster is { } cluster)
                    {
                        _vipByServedName.TryAdd("tcp\n" + cluster + suffix, (vip, l, active.Count));
                    }
                }
            }
        }

        Active = active;
        OriginalDestination = active.Where(l => l.UseOriginalDst).OrderBy(l => l.TrafficDirection == "OUTBOUND" ? 0 : 1).ThenBy(l => l.Name, StringComparer.Ordinal).FirstOrDefault();
        Inbound = active.FirstOrDefault(l => l.Name == "virtualInbound")
            ?? active.FirstOrDefault(l => l.TrafficDirection == "INBOUND" && Addresses(l).Any(x => x.Port == 15006))
            ?? active.FirstOrDefault(l => l.TrafficDirection == "INBOUND");

        foreach (var rc in snapshot.RouteConfigs)
        {
            foreach (var vh in rc.VirtualHosts)
            {
                IPAddress? vip = null;
                foreach (var d in vh.Domains)
                {
                    if ((IPAddress.TryParse(d.Trim('[', ']'), out var ip) && !d.Contains(':', StringComparison.Ordinal)) || (d.StartsWith('[') && IPAddress.TryParse(d.Trim('[', ']'), out ip)))
                    {
                        vip = ip;
                        break;
                    }
                }

                if (vip is null)
                {
                    continue;
                }

                foreach (var d in vh.Domains)
                {
                    _vipByDomain.TryAdd(d, (vip, vh, rc));
                }
            }
        }
    }

    /// <summary>The active listeners (the one of each name the snapshot resolves to), in capture order.</summary>
    public IReadOnlyList<Listener> Active { get; }

    /// <summary>The listener taking redirected connections (<c>use_original_dst</c>), outbound first; null when none.</summary>
    public Listener? OriginalDestination { get; }

    /// <summary>Istio's <c>virtualInbound</c>, else an INBOUND listener on 15006, else any INBOUND listener.</summary>
    public Listener? Inbound { get; }

    /// <summary>The index of <paramref name="snapshot"/>, built on first use.</summary>
    public static TraceIndex Of(EnvoySnapshot snapshot) => Cache.GetValue(snapshot, s => new TraceIndex(s));

    /// <summary>Active listeners with a socket address on <paramref name="port"/>, in capture order.</summary>
    public IReadOnlyList<Listener> OnPort(int port) => _byPort.TryGetValue(port, out var list) ? list : [];

    /// <summary>
    /// The first listener (in capture order) with a specific IP on <paramref name="port"/> whose HCM takes RDS route
    /// config <paramref name="routeConfig"/> or whose tcp_proxy sends to <paramref name="cluster"/>.
    /// </summary>
    public (IPAddress Vip, Listener Listener)? ServedBy(string routeConfig, string cluster, int port)
    {
        var suffix = "\n" + port.ToString(CultureInfo.InvariantCulture);
        var byRds = _vipByServedName.TryGetValue("rds\n" + routeConfig + suffix, out var r) ? r : ((IPAddress, Listener, int)?)null;
        var byTcp = _vipByServedName.TryGetValue("tcp\n" + cluster + suffix, out var t) ? t : ((IPAddress, Listener, int)?)null;
        var first = byRds is null ? byTcp : byTcp is null || byRds.Value.Item3 <= byTcp.Value.Item3 ? byRds : byTcp;
        return first is { } hit ? (hit.Item1, hit.Item2) : null;
    }

    /// <summary>The first virtual host listing <paramref name="host"/> among its domains next to an IP domain (an Istio service VIP).</summary>
    public (IPAddress Vip, VirtualHost Host, RouteConfig Config)? VipOfDomain(string host) =>
        _vipByDomain.TryGetValue(host, out var hit) ? hit : null;

    internal static bool IsWildcard(string address) => address is "0.0.0.0" or "::" or "[::]" or "::0";

    internal static IEnumerable<SocketAddress> Addresses(Listener l) =>
        (l.Address is null ? [] : new[] { l.Address }).Concat(l.AdditionalAddresses).Where(a => a.Kind == "socket" && a.Port is not null);
}
