using System.Text;
using EnvoyLens.Admin;
using EnvoyLens.Core;
using EnvoyLens.Decoding;
using EnvoyLens.Model;
using EnvoyLens.TestKit;

namespace EnvoyLens.Trace.Tests;

/// <summary>Small config dumps authored in the tests: one section per resource kind, each resource a JSON object.</summary>
internal static class Dumps
{
    public const string Hcm = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";

    public static EnvoySnapshot Decode(string json)
    {
        var snapshot = SnapshotDecoder.Decode(new RawSnapshot("authored", [new RawDocument(AdminEndpoint.ConfigDump, "config_dump.json", Encoding.UTF8.GetBytes(json))]));
        Assert.DoesNotContain(snapshot.Diagnostics, d => d.Level != DiagnosticLevel.Info);
        return snapshot;
    }

    public static EnvoySnapshot DecodeFile(string path) => SnapshotDecoder.Decode(SnapshotSources.Open(path));

    /// <summary>The bundled Istio reviews-v1 sidecar capture (config dump, /clusters, ...).</summary>
    public static EnvoySnapshot Reviews() => SnapshotDecoder.Decode(SnapshotSources.Open(TestPaths.Fixture("snapshots", "reviews")));

    public static string ConfigDump(string[]? listeners = null, string[]? routes = null, string[]? clusters = null, string[]? endpoints = null)
    {
        var sb = new StringBuilder("{\"configs\":[");
        sb.Append("{\"@type\":\"type.googleapis.com/envoy.admin.v3.ClustersConfigDump\",\"dynamic_active_clusters\":[")
          .AppendJoin(',', (clusters ?? []).Select(c => "{\"cluster\":{\"@type\":\"type.googleapis.com/envoy.config.cluster.v3.Cluster\"," + c[1..] + "}"))
          .Append("]},");
        sb.Append("{\"@type\":\"type.googleapis.com/envoy.admin.v3.ListenersConfigDump\",\"dynamic_listeners\":[")
          .AppendJoin(',', (listeners ?? []).Select(l => "{\"name\":" + NameOf(l) + ",\"active_state\":{\"listener\":{\"@type\":\"type.googleapis.com/envoy.config.listener.v3.Listener\"," + l[1..] + "}}"))
          .Append("]},");
        sb.Append("{\"@type\":\"type.googleapis.com/envoy.admin.v3.RoutesConfigDump\",\"dynamic_route_configs\":[")
          .AppendJoin(',', (routes ?? []).Select(r => "{\"route_config\":{\"@type\":\"type.googleapis.com/envoy.config.route.v3.RouteConfiguration\"," + r[1..] + "}"))
          .Append("]},");
        sb.Append("{\"@type\":\"type.googleapis.com/envoy.admin.v3.EndpointsConfigDump\",\"dynamic_endpoint_configs\":[")
          .AppendJoin(',', (endpoints ?? []).Select(e => "{\"endpoint_config\":{\"@type\":\"type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment\"," + e[1..] + "}"))
          .Append("]}");
        return sb.Append("]}").ToString();
    }

    private static string NameOf(string resource)
    {
        var at = resource.IndexOf("\"name\":", StringComparison.Ordinal) + 7;
        var start = resource.IndexOf('"', at);
        var end = resource.IndexOf('"', start + 1);
        return resource[start..(end + 1)];
    }

    /// <summary>A listener on 0.0.0.0:<paramref name="port"/> whose one chain sends HTTP to RDS route config <paramref name="routeConfig"/>.</summary>
    public static string HttpListener(int port, string routeConfig, string httpFilters = "") =>
        J("{'name':'0.0.0.0_" + port + "','address':{'socket_address':{'address':'0.0.0.0','port_value':" + port + "}},'filter_chains':[{'filters':[" +
          "{'name':'envoy.filters.network.http_connection_manager','typed_config':{'@type':'" + Hcm + "','stat_prefix':'http','rds':{'route_config_name':'" + routeConfig +
          "','config_source':{'ads':{}}},'http_filters':[" + httpFilters +
          "{'name':'envoy.filters.http.router','typed_config':{'@type':'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router'}}]}}]}]}");

    /// <summary>An EDS cluster named <paramref name="name"/>.</summary>
    public static string EdsCluster(string name) =>
        J("{'name':'" + name + "','type':'EDS','eds_cluster_config':{'eds_config':{'ads':{}}},'connect_timeout':'1s'}");

    /// <summary>A load assignment of <paramref name="cluster"/> with one endpoint per (address, health) pair.</summary>
    public static string Endpoints(string cluster, params (string Address, string Health)[] hosts) =>
        J("{'cluster_name':'" + cluster + "','endpoints':[{'lb_endpoints':[" +
          string.Join(",", hosts.Select(h => "{'endpoint':{'address':{'socket_address':{'address':'" + h.Address + "','port_value':8080}}},'health_status':'" + h.Health + "'}")) +
          "]}]}");

    /// <summary>A route configuration with the given virtual hosts (raw JSON objects).</summary>
    public static string RouteConfig(string name, params string[] virtualHosts) =>
        J("{'name':'" + name + "','virtual_hosts':[") + string.Join(",", virtualHosts) + "]}";

    /// <summary>A virtual host with <paramref name="domains"/> and one catch-all route to <paramref name="cluster"/>.</summary>
    public static string VirtualHost(string name, string[] domains, string cluster) =>
        J("{'name':'" + name + "','domains':[" + string.Join(",", domains.Select(d => "'" + d + "'")) + "],'routes':[{'match':{'prefix':'/'},'route':{'cluster':'" + cluster + "'}}]}");

    /// <summary>JSON written with single quotes (none of the authored values holds one).</summary>
    public static string J(string text) => text.Replace('\'', '"');
}
