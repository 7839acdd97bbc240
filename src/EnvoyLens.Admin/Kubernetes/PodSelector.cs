using EnvoyLens.Core;

namespace EnvoyLens.Admin.Kubernetes;

/// <summary>
/// Which pod's Envoy to read and how to reach the cluster: <c>--pod NAME[.NAMESPACE]</c>, <c>-n/--namespace</c>,
/// <c>--context</c>, <c>--kubeconfig</c>, <c>--container</c>, <c>--admin-port</c>.
/// </summary>
/// <param name="Pod"><c>NAME</c> or <c>NAME.NAMESPACE</c> (split at the last dot, as <c>istioctl</c> does).</param>
public sealed record PodSelector(string Pod)
{
    /// <summary>The namespace when <see cref="Pod"/> names none; default the context's namespace, else <c>default</c>.</summary>
    public string? Namespace { get; init; }

    public string? Context { get; init; }

    /// <summary>The kubeconfig file; default <c>$KUBECONFIG</c> (its first entry), else <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The container whose admin port is read; default the first known Envoy sidecar container.</summary>
    public string? Container { get; init; }

    /// <summary>The admin port inside the pod; default 15000 (19000 for <c>consul-dataplane</c>).</summary>
    public int? Port { get; init; }

    /// <summary>How long the Kubernetes API may take to answer the pod lookup.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The pod name and namespace (null when none was named: then the context's).</summary>
    public (string Name, string? Namespace) Split()
    {
        var text = Pod.Trim();
        if (text.StartsWith("pod/", StringComparison.Ordinal))
        {
            text = text[4..];
        }

        // NAMESPACE/NAME, as in DESIGN.md's data flow, is accepted too.
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        string name;
        string? ns;
        if (slash > 0)
        {
            (ns, name) = (text[..slash], text[(slash + 1)..]);
        }
        else
        {
            var dot = text.LastIndexOf('.');
            (name, ns) = dot > 0 ? (text[..dot], text[(dot + 1)..]) : (text, null);
        }

        if (name.Length == 0 || (ns is not null && ns.Length == 0) || !IsDnsName(name) || (ns is not null && !IsDnsName(ns)))
        {
            throw new EnvoyLensException($"--pod '{Pod}' is not a pod name; give NAME or NAME.NAMESPACE (lowercase letters, digits, '-').");
        }

        if (ns is not null && Namespace is not null && ns != Namespace)
        {
            throw new EnvoyLensException($"--pod '{Pod}' names namespace '{ns}' but --namespace says '{Namespace}'; give one of them.");
        }

        return (name, ns ?? Namespace);
    }

    private static bool IsDnsName(string s) =>
        s.Length <= 253 && s.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.') && char.IsAsciiLetterOrDigit(s[0]) && char.IsAsciiLetterOrDigit(s[^1]);
}
