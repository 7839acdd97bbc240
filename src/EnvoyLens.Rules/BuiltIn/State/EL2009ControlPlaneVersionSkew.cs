using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.State;

/// <summary>
/// EL2009: the proxy's own Istio version (node metadata <c>ISTIO_VERSION</c>) is not the version the control plane
/// reports for it (<c>control_plane.json</c> <c>proxy.version</c>): it is connected to a control plane of another
/// revision, or the two disagree about what runs.
/// </summary>
internal sealed class EL2009ControlPlaneVersionSkew : IRule
{
    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL2009",
        Title = "Proxy version differs from what the control plane reports",
        Category = RuleCategory.State,
        DefaultSeverity = Severity.Warning,
        MessageTemplate = "The proxy's ISTIO_VERSION is {proxy_version}, but the control plane {control_plane} reports version {reported_version} for it",
        Rationale = "The control plane generates configuration for the version it believes the proxy runs; when the proxy runs another one (an upgrade half done, a proxy still attached to the old revision's control plane), fields are generated for the wrong version and are rejected or ignored.",
        Remediation = "Restart the workload so it is injected for, and connects to, the revision that serves its namespace (istio.io/rev label), and compare the VERSION column of envoylens status or istioctl proxy-status.",
        Inputs = RuleInputs.ControlPlane,
        OptionalInputs = RuleInputs.ConfigDump | RuleInputs.ServerInfo,
        Example = "The proxy's ISTIO_VERSION is 1.23.4, but the control plane istiod-7d9c8f6b5-abcde reports version 1.24.2 for it",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context)
    {
        if (string.IsNullOrEmpty(context.ControlPlane?.Proxy.Version))
        {
            return Applicability.No("the control plane reports no version for the proxy");
        }

        return Applicability.When(!string.IsNullOrEmpty(context.Node?.IstioVersion), "the node has no ISTIO_VERSION metadata");
    }

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var view = context.ControlPlane!;
        var reported = view.Proxy.Version!;
        var own = context.Node!.IstioVersion!;
        if (Same(own, reported))
        {
            yield break;
        }

        yield return context.Report(Definition, ControlPlaneFindings.Proxy(view), JsonPointer.Root.Append("proxy").Append("version"),
            Args.Of(("proxy_version", own), ("control_plane", view.Proxy.ControlPlane), ("reported_version", reported)),
            Args.Of(("node_id", view.NodeId)), view.Source);
    }

    /// <summary>Equal as text, or as versions (<c>1.24.2</c> and <c>1.24.2-distroless</c> are one).</summary>
    internal static bool Same(string a, string b) =>
        string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal) ||
        (EL2006ProxyVersionSkew.Version(a) is { } x && EL2006ProxyVersionSkew.Version(b) is { } y && x == y);
}
