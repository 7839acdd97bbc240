using System.Text;
using CsCheck;

namespace EnvoyLens.Trace.Tests;

/// <summary>
/// Virtual host selection and route order, checked against a direct reading of Envoy's documented algorithm over
/// generated route tables: an exact domain by lookup, then every <c>*SUFFIX</c> from the longest suffix down, then every
/// <c>PREFIX*</c> from the longest prefix down, then <c>*</c>; within the virtual host, the first route whose path
/// and header matchers all match.
/// </summary>
public sealed class SelectionPropertyTests
{
    private static readonly string[] Labels = ["a", "b", "ab", "a-b"];
    private static readonly string[] Paths = ["/", "/a", "/a/b", "/ab", "/A/b", "/a/bc", "/b"];
    private static readonly string[] RoutePaths = ["/", "/a", "/a/b", "/ab", "/b"];

    private sealed record GenRoute(string Name, string Kind, string Value, bool CaseSensitive, string? Header, bool Invert);

    private sealed record GenHost(string Name, List<string> Domains, List<GenRoute> Routes);

    private static string Host(Random r) => string.Join('.', Enumerable.Range(0, r.Next(1, 4)).Select(_ => Labels[r.Next(Labels.Length)]));

    private static List<GenHost> Table(Random r)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var hosts = new List<GenHost>();
        var routeId = 0;
        for (var v = 0; v < r.Next(1, 5); v++)
        {
            var domains = new List<string>();
            for (var d = 0; d < r.Next(1, 4); d++)
            {
                var host = Host(r);
                var domain = r.Next(6) switch
                {
                    0 => "*",
                    1 => "*." + host,
                    2 => "*" + host[Math.Min(1, host.Length - 1)..],
                    3 => host + ".*",
                    _ => host,
                };
                if (used.Add(domain))
                {
                    domains.Add(domain);
                }
            }

            if (domains.Count == 0)
            {
                continue;
            }

            var routes = new List<GenRoute>();
            for (var i = 0; i < r.Next(1, 5); i++)
            {
                var kind = r.Next(3) switch { 0 => "prefix", 1 => "path", _ => "path_separated_prefix" };
                var value = RoutePaths[r.Next(RoutePaths.Length)];
                if (kind == "path_separated_prefix" && value == "/")
                {
                    kind = "prefix";
                }

                routes.Add(new GenRoute("r" + routeId++, kind, value, r.Next(3) != 0, r.Next(3) == 0 ? (r.Next(2) == 0 ? "1" : "2") : null, r.Next(2) == 0));
            }

            hosts.Add(new GenHost("vh" + v, domains, routes));
        }

        return hosts;
    }

    private static string Json(List<GenHost> table)
    {
        var vhosts = table.Select(h =>
        {
            var routes = h.Routes.Select(rt =>
            {
                var sb = new StringBuilder("{'name':'" + rt.Name + "','match':{'" + rt.Kind + "':'" + rt.Value + "','case_sensitive':" + (rt.CaseSensitive ? "true" : "false"));
                if (rt.Header is { } value)
                {
                    sb.Append(",'headers':[{'name':'x-h','string_match':{'exact':'" + value + "'},'invert_match':" + (rt.Invert ? "true" : "false") + "}]");
                }

                return sb.Append("},'route':{'cluster':'c'}}").ToString();
            });
            return Dumps.J("{'name':'" + h.Name + "','domains':[" + string.Join(",", h.Domains.Select(d => "'" + d + "'")) + "],'routes':[" + string.Join(",", routes) + "]}");
        });
        return Dumps.ConfigDump(
            listeners: [Dumps.HttpListener(80, "web")],
            routes: [Dumps.RouteConfig("web", vhosts.ToArray())],
            clusters: [Dumps.EdsCluster("c")],
            endpoints: [Dumps.Endpoints("c", ("10.0.0.1", "HEALTHY"))]);
    }

    /// <summary>Envoy's documented order, by lookup: exact, then the longest wildcard suffix, then the longest wildcard prefix, then '*'.</summary>
    private static GenHost? ReferenceVirtualHost(List<GenHost> table, string host)
    {
        var byDomain = table.SelectMany(h => h.Domains.Select(d => (d, h))).ToDictionary(p => p.d, p => p.h, StringComparer.Ordinal);
        if (byDomain.TryGetValue(host, out var exact))
        {
            return exact;
        }

        for (var i = 1; i < host.Length; i++)
        {
            if (byDomain.TryGetValue("*" + host[i..], out var suffix))
            {
                return suffix;
            }
        }

        for (var i = host.Length - 1; i >= 1; i--)
        {
            if (byDomain.TryGetValue(host[..i] + "*", out var prefix))
            {
                return prefix;
            }
        }

        return byDomain.GetValueOrDefault("*");
    }

    private static GenRoute? ReferenceRoute(GenHost host, string path, string? header)
    {
        foreach (var rt in host.Routes)
        {
            var p = rt.CaseSensitive ? path : path.ToLowerInvariant();
            var v = rt.CaseSensitive ? rt.Value : rt.Value.ToLowerInvariant();
            var pathMatches = rt.Kind switch
            {
                "prefix" => p.StartsWith(v, StringComparison.Ordinal),
                "path" => p == v,
                _ => p == v || p.StartsWith(v + "/", StringComparison.Ordinal),
            };
            var headerMatches = rt.Header is null || (header is not null && (header == rt.Header) != rt.Invert);
            if (pathMatches && headerMatches)
            {
                return rt;
            }
        }

        return null;
    }

    [Fact]
    public void Given_generated_route_tables_When_a_request_is_traced_Then_the_virtual_host_and_route_agree_with_Envoys_documented_algorithm() =>
        Gen.Int[0, 1_000_000].Sample(seed =>
        {
            var r = new Random(seed);
            var table = Table(r);
            var snapshot = Dumps.Decode(Json(table));
            for (var q = 0; q < 8; q++)
            {
                var host = Host(r);
                var path = Paths[r.Next(Paths.Length)];
                var header = r.Next(3) switch { 0 => "1", 1 => "2", _ => null };
                var request = TraceRequest.For("http://" + host + path) with { Headers = header is null ? [] : [new("x-h", header)] };

                var result = new RequestTracer(snapshot).Trace(request);

                var expectedHost = ReferenceVirtualHost(table, host);
                var vh = result.Hops.Single(h => h.Kind == HopKind.VirtualHost);
                Assert.Equal(expectedHost?.Name ?? "(none)", vh.Name);
                if (expectedHost is null)
                {
                    continue;
                }

                var expectedRoute = ReferenceRoute(expectedHost, path, header);
                var route = result.Hops.Single(h => h.Kind == HopKind.Route);
                Assert.Equal(expectedRoute?.Name ?? "(none)", route.Name);
                Assert.Equal(expectedRoute is null ? TraceOutcome.Stopped : TraceOutcome.Forwarded, result.Verdict.Outcome);
            }
        }, iter: 150);
}
