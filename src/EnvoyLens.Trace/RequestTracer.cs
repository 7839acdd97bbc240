using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using EnvoyLens.Core;
using EnvoyLens.Model;
using SocketAddress = EnvoyLens.Model.SocketAddress;

namespace EnvoyLens.Trace;

/// <summary>
/// Follows one request through one proxy's normalized configuration, hop by hop, with Envoy's precedence: listener
/// (exact address, then wildcard; Istio's original-destination hand-off), filter chain, network filters, HTTP
/// filters, route configuration, virtual host, route, cluster, endpoints and upstream TLS. Pure: the snapshot is
/// only read; what EnvoyLens does not evaluate is reported as such, never guessed.
/// </summary>
/// <param name="describeSecret">
/// Optional: what to say about an SDS secret's certificates (validity at the caller's clock, identity), by secret name;
/// null when there is nothing to add. The tracer itself reads no certificate and no clock.
/// </param>
public sealed class RequestTracer(EnvoySnapshot snapshot, Func<string, string?>? describeSecret = null)
{
    private static readonly TimeSpan DefaultRouteTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Network filters that neither route nor stop a connection.</summary>
    private static readonly HashSet<string> PassThroughNetworkFilters = new(StringComparer.Ordinal)
    {
        "istio.metadata_exchange", "istio.stats", "envoy.filters.network.metadata_exchange", "envoy.filters.network.tcp_stats",
    };

    /// <summary>HTTP filters that do not stop or redirect a request by themselves.</summary>
    private static readonly Dictionary<string, string> PassThroughHttpFilters = new(StringComparer.Ordinal)
    {
        ["istio.metadata_exchange"] = "exchanges workload metadata; it does not stop requests",
        ["envoy.filters.http.grpc_stats"] = "counts gRPC messages; it does not stop requests",
        ["istio.stats"] = "records metrics; it does not stop requests",
        ["istio.alpn"] = "sets the upstream ALPN; it does not stop requests",
        ["envoy.filters.http.cors"] = "answers CORS preflight (OPTIONS) requests and adds CORS headers; a plain request passes",
        ["envoy.filters.http.grpc_web"] = "translates gRPC-Web; it does not stop requests",
    };

    private readonly EnvoySnapshot _snapshot = snapshot ?? throw new ArgumentNullException(nameof(snapshot));

    public TraceResult Trace(TraceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = new Run(_snapshot, request, describeSecret);
        var verdict = run.Execute();
        return new TraceResult(request, run.DestinationIp?.ToString(), run.AddressSource, run.Hops, verdict);
    }

    /// <summary>
    /// The cluster and endpoints hops alone: what a request routed to <paramref name="cluster"/> meets (NC when the
    /// cluster is missing, UH when no endpoint is usable, forwarded, or undetermined), with the tracer's own rules.
    /// </summary>
    public TraceVerdict Upstream(string cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var run = new Run(_snapshot, TraceRequest.For("tcp://" + "upstream:1"), describeSecret);
        return run.Upstream(cluster);
    }

    /// <summary>
    /// Whether an RBAC rule set denies every request from every peer: an ALLOW set none of whose policies can match
    /// whatever the peer and request are, or a DENY set with a policy that matches them all. Shadow rules never deny.
    /// </summary>
    public static bool DeniesEveryone(RbacConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Shadow)
        {
            return false;
        }

        var any = config.Policies.Select(RbacEvaluator.MatchesWhateverTheRequest).ToList();
        return config.Action switch
        {
            "ALLOW" => any.All(m => m == false),
            "DENY" => any.Any(m => m == true),
            _ => false,
        };
    }

    /// <summary>One trace's state: the hops so far.</summary>
    private sealed class Run(EnvoySnapshot snapshot, TraceRequest request, Func<string, string?>? describeSecret)
    {
        public List<TraceHop> Hops { get; } = [];

        public IPAddress? DestinationIp { get; private set; }

        public string AddressSource { get; private set; } = string.Empty;

        private TraceTarget Target => request.Target;

        public TraceVerdict Execute()
        {
            (DestinationIp, AddressSource) = ResolveAddress();
            if (request.RouteConfigName is { } start)
            {
                return Target.IsHttp
                    ? Http(new HttpConnectionManager(null, start, null, null, [], JsonPointer.Root), fromRouteConfig: true)
                    : throw new EnvoyLensException("--route-config needs an http://, https:// or grpc:// TARGET.");
            }

            var (listener, handOffFrom, listenerVerdict) = SelectListener();
            if (listener is null)
            {
                return listenerVerdict!;
            }

            _visited.Add(listener.Name);
            return ListenerChain(listener, handOffFrom);
        }

        /// <summary>Listeners the connection has entered, to stop a loop through internal listeners.</summary>
        private readonly HashSet<string> _visited = new(StringComparer.Ordinal);

        /// <summary>The filter chain of a listener the connection has reached, then its network filters.</summary>
        private TraceVerdict ListenerChain(Listener listener, Listener? handOffFrom)
        {
            var facts = Facts(listener, handOffFrom);
            if (listener.FilterChainMatcher is { } matcher)
            {
                return MatcherChain(listener, matcher, facts);
            }

            var selection = FilterChainSelector.Select(listener, facts);
            if (selection.Chain is not { } chain)
            {
                Hops.Add(new TraceHop(HopKind.FilterChain, HopStatus.Stopped, "(none)", listener.Meta.Pointer, "No filter chain of listener " + listener.Name + ": " + selection.Why + ".")
                {
                    Details = [FactsText(facts)],
                    Candidates = selection.Lost,
                });
                return new TraceVerdict(TraceOutcome.Stopped, "NR", null, $"Listener {listener.Name} has no filter chain for this connection: Envoy closes it (response flag NR).");
            }

            Hops.Add(new TraceHop(HopKind.FilterChain, HopStatus.Matched, FilterChainSelector.ChainName(chain), chain.Pointer, Sentence("Filter chain " + FilterChainSelector.ChainName(chain) + " is chosen: " + selection.Why))
            {
                Details = [FactsText(facts)],
                Candidates = selection.Lost,
            });
            return NetworkFilters(chain);
        }

        /// <summary>The filter chain a listener's unified <c>filter_chain_matcher</c> names, then its network filters.</summary>
        private TraceVerdict MatcherChain(Listener listener, ChainMatcher matcher, ConnectionFacts facts)
        {
            var result = ChainMatcherEvaluator.Evaluate(matcher, facts);
            var details = new List<string> { FactsText(facts) };
            details.AddRange(result.Steps);
            switch (result.Outcome)
            {
                case ChainMatcherEvaluator.Outcome.Undetermined:
                    Hops.Add(new TraceHop(HopKind.FilterChain, HopStatus.NotEvaluated, "(filter_chain_matcher)", matcher.Pointer,
                        Sentence($"Listener {listener.Name} chooses its filter chain with the unified filter_chain_matcher, and {result.Reason}")) { Details = details });
                    return new TraceVerdict(TraceOutcome.Undetermined, null, null, Sentence($"The filter chain of listener {listener.Name} is not determined: {result.Reason}"));
                case ChainMatcherEvaluator.Outcome.Matched:
                    var chain = listener.FilterChains.FirstOrDefault(c => c.Name == result.FilterChain);
                    if (chain is null)
                    {
                        Hops.Add(new TraceHop(HopKind.FilterChain, HopStatus.Stopped, result.FilterChain!, matcher.Pointer,
                            $"The filter_chain_matcher of listener {listener.Name} names filter chain {result.FilterChain}, which the listener does not have.") { Details = details });
                        return new TraceVerdict(TraceOutcome.Stopped, "NR", null, $"Listener {listener.Name} has no filter chain {result.FilterChain}: Envoy closes the connection (response flag NR).");
                    }

                    Hops.Add(new TraceHop(HopKind.FilterChain, HopStatus.Matched, FilterChainSelector.ChainName(chain), chain.Pointer,
                        $"Filter chain {FilterChainSelector.ChainName(chain)} is chosen by the listener's filter_chain_matcher.") { Details = details });
                    return NetworkFilters(chain);
                default:
                    if (listener.DefaultFilterChain is { } fallback)
                    {
                        Hops.Add(new TraceHop(HopKind.FilterChain, HopStatus.Matched, FilterChainSelector.ChainName(fallback), fallback.Pointer,
                            "The listener's filter_chain_matcher does not match the connection, so its default_filter_chain is used.") { Details = details });
                        return NetworkFilters(fallback);
                    }

                    Hops.Add(new TraceHop(HopKind.FilterChain, HopStatus.Stopped, "(none)", matcher.Pointer,
                        $"The filter_chain_matcher of listener {listener.Name} does not match the connection and the listener has no default_filter_chain.") { Details = details });
                    return new TraceVerdict(TraceOutcome.Stopped, "NR", null, $"Listener {listener.Name} has no filter chain for this connection: Envoy closes it (response flag NR).");
            }
        }

        public TraceVerdict Upstream(string cluster) => ClusterHop(cluster);

        private (IPAddress? Ip, string Source) ResolveAddress()
        {
            if (request.Address is { } given)
            {
                return IPAddress.TryParse(given, out var ip)
                    ? (ip, "given with --address")
                    : throw new EnvoyLensException($"--address '{given}' is not an IP address.");
            }

            if (IPAddress.TryParse(Target.Host.Trim('[', ']'), out var literal))
            {
                return (literal, "the TARGET's host is an IP address");
            }

            if (request.Inbound)
            {
                return (null, "the pod IP is not known (give --address); chains that match on a destination IP are skipped");
            }

            var port = Target.Port;
            var hostPort = Target.Host + ":" + port.ToString(CultureInfo.InvariantCulture);
            var istioCluster = $"outbound|{port.ToString(CultureInfo.InvariantCulture)}||{Target.Host}";
            if (Index.ServedBy(hostPort, istioCluster, port) is { } served)
            {
                return (served.Vip, $"the service VIP of {Target.Host}: listener {served.Listener.Name} serves {hostPort}");
            }

            if (Index.VipOfDomain(Target.Host) is { } domain)
            {
                return (domain.Vip, $"the service VIP of {Target.Host}: virtual host {domain.Host.Name} of route config {domain.Config.Name} lists both");
            }

            if (snapshot.FindCluster(istioCluster) is { } cluster)
            {
                var endpoint = UsableFirst(MergedEndpoints(cluster)).FirstOrDefault();
                if (endpoint is not null && IPAddress.TryParse(endpoint.Address.Address, out var ip))
                {
                    return (ip, $"an endpoint of cluster {cluster.Name} (no service VIP of {Target.Host} is known: a headless service?)");
                }
            }

            return (null, $"no IP of {Target.Host} is known to this proxy (give --address); the wildcard listener on port {port.ToString(CultureInfo.InvariantCulture)} is used");
        }

        private TraceIndex Index { get; } = TraceIndex.Of(snapshot);

        private static bool IsWildcard(string address) => TraceIndex.IsWildcard(address);

        private static IEnumerable<SocketAddress> Addresses(Listener l) => TraceIndex.Addresses(l);

        private (Listener? Listener, Listener? HandOffFrom, TraceVerdict? Verdict) SelectListener()
        {
            var port = Target.Port;
            if (request.Inbound)
            {
                var inbound = Index.Inbound;
                if (inbound is null)
                {
                    Hops.Add(new TraceHop(HopKind.Listener, HopStatus.Stopped, "(none)", JsonPointer.Root, "No inbound listener (Istio's virtualInbound on 15006, or one with traffic_direction INBOUND) is in this capture."));
                    return (null, null, new TraceVerdict(TraceOutcome.Stopped, null, null, "No inbound listener: the connection is refused."));
                }

                Hops.Add(new TraceHop(HopKind.Listener, HopStatus.Matched, inbound.Name, inbound.Meta.Pointer,
                    $"--inbound: Istio redirects inbound connections to listener {inbound.Name} ({inbound.Address}), which matches chains on the original destination port {port.ToString(CultureInfo.InvariantCulture)}."));
                return (inbound, null, null);
            }

            var onPort = Index.OnPort(port);
            var exact = DestinationIp is null ? null : onPort.FirstOrDefault(l => Addresses(l).Any(a => a.Port == port && IPAddress.TryParse(a.Address.Trim('[', ']'), out var ip) && ip.Equals(DestinationIp)));
            var wildcard = onPort.FirstOrDefault(l => Addresses(l).Any(a => a.Port == port && IsWildcard(a.Address)));
            var chosen = exact ?? wildcard;
            var original = Index.OriginalDestination;
            var lost = onPort.Where(l => l != chosen).Select(l => new TraceCandidate(l.Name, l.Meta.Pointer,
                exact is not null && l == wildcard ? "a listener on the exact destination address wins over the wildcard address" : $"it listens on {string.Join(", ", Addresses(l))}, not the destination")).ToList();
            var dst = (DestinationIp?.ToString() ?? "*") + ":" + port.ToString(CultureInfo.InvariantCulture);

            if (chosen is not null && original is not null && chosen != original && chosen.BindToPort == false)
            {
                Hops.Add(new TraceHop(HopKind.Listener, HopStatus.Matched, original.Name, original.Meta.Pointer,
                    $"Outbound connections are redirected to {original.Name} ({original.Address}), whose use_original_dst hands them to the listener of the original destination {dst}."));
                Hops.Add(new TraceHop(HopKind.Listener, HopStatus.Matched, chosen.Name, chosen.Meta.Pointer, Sentence(ListenerWhy(chosen, exact, dst) + " (bind_to_port false: it only receives hand-offs)")) { Candidates = lost });
                return (chosen, original, null);
            }

            if (chosen is not null)
            {
                Hops.Add(new TraceHop(HopKind.Listener, HopStatus.Matched, chosen.Name, chosen.Meta.Pointer, Sentence(ListenerWhy(chosen, exact, dst))) { Candidates = lost });
                return (chosen, null, null);
            }

            if (original is not null)
            {
                Hops.Add(new TraceHop(HopKind.Listener, HopStatus.Matched, original.Name, original.Meta.Pointer,
                    $"No listener serves {dst}, so the connection stays on {original.Name} ({original.Address}, use_original_dst) and its own filter chains decide.") { Candidates = lost });
                return (original, null, null);
            }

            Hops.Add(new TraceHop(HopKind.Listener, HopStatus.Stopped, "(none)", JsonPointer.Root, $"No listener serves {dst} and none takes redirected connections (use_original_dst)."));
            return (null, null, new TraceVerdict(TraceOutcome.Stopped, null, null, $"No listener on {dst}: the connection is refused."));
        }

        private string ListenerWhy(Listener l, Listener? exact, string dst) =>
            l == exact ? $"Listener {l.Name} listens on the exact destination {dst}"
            : DestinationIp is null ? $"Listener {l.Name} listens on the wildcard address {l.Address} (the destination IP is not known)"
            : $"Listener {l.Name} listens on the wildcard address {l.Address} (no listener has the exact address {dst})";

        private ConnectionFacts Facts(Listener listener, Listener? handOffFrom)
        {
            var tls = Target.IsTls || request.Sni is not null;
            string transport;
            IReadOnlyList<string> alpn;
            if (request.Inbound && !Target.IsTls)
            {
                // A mesh peer's sidecar originates Istio mTLS with its own ALPN, unless --sni/--alpn say otherwise.
                transport = "tls";
                alpn = request.Alpn.Count > 0 ? request.Alpn : Target.Scheme == "grpc" ? ["istio-h2", "istio"] : Target.IsHttp ? ["istio-http/1.1", "istio"] : ["istio"];
            }
            else
            {
                transport = tls ? "tls" : "raw_buffer";
                var inspectors = listener.ListenerFilters.Concat(handOffFrom?.ListenerFilters ?? []);
                var httpInspector = inspectors.Any(f => f.Name.Contains("http_inspector", StringComparison.Ordinal));
                alpn = request.Alpn.Count > 0 ? request.Alpn
                    : !tls && httpInspector && Target.IsHttp ? (Target.Scheme == "grpc" ? ["h2c"] : ["http/1.1"])
                    : [];
            }

            IPAddress? source = null;
            if (request.SourceIp is { } s)
            {
                source = IPAddress.TryParse(s, out var ip) ? ip : throw new EnvoyLensException($"--source '{s}' is not an IP address.");
            }

            return new ConnectionFacts(Target.Port, DestinationIp, request.ServerName?.ToLowerInvariant(), transport, alpn, source, request.SourcePort);
        }

        private string FactsText(ConnectionFacts f) =>
            "connection: destination " + (f.DestinationIp?.ToString() ?? "unknown") + ":" + f.DestinationPort.ToString(CultureInfo.InvariantCulture) +
            ", transport " + f.TransportProtocol +
            (f.ServerName is null ? string.Empty : ", SNI " + f.ServerName) +
            (f.ApplicationProtocols.Count == 0 ? string.Empty : ", ALPN " + string.Join(",", f.ApplicationProtocols)) +
            (f.SourceIp is null ? ", source unknown" : ", source " + f.SourceIp + (f.SourcePort is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : string.Empty)) +
            (request.Inbound && !Target.IsTls && request.Alpn.Count == 0 ? " (--inbound: assumed Istio mTLS from a mesh peer)" : string.Empty);

        private TraceVerdict NetworkFilters(FilterChain chain)
        {
            foreach (var filter in chain.Filters)
            {
                if (filter.Rbac.Count > 0 || filter.Name == "envoy.filters.network.rbac")
                {
                    if (Rbac(HopKind.NetworkFilter, filter.Name, filter.Extension.Pointer, filter.Rbac) is { } denied)
                    {
                        return denied;
                    }

                    continue;
                }

                if (filter.TcpProxy is { } tcp)
                {
                    var (name, why) = tcp.Cluster is { } c
                        ? (c, $"tcp_proxy sends the connection to cluster {c}")
                        : WeightedChoice(tcp.WeightedClusters, "tcp_proxy");
                    Hops.Add(new TraceHop(HopKind.NetworkFilter, HopStatus.Matched, filter.Name, tcp.Pointer, Sentence(why))
                    {
                        Details = tcp.WeightedClusters.Count > 0 ? [Shares(tcp.WeightedClusters)] : [],
                    });
                    return name is null
                        ? Undetermined(HopKind.NetworkFilter, filter.Name, tcp.Pointer, "tcp_proxy names no cluster EnvoyLens can read")
                        : ClusterHop(name);
                }

                if (filter.HttpConnectionManager is { } hcm)
                {
                    Hops.Add(new TraceHop(HopKind.NetworkFilter, HopStatus.Matched, filter.Name, hcm.Pointer,
                        "The HTTP connection manager" + (hcm.StatPrefix is null ? string.Empty : " (" + hcm.StatPrefix + ")") + " parses the request and routes it."));
                    if (!Target.IsHttp)
                    {
                        return Undetermined(HopKind.NetworkFilter, filter.Name, hcm.Pointer, "a tcp:// TARGET reaches an HTTP connection manager; what happens depends on the bytes sent");
                    }

                    return Http(hcm);
                }

                if (PassThroughNetworkFilters.Contains(filter.Name))
                {
                    continue;
                }

                Hops.Add(new TraceHop(HopKind.NetworkFilter, HopStatus.NotEvaluated, filter.Name, filter.Extension.Pointer,
                    $"Network filter {filter.Name} ({filter.Extension.TypeName ?? "unknown type"}) is not evaluated; the trace assumes it passes the connection on."));
            }

            return Undetermined(HopKind.NetworkFilter, "(end of chain)", chain.Pointer, "the filter chain ends without a terminal filter (tcp_proxy or HTTP connection manager) that EnvoyLens reads");
        }

        /// <summary>
        /// An RBAC filter's rules and shadow rules, each policy evaluated as far as the request determines it. A denial
        /// that is certain stops the trace with <c>rbac_access_denied_matched_policy[POLICY]</c>; an outcome that
        /// depends on what the request does not say is reported as unknown and the trace goes on.
        /// </summary>
        private TraceVerdict? Rbac(HopKind kind, string name, JsonPointer at, IReadOnlyList<RbacConfig> configs)
        {
            var http = kind == HopKind.HttpFilter;
            var facts = new RbacFacts(request.SourcePrincipal, SourceIp(), Target.Port, http ? request.HeaderMap() : null, Target.Path);
            foreach (var config in configs)
            {
                var results = config.Policies.Select(p => RbacEvaluator.Evaluate(p, facts)).ToList();
                var details = results.Select(r => $"policy {r.Policy.Name}: {r.Why}").ToList();
                var matched = results.FirstOrDefault(r => r.Matches == true);
                var unknown = results.Where(r => r.Matches is null).ToList();
                var firstUnknownBefore = matched is not null && unknown.Any(u => string.CompareOrdinal(u.Policy.Name, matched.Policy.Name) < 0);
                var peer = PeerText();
                if (config.Shadow)
                {
                    var would = config.Action switch
                    {
                        "ALLOW" => matched is not null ? $"would allow it (policy {matched.Policy.Name})" : unknown.Count > 0 ? "would decide it in a way that is unknown" : "would deny it",
                        "DENY" => matched is not null ? $"would deny it (policy {matched.Policy.Name})" : unknown.Count > 0 ? "would decide it in a way that is unknown" : "would allow it",
                        _ => "only log",
                    };
                    Hops.Add(new TraceHop(kind, HopStatus.Matched, name, config.Pointer, $"Its shadow rules ({config.Action}) {would}; shadow rules only count decisions, they never deny.") { Details = details });
                    continue;
                }

                if (config.Action is not ("ALLOW" or "DENY"))
                {
                    Hops.Add(new TraceHop(kind, HopStatus.Matched, name, config.Pointer, $"RBAC action {config.Action} only records decisions; it lets every request pass.") { Details = details });
                    continue;
                }

                var allow = config.Action == "ALLOW";
                bool? denied = allow
                    ? (matched is not null ? false : unknown.Count > 0 ? null : true)
                    : (matched is not null ? true : unknown.Count > 0 ? null : false);
                if (denied == true)
                {
                    var policy = allow ? "none" : matched!.Policy.Name;
                    var flag = $"rbac_access_denied_matched_policy[{policy}]";
                    var why = allow
                        ? config.Policies.Count == 0
                            ? "RBAC action ALLOW with no policies denies every request."
                            : $"RBAC action ALLOW: no policy ({string.Join(", ", config.Policies.Select(p => p.Name))}) matches {peer}, so it is denied."
                        : $"RBAC action DENY: policy {policy} matches {peer}" + (firstUnknownBefore ? " (a policy before it by name is unknown and may be the one logged)" : string.Empty) + ", so it is denied.";
                    Hops.Add(new TraceHop(kind, HopStatus.Stopped, name, config.Pointer, why) { Details = details });
                    return new TraceVerdict(TraceOutcome.Stopped, flag, http ? 403u : null,
                        $"Denied by {name}: " + (http ? "Envoy answers 403 (" : "Envoy closes the connection (") + flag + ").");
                }

                if (denied == false)
                {
                    var why = allow
                        ? $"RBAC action ALLOW: policy {matched!.Policy.Name} matches {peer}" + (firstUnknownBefore ? " (a policy before it by name is unknown)" : string.Empty) + "."
                        : config.Policies.Count == 0 ? "RBAC action DENY with no policies lets every request pass." : $"RBAC action DENY: no policy matches {peer}, so it passes.";
                    Hops.Add(new TraceHop(kind, HopStatus.Matched, name, config.Pointer, why) { Details = details });
                    continue;
                }

                Hops.Add(new TraceHop(kind, HopStatus.NotEvaluated, name, config.Pointer,
                    $"RBAC action {config.Action}: the decision is unknown, policies {string.Join(", ", unknown.Select(u => u.Policy.Name))} depend on what the request does not determine; the trace assumes it lets the request pass.") { Details = details });
            }

            if (configs.Count == 0)
            {
                Hops.Add(new TraceHop(kind, HopStatus.NotEvaluated, name, at, "Its RBAC rules could not be read; the trace assumes it lets the request pass."));
            }

            return null;
        }

        /// <summary>
        /// jwt_authn: the first rule whose match takes the request, what it requires and from which issuers. When no
        /// token is carried where any required provider looks for one and the requirement cannot be met without a JWT,
        /// Envoy answers 401 and the trace stops; otherwise the JWT's validity is not evaluated.
        /// </summary>
        private TraceVerdict? Jwt(HttpFilter filter, JwtAuthn jwt, PerRoute? perRoute = null)
        {
            var headers = request.HeaderMap();
            var query = RouteMatcher.ParseQuery(Target.Query);
            if (perRoute?.Config.JwtRequirementName is { } requirementName)
            {
                // The route names the requirement: the filter's rules are not consulted.
                return jwt.RequirementMap.TryGetValue(requirementName, out var named)
                    ? JwtRequirementHop(filter, jwt, named, $"requirement {requirementName} (named by {perRoute.Level})", perRoute.Config.Pointer, headers, query)
                    : NotEvaluatedFilter(filter, perRoute.Config.Pointer, $"jwt_authn: {perRoute.Level} names requirement {requirementName}, which the filter's requirement_map does not have");
            }

            for (var i = 0; i < jwt.Rules.Count; i++)
            {
                var rule = jwt.Rules[i];
                var match = RouteMatcher.Match(rule.Match, request.Method, Target.Path, Target.Query, headers);
                if (match.Matches == false)
                {
                    continue;
                }

                var label = "rule " + i.ToString(CultureInfo.InvariantCulture);
                if (match.Matches is null)
                {
                    Hops.Add(new TraceHop(HopKind.HttpFilter, HopStatus.NotEvaluated, filter.Name, rule.Pointer, Sentence($"jwt_authn: whether {label} applies is not known ({match.Why}); the trace assumes the request passes")));
                    return null;
                }

                if (rule.Requires is not { } requires)
                {
                    Hops.Add(new TraceHop(HopKind.HttpFilter, HopStatus.Matched, filter.Name, rule.Pointer, $"jwt_authn: {label} applies and requires no JWT."));
                    return null;
                }

                return JwtRequirementHop(filter, jwt, requires, label, rule.Pointer, headers, query);
            }

            Hops.Add(new TraceHop(HopKind.HttpFilter, HopStatus.Matched, filter.Name, jwt.Pointer, "jwt_authn: no rule applies to this request, so no JWT is verified."));
            return null;
        }

        /// <summary>What a JWT requirement means for this request: a 401 stop when it needs a JWT the request does not carry.</summary>
        private TraceVerdict? JwtRequirementHop(HttpFilter filter, JwtAuthn jwt, JwtRequirement requires, string label, JsonPointer at,
            IReadOnlyDictionary<string, IReadOnlyList<string>> headers, Dictionary<string, string> query)
        {
            var providers = Providers(requires).Distinct(StringComparer.Ordinal).Select(n => jwt.Providers.FirstOrDefault(p => p.Name == n)).OfType<JwtProvider>().ToList();
            var issuers = providers.Count == 0 ? "an unknown provider" : string.Join(" or ", providers.Select(p => p.Issuer ?? p.Name + " (any issuer)"));
            var carried = providers.Any(p => HasToken(p, headers, query));
            var needs = NeedsJwt(requires);
            var what = $"jwt_authn: {label} applies ({Describe(requires)}) and needs a JWT from {issuers}";
            if (!carried && needs == true)
            {
                Hops.Add(new TraceHop(HopKind.HttpFilter, HopStatus.Stopped, filter.Name, at, what + "; the request carries none (no Authorization header was given), so Envoy answers 401."));
                return new TraceVerdict(TraceOutcome.Stopped, "jwt_authn_access_denied{Jwt_is_missing}", 401, $"Denied by {filter.Name}: no JWT from {issuers} (401, jwt_authn_access_denied{{Jwt_is_missing}}).");
            }

            Hops.Add(new TraceHop(HopKind.HttpFilter, HopStatus.NotEvaluated, filter.Name, at,
                what + (carried ? "; whether the token given is valid is not evaluated, the trace assumes it is." : "; none is carried, which the requirement allows.")));
            return null;
        }

        private TraceVerdict? NotEvaluatedFilter(HttpFilter filter, JsonPointer at, string what)
        {
            Hops.Add(new TraceHop(HopKind.HttpFilter, HopStatus.NotEvaluated, filter.Name, at, Sentence(Capitalize(what) + "; the trace assumes it lets the request pass")));
            return null;
        }

        /// <summary>A <c>typed_per_filter_config</c> entry of the route the request will take, with where it was found.</summary>
        private sealed record PerRoute(PerFilterConfig Config, string Level);

        /// <summary>
        /// The per-filter settings of the route this request will take, most specific level first (route, then virtual
        /// host, then route configuration), found before the filters run as Envoy's filters find them; null when the
        /// route is not determined here (a scoped or missing route configuration, no virtual host, an undetermined route).
        /// </summary>
        private Dictionary<string, PerRoute>? PerRouteConfigs(HttpConnectionManager hcm)
        {
            var rc = hcm.InlineRouteConfig ?? (hcm.RdsRouteConfigName is { } rds ? snapshot.FindRouteConfig(rds) : null);
            if (rc is null)
            {
                return null;
            }

            var host = VirtualHostSelector.HostForMatching(request.Authority, hcm.StripAnyHostPort || rc.IgnorePortInHostMatching);
            if (VirtualHostSelector.Select(rc.VirtualHosts, host) is not { } selected)
            {
                return null;
            }

            var vh = selected.Host;
            var headers = request.HeaderMap();
            Route? route = null;
            var index = 0;
            for (; index < vh.Routes.Count; index++)
            {
                var matches = RouteMatcher.Match(vh.Routes[index].Match, request.Method, Target.Path, Target.Query, headers).Matches;
                if (matches is null)
                {
                    return null;
                }

                if (matches == true)
                {
                    route = vh.Routes[index];
                    break;
                }
            }

            var found = new Dictionary<string, PerRoute>(StringComparer.Ordinal);
            foreach (var c in rc.PerFilterConfigs)
            {
                found[c.FilterName] = new PerRoute(c, "route configuration " + rc.Name);
            }

            foreach (var c in vh.PerFilterConfigs)
            {
                found[c.FilterName] = new PerRoute(c, "virtual host " + vh.Name);
            }

            foreach (var c in route?.PerFilterConfigs ?? [])
            {
                found[c.FilterName] = new PerRoute(c, "route " + RouteName(route!, index));
            }

            return found;
        }

        private static IEnumerable<string> Providers(JwtRequirement r) =>
            (r.ProviderName is { } n && r.Kind == "provider" ? [n] : Array.Empty<string>()).Concat(r.Children.SelectMany(Providers));

        /// <summary>Whether the requirement fails without a JWT: true, false, or null when it is not known.</summary>
        private static bool? NeedsJwt(JwtRequirement r) => r.Kind switch
        {
            "provider" => true,
            "requires_all" => r.Children.Any(c => NeedsJwt(c) == true) ? true : r.Children.All(c => NeedsJwt(c) == false) ? false : null,
            "requires_any" => r.Children.Count > 0 && r.Children.All(c => NeedsJwt(c) == true) ? true : r.Children.Any(c => NeedsJwt(c) == false) ? false : null,
            "allow_missing" or "allow_missing_or_failed" => false,
            _ => null,
        };

        private static string Describe(JwtRequirement r) => r.Kind switch
        {
            "provider" => "provider " + r.ProviderName,
            "requires_any" => "any of " + string.Join(", ", r.Children.Select(Describe)),
            "requires_all" => "all of " + string.Join(", ", r.Children.Select(Describe)),
            _ => r.Kind + (r.ProviderName is null ? string.Empty : " " + r.ProviderName),
        };

        private static bool HasToken(JwtProvider p, IReadOnlyDictionary<string, IReadOnlyList<string>> headers, Dictionary<string, string> query) =>
            p.FromHeaders.Count == 0 && p.FromParams.Count == 0
                ? headers.ContainsKey("authorization") || query.ContainsKey("access_token")
                : p.FromHeaders.Any(headers.ContainsKey) || p.FromParams.Any(query.ContainsKey);

        private IPAddress? SourceIp() => request.SourceIp is { } s && IPAddress.TryParse(s, out var ip) ? ip : null;

        private string PeerText() =>
            "the request from " + (request.SourcePrincipal ?? "an unknown principal") + (request.SourceIp is { } s ? " at " + s : string.Empty);

        private TraceVerdict Http(HttpConnectionManager hcm, bool fromRouteConfig = false)
        {
            var perRoute = hcm.HttpFilters.Count > 0 ? PerRouteConfigs(hcm) : null;
            foreach (var filter in hcm.HttpFilters)
            {
                if (filter.Name is "envoy.filters.http.router" || filter.Extension.TypeName == "envoy.extensions.filters.http.router.v3.Router")
                {
                    continue;
                }

                var over = perRoute?.GetValueOrDefault(filter.Name);
                if (over?.Config.Effect == PerFilterEffect.Disable)
                {
                    Hops.Add(new TraceHop(HopKind.HttpFilter, HopStatus.Matched, filter.Name, over.Config.Pointer, $"It does not run for this request: the typed_per_filter_config of {over.Level} disables it."));
                    continue;
                }

                if (filter.Disabled && over is null)
                {
                    Hops.Add(new TraceHop(HopKind.HttpFilter, HopStatus.Matched, filter.Name, filter.Extension.Pointer,
                        perRoute is null
                            ? "It is disabled by default; whether the route enables it is not determined here."
                            : "It is disabled by default and the route this request takes does not enable it."));
                    continue;
                }

                if (over is { Config.Effect: PerFilterEffect.Other })
                {
                    Hops.Add(new TraceHop(HopKind.HttpFilter, HopStatus.NotEvaluated, filter.Name, over.Config.Pointer,
                        $"The typed_per_filter_config of {over.Level} ({over.Config.TypeName ?? "unknown type"}) changes this filter for the request and is not evaluated; the filter's own settings follow."));
                }

                if (filter.Rbac.Count > 0 || filter.Name == "envoy.filters.http.rbac")
                {
                    var rules = over?.Config.Rbac ?? filter.Rbac;
                    if (over?.Config.Rbac is { Count: 0 })
                    {
                        Hops.Add(new TraceHop(HopKind.HttpFilter, HopStatus.Matched, filter.Name, over.Config.Pointer, $"RBAC is not enforced for this request: the RBACPerRoute of {over.Level} has no rules."));
                        continue;
                    }

                    var at = over?.Config.Rbac is not null ? over.Config.Pointer : filter.Extension.Pointer;
                    if (Rbac(HopKind.HttpFilter, filter.Name, at, rules) is { } denied)
                    {
                        return denied;
                    }

                    continue;
                }

                if (filter.JwtAuthn is { } jwt)
                {
                    if (Jwt(filter, jwt, over) is { } missing)
                    {
                        return missing;
                    }

                    continue;
                }

                if (filter.ExtAuthz is { } authz)
                {
                    var service = authz.Cluster is { } cluster ? (authz.Kind == "http" ? "HTTP service cluster " : "gRPC service cluster ") + cluster
                        : authz.Target is { } target ? (authz.Kind == "http" ? "HTTP service " : "Google gRPC target ") + target
                        : "an authorization service EnvoyLens cannot name";
                    Hops.Add(new TraceHop(HopKind.HttpFilter, HopStatus.NotEvaluated, filter.Name, authz.Pointer,
                        $"ext_authz: decided by {service}" + (authz.FailureModeAllow ? " (failure_mode_allow: requests pass when it is unreachable)" : " (requests are denied when it is unreachable)") + "; the trace assumes it allows the request."));
                    continue;
                }

                if (PassThroughHttpFilters.TryGetValue(filter.Name, out var passes))
                {
                    Hops.Add(new TraceHop(HopKind.HttpFilter, HopStatus.Matched, filter.Name, filter.Extension.Pointer, Sentence("It " + passes)));
                    continue;
                }

                var what = filter.Name switch
                {
                    "envoy.filters.http.jwt_authn" => "jwt_authn: its configuration could not be read, so which requirement applies is not evaluated" + (request.Headers.Any(h => h.Key.Equals("authorization", StringComparison.OrdinalIgnoreCase)) ? string.Empty : " (no Authorization header was given)"),
                    "envoy.filters.http.ext_authz" => "ext_authz: the decision is made by an external authorization service its configuration does not name",
                    "envoy.filters.http.fault" => "fault injection may delay or abort a share of requests; it is not evaluated",
                    _ when filter.Name.Contains("wasm", StringComparison.Ordinal) || (filter.Extension.TypeName?.Contains("wasm", StringComparison.OrdinalIgnoreCase) ?? false) => "a Wasm filter is not evaluated",
                    _ => $"HTTP filter {filter.Name} ({filter.Extension.TypeName ?? "unknown type"}) is not evaluated",
                };
                Hops.Add(new TraceHop(HopKind.HttpFilter, HopStatus.NotEvaluated, filter.Name, filter.Extension.Pointer, Sentence(Capitalize(what) + "; the trace assumes it lets the request pass")));
            }

            RouteConfig? rc;
            if (hcm.InlineRouteConfig is { } inline)
            {
                rc = inline;
                Hops.Add(new TraceHop(HopKind.RouteConfig, HopStatus.Matched, string.IsNullOrEmpty(inline.Name) ? "(inline)" : inline.Name, inline.Meta.Pointer, "The HTTP connection manager carries its route configuration inline."));
            }
            else if (hcm.RdsRouteConfigName is { } rds)
            {
                rc = snapshot.FindRouteConfig(rds);
                if (rc is null)
                {
                    Hops.Add(new TraceHop(HopKind.RouteConfig, HopStatus.Stopped, rds, hcm.Pointer, $"RDS route configuration {rds} is not in the capture (not received, or not captured)."));
                    return new TraceVerdict(TraceOutcome.Stopped, "NR", 404, $"Route configuration {rds} is missing: Envoy answers 404 (response flag NR).");
                }

                Hops.Add(new TraceHop(HopKind.RouteConfig, HopStatus.Matched, rds, rc.Meta.Pointer,
                    fromRouteConfig ? $"The trace starts at route configuration {rds} (--route-config); listeners and filters are skipped." : $"The HTTP connection manager takes its routes from RDS route configuration {rds}."));
            }
            else
            {
                return Undetermined(HopKind.RouteConfig, hcm.ScopedRoutesName ?? "(scoped routes)", hcm.Pointer, "scoped routes are not evaluated");
            }

            var strip = hcm.StripAnyHostPort || rc.IgnorePortInHostMatching;
            var host = VirtualHostSelector.HostForMatching(request.Authority, strip);
            var selected = VirtualHostSelector.Select(rc.VirtualHosts, host);
            var vhLost = rc.VirtualHosts.Where(v => selected is null || v != selected.Value.Host).Select(v =>
            {
                var best = v.Domains.Select(d => VirtualHostSelector.Match(d, host)).Where(m => m is not null).Select(m => m!.Value).OrderBy(m => m.Rank).ThenByDescending(m => m.Length).FirstOrDefault();
                return new TraceCandidate(v.Name, v.Pointer, best.Domain is null ? "no domain matches" : $"its best domain '{best.Domain}' is less specific");
            }).ToList();
            var hostNote = strip && !host.Equals(request.Authority, StringComparison.OrdinalIgnoreCase) ? $" (port ignored: {(hcm.StripAnyHostPort ? "strip_any_host_port" : "ignore_port_in_host_matching")})" : string.Empty;
            if (selected is not { } chosen)
            {
                Hops.Add(new TraceHop(HopKind.VirtualHost, HopStatus.Stopped, "(none)", rc.Meta.Pointer, $"No virtual host of {rc.Name} has a domain matching host '{host}'{hostNote}.") { Candidates = vhLost });
                return new TraceVerdict(TraceOutcome.Stopped, "NR", 404, $"No virtual host for host '{host}' in route configuration {rc.Name}: Envoy answers 404 (response flag NR).");
            }

            Hops.Add(new TraceHop(HopKind.VirtualHost, HopStatus.Matched, chosen.Host.Name, chosen.Host.Pointer, Sentence($"For host '{host}'{hostNote} its {chosen.Match.Describe()}")) { Candidates = vhLost });
            return RouteHop(chosen.Host);
        }

        private TraceVerdict RouteHop(VirtualHost vh)
        {
            var headers = request.HeaderMap();
            var lost = new List<TraceCandidate>();
            for (var i = 0; i < vh.Routes.Count; i++)
            {
                var route = vh.Routes[i];
                var name = RouteName(route, i);
                var result = RouteMatcher.Match(route.Match, request.Method, Target.Path, Target.Query, headers);
                if (result.Matches == false)
                {
                    lost.Add(new TraceCandidate(name, route.Pointer, result.Why));
                    continue;
                }

                if (result.Matches is null)
                {
                    Hops.Add(new TraceHop(HopKind.Route, HopStatus.NotEvaluated, name, route.Pointer, Sentence($"Route {name} decides, but {result.Why}")) { Candidates = lost });
                    return new TraceVerdict(TraceOutcome.Undetermined, null, null, $"Route {name} of virtual host {vh.Name} cannot be evaluated ({result.Why}); the outcome is not determined.");
                }

                return RouteAction(route, name, result.Why, lost);
            }

            Hops.Add(new TraceHop(HopKind.Route, HopStatus.Stopped, "(none)", vh.Pointer, $"No route of virtual host {vh.Name} matches {request.Method} {Target.Path}.") { Candidates = lost });
            return new TraceVerdict(TraceOutcome.Stopped, "NR", 404, $"No route of virtual host {vh.Name} matches: Envoy answers 404 (response flag NR).");
        }

        private static string RouteName(Route route, int index) =>
            route.Name ?? "#" + index.ToString(CultureInfo.InvariantCulture);

        private TraceVerdict RouteAction(Route route, string name, string why, List<TraceCandidate> lost)
        {
            var details = new List<string>();
            var matchedFirst = lost.Count == 0 ? "it is the first route and " : $"the {lost.Count.ToString(CultureInfo.InvariantCulture)} route(s) before it do not match and ";
            switch (route.ActionKind)
            {
                case RouteActionKind.Redirect:
                    Hops.Add(new TraceHop(HopKind.Route, HopStatus.Stopped, name, route.Pointer, Sentence($"Route {name} matches ({matchedFirst}{why}) and redirects to {route.RedirectTarget}")) { Candidates = lost });
                    return new TraceVerdict(TraceOutcome.Stopped, null, null, $"Redirected by route {name} to {route.RedirectTarget} (Envoy answers 3xx itself).");
                case RouteActionKind.DirectResponse:
                    var status = route.DirectResponseStatus ?? 0;
                    Hops.Add(new TraceHop(HopKind.Route, HopStatus.Stopped, name, route.Pointer, Sentence($"Route {name} matches ({matchedFirst}{why}) and answers directly with status {status.ToString(CultureInfo.InvariantCulture)}")) { Candidates = lost });
                    return new TraceVerdict(TraceOutcome.Stopped, null, status, $"Route {name} answers directly with status {status.ToString(CultureInfo.InvariantCulture)}.");
            }

            details.Add("timeout: " + (route.Timeout is null ? "15s (Envoy's default)" : route.Timeout == TimeSpan.Zero ? "disabled (0s)" : Duration(route.Timeout.Value)));
            if (route.RetryPolicy is { } retry)
            {
                details.Add("retries: " + (retry.NumRetries?.ToString(CultureInfo.InvariantCulture) ?? "1 (default)") + " on " + (retry.RetryOn ?? "(nothing)") +
                    (retry.PerTryTimeout is { } pt ? ", per try " + Duration(pt) : string.Empty));
            }

            if (Rewritten(route) is { } rewritten)
            {
                details.Add("path rewritten to: " + rewritten);
            }

            if (route.HostRewrite is { } hostRewrite)
            {
                details.Add("host rewritten to: " + hostRewrite);
            }

            string? cluster;
            string actionWhy;
            switch (route.ActionKind)
            {
                case RouteActionKind.Cluster:
                    cluster = route.Cluster;
                    actionWhy = $"sends to cluster {cluster}";
                    break;
                case RouteActionKind.WeightedClusters:
                    (cluster, actionWhy) = WeightedChoice(route.WeightedClusters, "the route");
                    details.Insert(0, Shares(route.WeightedClusters));
                    details.InsertRange(1, OtherShares(route.WeightedClusters, cluster));
                    break;
                case RouteActionKind.ClusterHeader:
                    var header = route.ClusterHeader ?? string.Empty;
                    var value = request.Headers.LastOrDefault(h => h.Key.Equals(header, StringComparison.OrdinalIgnoreCase)).Value;
                    cluster = value;
                    actionWhy = value is null ? $"takes the cluster from header {header}, which was not given (--header {header}=CLUSTER)" : $"takes cluster {value} from header {header}";
                    break;
                default:
                    cluster = null;
                    actionWhy = route.ActionKind switch
                    {
                        RouteActionKind.ClusterSpecifierPlugin or RouteActionKind.InlineClusterSpecifierPlugin => $"lets cluster specifier plugin {route.ClusterSpecifierPlugin} choose the cluster, which is not evaluated",
                        RouteActionKind.NonForwarding => "is a non-forwarding action (a filter answers)",
                        _ => "has an action that is not evaluated",
                    };
                    break;
            }

            var text = Sentence($"Route {name} matches ({matchedFirst}{why}) and {actionWhy}");
            if (cluster is null)
            {
                Hops.Add(new TraceHop(HopKind.Route, HopStatus.NotEvaluated, name, route.Pointer, text) { Details = details, Candidates = lost });
                return new TraceVerdict(TraceOutcome.Undetermined, null, null, $"Route {name} {actionWhy}; the upstream is not determined.");
            }

            Hops.Add(new TraceHop(HopKind.Route, HopStatus.Matched, name, route.Pointer, text) { Details = details, Candidates = lost });
            return ClusterHop(cluster);
        }

        private string? Rewritten(Route route)
        {
            var path = Target.Path;
            if (route.PrefixRewrite is { } prefix)
            {
                var matched = route.Match.Kind is PathMatchKind.Prefix or PathMatchKind.Path or PathMatchKind.PathSeparatedPrefix ? route.Match.Value ?? string.Empty : null;
                return matched is null ? "prefix_rewrite '" + prefix + "' (not applied: the route does not match on a prefix)" : prefix + path[Math.Min(matched.Length, path.Length)..];
            }

            if (route.UriTemplateRewrite is { } rewrite)
            {
                if (route.Match.UriTemplate is not { } template || UriTemplate.Compile(template, out _) is not { } compiled)
                {
                    return $"path_rewrite_policy '{rewrite}' (not evaluated: the route does not match with a URI template)";
                }

                var captured = compiled.Match(path);
                return UriTemplate.Rewrite(rewrite, captured, out var error) ?? $"path_rewrite_policy '{rewrite}' (not evaluated: {error})";
            }

            if (route.RegexRewrite is { } regex)
            {
                try
                {
                    // RE2 substitutions write \1 where .NET writes $1.
                    var substitution = Regex.Replace(regex.Substitution.Replace("$", "$$", StringComparison.Ordinal), @"\\(\d)", "$${$1}", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
                    return Regex.Replace(path, regex.Pattern, substitution, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
                }
                catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
                {
                    return $"regex_rewrite '{regex.Pattern}' → '{regex.Substitution}' (not evaluated)";
                }
            }

            return null;
        }

        private static (string? Cluster, string Why) WeightedChoice(IReadOnlyList<WeightedCluster> clusters, string who)
        {
            if (clusters.Count == 0)
            {
                return (null, who + " has no weighted clusters");
            }

            var total = clusters.Sum(c => (long)c.Weight);
            var top = clusters.OrderByDescending(c => c.Weight).First();
            return (top.Name, $"{who} splits by weight; the trace follows the largest share, {top.Name} ({Percent(top.Weight, total)})");
        }

        /// <summary>What becomes of the shares the trace does not follow: each one's cluster, and NC or UH when it would fail.</summary>
        private IEnumerable<string> OtherShares(IReadOnlyList<WeightedCluster> clusters, string? followed)
        {
            var total = clusters.Sum(c => (long)c.Weight);
            foreach (var c in clusters.Where(c => c.Name != followed))
            {
                var share = $"share {Percent(c.Weight, total)} to {c.Name}: ";
                var cluster = snapshot.FindCluster(c.Name);
                if (cluster is null)
                {
                    yield return share + (snapshot.HasSection(ConfigSection.Clusters) ? "cluster not in the capture, these requests fail with NC (503)" : "cluster not known (no clusters section)");
                    continue;
                }

                var endpoints = MergedEndpoints(cluster);
                yield return cluster.Type is "EDS" or "STATIC" && !endpoints.Any(e => e.IsUsable) && (endpoints.Count > 0 || snapshot.HasSection(ConfigSection.Endpoints))
                    ? share + "no usable endpoint, these requests fail with UH (503)"
                    : share + "not followed";
            }
        }

        private static string Shares(IReadOnlyList<WeightedCluster> clusters)
        {
            var total = clusters.Sum(c => (long)c.Weight);
            return "weighted clusters: " + string.Join(", ", clusters.Select(c => c.Name + " " + Percent(c.Weight, total)));
        }

        private static string Percent(uint weight, long total) =>
            total == 0 ? "0%" : (weight * 100.0 / total).ToString("0.##", CultureInfo.InvariantCulture) + "%";

        private TraceVerdict ClusterHop(string name)
        {
            var cluster = snapshot.FindCluster(name);
            if (cluster is null && !snapshot.HasSection(ConfigSection.Clusters))
            {
                return Undetermined(HopKind.Cluster, name, JsonPointer.Root, $"the capture has no clusters section, so whether cluster {name} exists is not known");
            }

            if (cluster is null)
            {
                Hops.Add(new TraceHop(HopKind.Cluster, HopStatus.Stopped, name, JsonPointer.Root, $"Cluster {name} is not in the capture."));
                return new TraceVerdict(TraceOutcome.Stopped, "NC", 503, $"Cluster {name} does not exist: Envoy answers 503 (response flag NC).");
            }

            var details = new List<string> { "type: " + cluster.Type + (cluster.EdsServiceName is { } eds && eds != cluster.Name ? ", EDS service " + eds : string.Empty) + (cluster.LbPolicy is { } lb ? ", lb " + lb : string.Empty) };
            if (cluster.ConnectTimeout is { } ct)
            {
                details.Add("connect timeout: " + Duration(ct));
            }

            foreach (var cb in cluster.CircuitBreakers)
            {
                details.Add($"circuit breaker ({cb.Priority}): max connections {Num(cb.MaxConnections)}, pending {Num(cb.MaxPendingRequests)}, requests {Num(cb.MaxRequests)}, retries {Num(cb.MaxRetries)}");
            }

            if (cluster.OutlierDetection is { } od)
            {
                details.Add($"outlier detection: {Num(od.Consecutive5xx)} consecutive 5xx, interval {(od.Interval is { } i ? Duration(i) : "10s")}, base ejection {(od.BaseEjectionTime is { } b ? Duration(b) : "30s")}, max ejection {Num(od.MaxEjectionPercent)}%");
            }

            Hops.Add(new TraceHop(HopKind.Cluster, HopStatus.Matched, cluster.Name, cluster.Meta.Pointer, $"Cluster {cluster.Name} exists ({cluster.Type}).") { Details = details });

            if (cluster.Type == "ORIGINAL_DST")
            {
                var port = Target.Port.ToString(CultureInfo.InvariantCulture);
                var dst = DestinationIp is null ? $"the original destination (port {port})" : $"the original destination {DestinationIp}:{port}";
                Hops.Add(new TraceHop(HopKind.Endpoints, HopStatus.Matched, cluster.Name, cluster.Meta.Pointer, $"An ORIGINAL_DST cluster connects to the address the connection was made to: {dst}."));
                Tls(cluster);
                return new TraceVerdict(TraceOutcome.Forwarded, null, null, $"Forwarded through {cluster.Name} to {dst}.") { Cluster = cluster.Name };
            }

            if (cluster.AggregateClusters.Count > 0)
            {
                return Undetermined(HopKind.Endpoints, cluster.Name, cluster.Meta.Pointer, "an aggregate cluster's choice among " + string.Join(", ", cluster.AggregateClusters) + " is not evaluated");
            }

            var endpoints = MergedEndpoints(cluster);
            var usable = endpoints.Where(e => e.IsUsable).ToList();
            var lines = endpoints
                .GroupBy(e => (e.Priority, Locality: e.Locality?.ToString() ?? string.Empty))
                .OrderBy(g => g.Key.Priority).ThenBy(g => g.Key.Locality, StringComparer.Ordinal)
                .Select(g => $"priority {g.Key.Priority.ToString(CultureInfo.InvariantCulture)}{(g.Key.Locality.Length > 0 ? " " + g.Key.Locality : string.Empty)}: " +
                    string.Join(", ", g.OrderBy(e => e.Address.ToString(), StringComparer.Ordinal).Select(e => e.Address + " " + (e.IsUsable ? e.Health : e.Problem) + " (" + SourceName(e.Source) + ")")))
                .ToList();
            if (endpoints.Count == 0)
            {
                if (cluster.Type is "STRICT_DNS" or "LOGICAL_DNS")
                {
                    Hops.Add(new TraceHop(HopKind.Endpoints, HopStatus.NotEvaluated, cluster.Name, cluster.Meta.Pointer, $"A {cluster.Type} cluster's hosts come from DNS and none were captured (/clusters shows them)."));
                    Tls(cluster);
                    return new TraceVerdict(TraceOutcome.Undetermined, null, null, $"Cluster {cluster.Name} resolves its hosts by DNS; none were captured, so whether one is healthy is not determined.");
                }

                if (cluster.Type == "EDS" && !snapshot.HasSection(ConfigSection.Endpoints) && snapshot.ClusterStatuses.Count == 0)
                {
                    Hops.Add(new TraceHop(HopKind.Endpoints, HopStatus.NotEvaluated, cluster.Name, cluster.Meta.Pointer, "The capture has neither EDS endpoints (config_dump?include_eds) nor /clusters, so the endpoints are unknown."));
                    return new TraceVerdict(TraceOutcome.Undetermined, null, null, $"The endpoints of {cluster.Name} were not captured.");
                }
            }

            if (usable.Count == 0)
            {
                var why = endpoints.Count == 0 ? $"Cluster {cluster.Name} has no endpoints." : $"None of the {endpoints.Count.ToString(CultureInfo.InvariantCulture)} endpoint(s) of {cluster.Name} is usable.";
                Hops.Add(new TraceHop(HopKind.Endpoints, HopStatus.Stopped, cluster.Name, EndpointsPointer(cluster, endpoints), why) { Details = lines });
                return new TraceVerdict(TraceOutcome.Stopped, "UH", 503, $"No healthy endpoint in cluster {cluster.Name}: Envoy answers 503 (response flag UH).") { Cluster = cluster.Name };
            }

            var top = usable.Min(e => e.Priority);
            Hops.Add(new TraceHop(HopKind.Endpoints, HopStatus.Matched, cluster.Name, EndpointsPointer(cluster, endpoints),
                $"{usable.Count.ToString(CultureInfo.InvariantCulture)} of {endpoints.Count.ToString(CultureInfo.InvariantCulture)} endpoint(s) usable; traffic goes to priority {top.ToString(CultureInfo.InvariantCulture)} ({usable.Count(e => e.Priority == top).ToString(CultureInfo.InvariantCulture)} usable).")
            {
                Details = lines,
            });
            var chosen = usable.OrderBy(e => e.Priority).ThenBy(e => e.Address.ToString(), StringComparer.Ordinal).First();
            Tls(cluster, chosen);
            if (chosen.Address.Kind == "internal")
            {
                return InternalListener(cluster, chosen.Address.Address);
            }

            return new TraceVerdict(TraceOutcome.Forwarded, null, null,
                $"Forwarded to cluster {cluster.Name}: {usable.Count.ToString(CultureInfo.InvariantCulture)} usable endpoint(s), e.g. {usable.OrderBy(e => e.Priority).ThenBy(e => e.Address.ToString(), StringComparer.Ordinal).First().Address}.") { Cluster = cluster.Name };
        }

        /// <summary>
        /// An endpoint that is an <c>envoy_internal_address</c>: Envoy hands the connection to that internal listener in
        /// process, and the trace goes on there; a listener met a second time stops the trace.
        /// </summary>
        private TraceVerdict InternalListener(Cluster cluster, string address)
        {
            var listener = snapshot.FindListener(address)
                ?? (address.LastIndexOf('/') is var slash and > 0 ? snapshot.FindListener(address[..slash]) : null);
            var name = listener?.Name ?? address;
            if (listener is null)
            {
                Hops.Add(new TraceHop(HopKind.Listener, HopStatus.Stopped, name, cluster.Meta.Pointer,
                    $"The endpoint of cluster {cluster.Name} is the internal listener {name}, which is not in the capture."));
                return new TraceVerdict(TraceOutcome.Stopped, "UF", 503, $"Cluster {cluster.Name} hands the connection to internal listener {name}, which does not exist: the upstream connection fails (response flag UF).") { Cluster = cluster.Name };
            }

            if (!_visited.Add(listener.Name))
            {
                Hops.Add(new TraceHop(HopKind.Listener, HopStatus.Stopped, listener.Name, listener.Meta.Pointer,
                    $"The endpoint of cluster {cluster.Name} is internal listener {listener.Name}, which this connection has already passed through: the internal hand-offs loop, so the trace stops here."));
                return new TraceVerdict(TraceOutcome.Stopped, null, null, $"The connection loops through internal listener {listener.Name} (reached again from cluster {cluster.Name}); it never reaches an upstream.") { Cluster = cluster.Name };
            }

            Hops.Add(new TraceHop(HopKind.Listener, HopStatus.Matched, listener.Name, listener.Meta.Pointer,
                $"The endpoint of cluster {cluster.Name} is the internal listener {listener.Name} (envoy_internal_address): Envoy hands the connection to it in process, and the trace continues there."));
            return ListenerChain(listener, null);
        }

        private JsonPointer EndpointsPointer(Cluster cluster, IReadOnlyList<Endpoint> endpoints) =>
            snapshot.FindLoadAssignment(cluster.EndpointKey)?.Meta.Pointer ?? endpoints.FirstOrDefault()?.Pointer ?? cluster.Meta.Pointer;

        private static string SourceName(EndpointSource source) => source switch
        {
            EndpointSource.Eds => "EDS",
            EndpointSource.Inline => "inline",
            _ => "/clusters",
        };

        /// <summary>Every known endpoint once: what <c>/clusters</c> says (the proxy's live view) wins over EDS and inline endpoints of the same address.</summary>
        private List<Endpoint> MergedEndpoints(Cluster cluster)
        {
            var byAddress = new Dictionary<string, Endpoint>(StringComparer.Ordinal);
            foreach (var e in snapshot.EndpointsOf(cluster))
            {
                var key = e.Address.ToString();
                if (!byAddress.TryGetValue(key, out var existing) || (e.Source == EndpointSource.AdminClusters && existing.Source != EndpointSource.AdminClusters))
                {
                    byAddress[key] = existing is null || e.Source != EndpointSource.AdminClusters ? e : e with
                    {
                        Priority = existing.Priority,
                        Locality = e.Locality ?? existing.Locality,
                        TransportSocketMatch = existing.TransportSocketMatch,
                        IstioWorkload = existing.IstioWorkload,
                    };
                }
            }

            return byAddress.Values.OrderBy(e => e.Priority).ThenBy(e => e.Address.ToString(), StringComparer.Ordinal).ToList();
        }

        private static IEnumerable<Endpoint> UsableFirst(IEnumerable<Endpoint> endpoints) => endpoints.OrderBy(e => e.IsUsable ? 0 : 1);

        private void Tls(Cluster cluster, Endpoint? endpoint = null)
        {
            var (tls, via, socket) = TransportSocketFor(cluster, endpoint);
            if (tls is null)
            {
                Hops.Add(new TraceHop(HopKind.UpstreamTls, HopStatus.Matched, cluster.Name, cluster.Meta.Pointer,
                    socket is { } ts && !ts.Name.Contains("raw_buffer", StringComparison.Ordinal)
                        ? Sentence($"Transport socket {ts.Name} is not evaluated" + via)
                        : Sentence("Plaintext: " + (via.Length > 0 ? "the connection uses no TLS" + via : "the cluster has no TLS transport socket"))));
                return;
            }

            var details = new List<string>
            {
                "SNI: " + (tls.Sni ?? "(none)"),
            };
            if (tls.AlpnProtocols.Count > 0)
            {
                details.Add("ALPN: " + string.Join(",", tls.AlpnProtocols));
            }

            details.Add("SAN matchers: " + (tls.SubjectAltNameMatchers.Count == 0 ? "(none: any certificate the CA signed)" : string.Join(", ", tls.SubjectAltNameMatchers.Select(m => m.ToString()))));
            details.Add("client certificate: " + (tls.CertificateSdsNames.Count > 0 ? "SDS " + string.Join(", ", tls.CertificateSdsNames.Select(SecretText)) : tls.InlineCertificateChains.Count > 0 ? "inline" : "(none)"));
            if (endpoint?.IstioWorkload is { } workload && workload.Split(';') is { Length: >= 2 } parts)
            {
                details.Add($"upstream workload (Istio endpoint metadata): {parts[0]} in namespace {parts[1]}");
            }

            details.Add("trusted CA: " + (tls.ValidationSdsName is { } v ? "SDS " + SecretText(v) : tls.HasTrustedCa ? "inline" : tls.SpiffeTrustBundles.Count > 0 ? "SPIFFE bundles " + string.Join(",", tls.SpiffeTrustBundles.Select(b => b.TrustDomain)) : "(none: the upstream is not verified)"));
            Hops.Add(new TraceHop(HopKind.UpstreamTls, HopStatus.Matched, cluster.Name, tls.Pointer, Sentence("The connection to the upstream uses TLS" + via)) { Details = details });
        }

        /// <summary>
        /// The transport socket Envoy uses toward <paramref name="endpoint"/>: the first of the cluster's
        /// <c>transport_socket_matches</c> whose labels the endpoint's <c>envoy.transport_socket_match</c> metadata all
        /// carries, else the cluster's <c>transport_socket</c> (plaintext when it has none). Without an endpoint (or one
        /// whose metadata the capture lacks) the first TLS match stands for the cluster, as before.
        /// </summary>
        private static (TlsContext? Tls, string Via, TypedExtension? Socket) TransportSocketFor(Cluster cluster, Endpoint? endpoint)
        {
            if (cluster.TransportSocketMatches.Count == 0)
            {
                return (cluster.Tls, string.Empty, cluster.TransportSocket);
            }

            string Labels(TransportSocketMatch m) => m.Match.Count == 0 ? "any endpoint" : "endpoints labelled " + string.Join(",", m.Match.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));

            if (endpoint is null || (endpoint.Source == EndpointSource.AdminClusters && endpoint.TransportSocketMatch.Count == 0))
            {
                return cluster.TransportSocketMatches.FirstOrDefault(m => m.Tls is not null) is { } first
                    ? (first.Tls, $" (transport_socket_match {first.Name}: {Labels(first)}; the chosen endpoint's labels are not in the capture)", first.TransportSocket)
                    : (cluster.Tls, string.Empty, cluster.TransportSocket);
            }

            foreach (var match in cluster.TransportSocketMatches)
            {
                if (match.Match.All(p => endpoint.TransportSocketMatch.TryGetValue(p.Key, out var v) && v == p.Value))
                {
                    return (match.Tls, $" (transport_socket_match {match.Name} applies to endpoint {endpoint.Address}: {Labels(match)})", match.TransportSocket);
                }
            }

            // No match: the cluster's own transport_socket (the model fills Tls from Istio's tlsMode match when there is none).
            return cluster.TransportSocket is null
                ? (null, $" (no transport_socket_match applies to endpoint {endpoint.Address} and the cluster has no transport_socket)", null)
                : (cluster.Tls, $" (no transport_socket_match applies to endpoint {endpoint.Address}: the cluster's transport_socket)", cluster.TransportSocket);
        }

        private string SecretText(string name)
        {
            if (snapshot.FindSecret(name) is not { } secret)
            {
                return name + " (not in the capture)";
            }

            var state = secret.Meta.State.ToString().ToLowerInvariant();
            return describeSecret?.Invoke(name) is { } more ? $"{name} ({state}; {more})" : $"{name} ({state})";
        }

        private TraceVerdict Undetermined(HopKind kind, string name, JsonPointer at, string why)
        {
            Hops.Add(new TraceHop(kind, HopStatus.NotEvaluated, name, at, Sentence(Capitalize(why))));
            return new TraceVerdict(TraceOutcome.Undetermined, null, null, Sentence("Not determined: " + why));
        }

        private static string Num(uint? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "default";

        private static string Duration(TimeSpan t) =>
            t.TotalMilliseconds % 1000 == 0 ? ((long)t.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s" : ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

        private static string Sentence(string s) => s.EndsWith('.') ? s : s + ".";

        private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
    }
}
