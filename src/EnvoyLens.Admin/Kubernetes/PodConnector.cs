using System.Net;
using System.Net.WebSockets;
using EnvoyLens.Admin.Live;
using EnvoyLens.Core;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using k8s.Models;

namespace EnvoyLens.Admin.Kubernetes;

/// <summary>
/// Finds a pod's Envoy through the Kubernetes API (kubeconfig and context as <c>kubectl</c> reads them) and turns it
/// into an <see cref="AdminTarget"/> whose connections are port-forward WebSockets to the admin port. Needs RBAC
/// <c>get pods</c> and <c>create pods/portforward</c> in the pod's namespace.
/// </summary>
public static class PodConnector
{
    /// <summary>Container names of Envoy sidecars and gateways, in order of preference.</summary>
    public static IReadOnlyList<string> KnownEnvoyContainers { get; } =
        ["istio-proxy", "envoy", "consul-dataplane", "envoy-sidecar", "kuma-sidecar", "envoy-proxy"];

    /// <summary>The admin port used when <c>--admin-port</c> is not given.</summary>
    public const int DefaultAdminPort = 15000;

    /// <summary>The container Linkerd injects: its proxy is linkerd2-proxy, not Envoy.</summary>
    public const string LinkerdContainer = "linkerd-proxy";

    /// <summary>linkerd2-proxy's admin port (<c>/metrics</c>, <c>/ready</c>, <c>/live</c>).</summary>
    public const int LinkerdAdminPort = AdminTarget.LinkerdAdminPort;

    /// <summary>
    /// Resolves <paramref name="selector"/> to a running pod and its Envoy container; <paramref name="info"/> is told
    /// which pod, container and port were chosen. Problems are <see cref="EnvoyLensException"/>s of one sentence.
    /// </summary>
    public static async Task<AdminTarget> ConnectAsync(PodSelector selector, TextWriter? info, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var (name, givenNamespace) = selector.Split();
        var kubeconfigPath = KubeconfigPath(selector.Kubeconfig);
        var config = BuildConfig(kubeconfigPath, selector.Context);
        var ns = givenNamespace ?? (string.IsNullOrEmpty(config.Namespace) ? "default" : config.Namespace);
        var display = $"pod {name}.{ns}";

        var client = new k8s.Kubernetes(config);
        try
        {
            V1Pod pod;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(selector.Timeout);
                try
                {
                    pod = await ReadPodAsync(client, name, ns, display, config.Host, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new EnvoyLensException(
                        $"the Kubernetes API at {config.Host} did not answer within {TimeText.SecondsValue(selector.Timeout)} s while reading {display}.", ex);
                }
            }

            var phase = pod.Status?.Phase ?? "Unknown";
            if (phase != "Running")
            {
                throw new EnvoyLensException($"{display} is {phase}, not Running; EnvoyLens reads the admin port of a running proxy only.");
            }

            var container = ChooseContainer(pod, selector.Container, display);
            var linkerd = container == LinkerdContainer;
            var port = selector.Port ?? (container == "consul-dataplane" ? 19000 : linkerd ? LinkerdAdminPort : DefaultAdminPort);
            info?.Write(linkerd
                ? $"envoylens: reading {display}, container {container} (Linkerd's proxy, linkerd2-proxy), admin port {port.ToString(System.Globalization.CultureInfo.InvariantCulture)}.\n"
                : $"envoylens: reading {display}, container {container}, admin port {port.ToString(System.Globalization.CultureInfo.InvariantCulture)}.\n");
            var target = $"{display} (container {container})";
            return new AdminTarget("pod", $"{display} port {port.ToString(System.Globalization.CultureInfo.InvariantCulture)}", new Uri($"http://127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/"))
            {
                Name = $"{name}.{ns}",
                Container = container,
                Port = port,
                Proxy = linkerd ? ProxyKind.Linkerd2Proxy : ProxyKind.Envoy,
                Resources = client,
                Connect = async (_, ct) => await OpenAsync(client, name, ns, port, target, ct).ConfigureAwait(false),
                OpenPort = async (other, ct) => await OpenAsync(client, name, ns, other, $"{display} port {other.ToString(System.Globalization.CultureInfo.InvariantCulture)}", ct).ConfigureAwait(false),
                ServiceAccount = string.IsNullOrEmpty(pod.Spec?.ServiceAccountName) ? "default" : pod.Spec.ServiceAccountName,
            };
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>istiod's plaintext xDS port.</summary>
    public const int IstiodPlaintextPort = 15010;

    /// <summary>istiod's TLS xDS port, which wants a bearer token.</summary>
    public const int IstiodTlsPort = 15012;

    /// <summary>The audience of the token istiod's 15012 accepts.</summary>
    public const string IstiodTokenAudience = "istio-ca";

    /// <summary>The service account whose token is requested for istiod's 15012 (in istiod's namespace), as istioctl does.</summary>
    public const string IstiodTokenServiceAccount = "default";

    /// <summary>How long a requested token is valid: the shortest the TokenRequest API grants (10 minutes).</summary>
    public const int IstiodTokenSeconds = 600;

    /// <summary>
    /// Reads Linkerd's identity PKI from the cluster: the trust anchors of the <c>linkerd-identity-trust-roots</c> ConfigMap
    /// (<c>ca-bundle.crt</c>) and the issuer certificate of the <c>linkerd-identity-issuer</c> Secret (<c>crt.pem</c>, else
    /// <c>tls.crt</c>). Only the certificate is taken from the Secret: its key is neither kept nor shown.
    /// </summary>
    public static async Task<(byte[] Anchors, string AnchorsSource, byte[] Issuer, string IssuerSource)> ReadLinkerdIdentityAsync(
        string linkerdNamespace, string? context, string? kubeconfig, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var config = BuildConfig(KubeconfigPath(kubeconfig), context);
        using var client = new k8s.Kubernetes(config);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var rootsName = $"ConfigMap {linkerdNamespace}/linkerd-identity-trust-roots";
        var issuerName = $"Secret {linkerdNamespace}/linkerd-identity-issuer";
        var roots = await ReadAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("linkerd-identity-trust-roots", linkerdNamespace, cancellationToken: deadline.Token), rootsName).ConfigureAwait(false);
        var anchors = roots.Data?.TryGetValue("ca-bundle.crt", out var bundle) == true && !string.IsNullOrWhiteSpace(bundle)
            ? System.Text.Encoding.UTF8.GetBytes(bundle)
            : throw new EnvoyLensException($"{rootsName} has no ca-bundle.crt with the trust anchors.");
        var secret = await ReadAsync(() => client.CoreV1.ReadNamespacedSecretAsync("linkerd-identity-issuer", linkerdNamespace, cancellationToken: deadline.Token), issuerName).ConfigureAwait(false);
        var key = secret.Data?.ContainsKey("crt.pem") == true ? "crt.pem" : secret.Data?.ContainsKey("tls.crt") == true ? "tls.crt" : null;
        var issuer = key is not null ? secret.Data![key] : throw new EnvoyLensException($"{issuerName} has neither crt.pem nor tls.crt with the issuer certificate.");
        return (anchors, rootsName + " ca-bundle.crt", issuer, issuerName + " " + key);

        async Task<T> ReadAsync<T>(Func<Task<T>> read, string what)
        {
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new EnvoyLensException($"the Kubernetes API at {config.Host} did not answer within {TimeText.SecondsValue(timeout)} s while reading {what}.", ex);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new EnvoyLensException($"{what} was not found; is Linkerd installed in namespace {linkerdNamespace} (--linkerd-namespace)?", ex);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Forbidden)
            {
                throw new EnvoyLensException($"reading {what} is forbidden; your Kubernetes user needs RBAC 'get' on it.", ex);
            }
            catch (HttpOperationException ex)
            {
                throw new EnvoyLensException($"the Kubernetes API at {config.Host} answered {(int)ex.Response.StatusCode} while reading {what}.", ex);
            }
            catch (HttpRequestException ex)
            {
                throw new EnvoyLensException($"the Kubernetes API at {config.Host} cannot be reached while reading {what}: {FirstLine(ex.Message)}.", ex);
            }
        }
    }

    /// <summary>
    /// Finds a running istiod (label <c>app=istiod</c>, and <c>istio.io/rev=REVISION</c> when one is given; the first by
    /// name) in <paramref name="istioNamespace"/> and returns a control-plane target that reaches it through a
    /// port-forward: its plaintext xDS port 15010, or with <paramref name="tls"/> its TLS port 15012 (the certificate is
    /// checked against the name <c>istiod[-REV].NS.svc</c>), where unless <paramref name="requestToken"/> is false a
    /// service-account token of audience <c>istio-ca</c> is requested through the Kubernetes TokenRequest API and sent as
    /// the bearer token; <paramref name="info"/> is told which pod, port and service account. The token itself is never
    /// written anywhere.
    /// </summary>
    public static async Task<ControlPlane.ControlPlaneTarget> ConnectIstiodAsync(
        string istioNamespace, string? revision, string? context, string? kubeconfig, TimeSpan timeout, TextWriter? info,
        bool tls = false, bool requestToken = false, CancellationToken cancellationToken = default)
    {
        var port = tls ? IstiodTlsPort : IstiodPlaintextPort;
        var config = BuildConfig(KubeconfigPath(kubeconfig), context);
        var labels = "app=istiod" + (revision is null ? string.Empty : ",istio.io/rev=" + revision);
        var client = new k8s.Kubernetes(config);
        try
        {
            V1PodList pods;
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(timeout);
                try
                {
                    pods = await client.CoreV1.ListNamespacedPodAsync(istioNamespace, labelSelector: labels, cancellationToken: deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new EnvoyLensException($"the Kubernetes API at {config.Host} did not answer within {TimeText.SecondsValue(timeout)} s while listing istiod pods in {istioNamespace}.", ex);
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Forbidden)
                {
                    throw new EnvoyLensException($"listing pods in namespace {istioNamespace} is forbidden; your Kubernetes user needs RBAC 'list pods' there to find istiod.", ex);
                }
                catch (HttpOperationException ex)
                {
                    throw new EnvoyLensException($"the Kubernetes API at {config.Host} answered {(int)ex.Response.StatusCode} while listing istiod pods in {istioNamespace}.", ex);
                }
                catch (HttpRequestException ex)
                {
                    throw new EnvoyLensException($"the Kubernetes API at {config.Host} cannot be reached while listing istiod pods: {FirstLine(ex.Message)}.", ex);
                }
            }

            var running = (pods.Items ?? [])
                .Where(p => p.Status?.Phase == "Running" && p.Metadata?.Name is not null)
                .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
                .ToList();
            if (running.Count == 0)
            {
                throw new EnvoyLensException(
                    $"no running istiod pod in namespace {istioNamespace} (label {labels}); give --istio-namespace or --revision, or --control-plane ADDR.");
            }

            var name = running[0].Metadata.Name;
            var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var display = $"pod {name}.{istioNamespace} port {portText}";
            var serviceName = $"{(revision is null or "default" ? "istiod" : "istiod-" + revision)}.{istioNamespace}.svc";
            string? token = null;
            string? tokenSource = null;
            var how = "plaintext xDS";
            if (tls)
            {
                how = $"TLS, certificate checked for {serviceName}";
                if (requestToken)
                {
                    var account = $"{istioNamespace}/{IstiodTokenServiceAccount}";
                    token = await RequestTokenAsync(client, config.Host, istioNamespace, timeout, cancellationToken).ConfigureAwait(false);
                    tokenSource = $"the Kubernetes TokenRequest API for service account {account} (audience {IstiodTokenAudience})";
                    how += $"; bearer token of service account {account}, audience {IstiodTokenAudience}, valid {(IstiodTokenSeconds / 60).ToString(System.Globalization.CultureInfo.InvariantCulture)} minutes, requested through the Kubernetes TokenRequest API";
                }
            }

            info?.Write($"envoylens: asking istiod {display} ({how}) through a Kubernetes port-forward.\n");
            return new ControlPlane.ControlPlaneTarget
            {
                Address = new Uri(tls ? $"https://{serviceName}:{portText}/" : $"http://127.0.0.1:{portText}/"),
                DisplayName = display,
                Timeout = timeout,
                Token = token,
                TokenSource = tokenSource,
                Resources = client,
                Connect = async (_, ct) => await OpenAsync(client, name, istioNamespace, port, $"istiod {display}", ct).ConfigureAwait(false),
            };
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Requests a short-lived token of audience <c>istio-ca</c> for istiod's namespace's default service account (TokenRequest API).</summary>
    private static async Task<string> RequestTokenAsync(k8s.Kubernetes client, string? host, string ns, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var account = $"{ns}/{IstiodTokenServiceAccount}";
        var body = new Authenticationv1TokenRequest
        {
            ApiVersion = "authentication.k8s.io/v1",
            Kind = "TokenRequest",
            Spec = new V1TokenRequestSpec { Audiences = [IstiodTokenAudience], ExpirationSeconds = IstiodTokenSeconds },
        };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Authenticationv1TokenRequest answer;
        try
        {
            answer = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(body, IstiodTokenServiceAccount, ns, cancellationToken: deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EnvoyLensException($"the Kubernetes API at {host} did not answer within {TimeText.SecondsValue(timeout)} s while requesting a token for service account {account}.", ex);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new EnvoyLensException(
                $"requesting a token for service account {account} is forbidden; istiod's port 15012 needs one: your Kubernetes user needs RBAC 'create serviceaccounts/token' in {ns}, or give --token FILE, or ask the plaintext port 15010 (--istiod without TLS options).", ex);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new EnvoyLensException($"there is no service account {account} to request a token for istiod's port 15012; give --token FILE.", ex);
        }
        catch (HttpOperationException ex)
        {
            throw new EnvoyLensException($"the Kubernetes API at {host} answered {(int)ex.Response.StatusCode} while requesting a token for service account {account}.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new EnvoyLensException($"the Kubernetes API at {host} cannot be reached while requesting a token for service account {account}: {FirstLine(ex.Message)}.", ex);
        }

        var token = answer?.Status?.Token;
        return string.IsNullOrWhiteSpace(token) || token.Any(c => c <= ' ' || c >= 0x7f)
            ? throw new EnvoyLensException($"the Kubernetes API at {host} answered the TokenRequest for service account {account} without a usable token.")
            : token;
    }

    /// <summary>The kubeconfig to read: <paramref name="given"/>, else the first entry of <c>$KUBECONFIG</c>, else <c>~/.kube/config</c>.</summary>
    internal static string KubeconfigPath(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(env))
        {
            return env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0];
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
    }

    internal static KubernetesClientConfiguration BuildConfig(string path, string? context)
    {
        if (!File.Exists(path))
        {
            throw new EnvoyLensException($"no kubeconfig at '{path}'; give --kubeconfig PATH or set KUBECONFIG.");
        }

        k8s.KubeConfigModels.K8SConfiguration kubeconfig;
        try
        {
            kubeconfig = KubernetesClientConfiguration.LoadKubeConfig(path, useRelativePaths: true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new EnvoyLensException($"kubeconfig '{path}' cannot be read: {FirstLine(ex.Message)}.", ex);
        }

        var contexts = (kubeconfig.Contexts ?? []).Select(c => c.Name).Where(n => n is not null).ToList();
        if (context is not null && !contexts.Contains(context, StringComparer.Ordinal))
        {
            throw new EnvoyLensException($"kubeconfig '{path}' has no context '{context}' (it has {(contexts.Count == 0 ? "none" : string.Join(", ", contexts.Order(StringComparer.Ordinal)))}).");
        }

        if (context is null && string.IsNullOrEmpty(kubeconfig.CurrentContext))
        {
            throw new EnvoyLensException($"kubeconfig '{path}' has no current-context; give --context NAME.");
        }

        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig, context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new EnvoyLensException($"kubeconfig '{path}' cannot be used{(context is null ? string.Empty : $" with context '{context}'")}: {FirstLine(ex.Message)}.", ex);
        }
    }

    private static async Task<V1Pod> ReadPodAsync(k8s.Kubernetes client, string name, string ns, string display, string? host, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new EnvoyLensException($"{display} was not found; check the name and namespace (kubectl get pods -n {ns}).", ex);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new EnvoyLensException($"reading {display} is forbidden; your Kubernetes user needs RBAC 'get pods' in namespace {ns}.", ex);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new EnvoyLensException($"the Kubernetes API at {host} refused the credentials of the kubeconfig (401 Unauthorized) while reading {display}.", ex);
        }
        catch (HttpOperationException ex)
        {
            throw new EnvoyLensException($"the Kubernetes API at {host} answered {(int)ex.Response.StatusCode} while reading {display}.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new EnvoyLensException($"the Kubernetes API at {host} cannot be reached while reading {display}: {FirstLine(ex.Message)}.", ex);
        }
        catch (KubernetesClientException ex)
        {
            throw new EnvoyLensException($"the Kubernetes client failed while reading {display}: {FirstLine(ex.Message)}.", ex);
        }
    }

    /// <summary>The container named by <paramref name="wanted"/>, else the first known Envoy container (regular or native sidecar).</summary>
    internal static string ChooseContainer(V1Pod pod, string? wanted, string display)
    {
        var names = (pod.Spec?.Containers ?? []).Select(c => c.Name)
            .Concat((pod.Spec?.InitContainers ?? []).Where(c => c.RestartPolicy == "Always").Select(c => c.Name))
            .Where(n => !string.IsNullOrEmpty(n))
            .ToList();
        var listed = names.Count == 0 ? "none" : string.Join(", ", names);
        if (wanted is not null)
        {
            return names.Contains(wanted, StringComparer.Ordinal)
                ? wanted
                : throw new EnvoyLensException($"{display} has no container '{wanted}' (its containers: {listed}).");
        }

        // An Envoy sidecar wins; a pod with Linkerd's proxy (and no Envoy) is read as a linkerd2-proxy.
        return KnownEnvoyContainers.FirstOrDefault(k => names.Contains(k, StringComparer.Ordinal))
            ?? (names.Contains(LinkerdContainer, StringComparer.Ordinal) ? LinkerdContainer : null)
            ?? throw new EnvoyLensException(
                $"{display} has no Envoy sidecar container (looked for {string.Join(", ", KnownEnvoyContainers)}) nor Linkerd's {LinkerdContainer} (its containers: {listed}); name one with --container.");
    }

    internal static async Task<Stream> OpenAsync(k8s.Kubernetes client, string name, string ns, int port, string display, CancellationToken cancellationToken)
    {
        WebSocket socket;
        try
        {
            socket = await client.WebSocketNamespacedPodPortForwardAsync(name, ns, [port], "v4.channel.k8s.io", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new EnvoyLensException($"port-forward to {display} is forbidden; your Kubernetes user needs RBAC 'create pods/portforward' in namespace {ns}.", ex);
        }
        catch (HttpOperationException ex)
        {
            throw new EnvoyLensException($"port-forward to {display} was refused by the Kubernetes API ({(int)ex.Response.StatusCode}): {FirstLine(ex.Response.Content ?? ex.Message)}.", ex);
        }
        catch (WebSocketException ex) when (ex.Message.Contains("403", StringComparison.Ordinal))
        {
            throw new EnvoyLensException($"port-forward to {display} is forbidden; your Kubernetes user needs RBAC 'create pods/portforward' in namespace {ns}.", ex);
        }
        catch (WebSocketException ex)
        {
            throw new EnvoyLensException($"port-forward to {display} failed: {FirstLine(ex.Message)}.", ex);
        }

        return new PortForwardStream(socket, display, port);
    }

    internal static string FirstLine(string message) =>
        message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()?.TrimEnd('.') ?? "unknown error";
}
