using System.Globalization;
using System.Text.RegularExpressions;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.State;

/// <summary>
/// EL2006: the versions the proxy announces to the control plane (node <c>user_agent_build_version</c>, Istio's
/// <c>ISTIO_VERSION</c> metadata) disagree with the Envoy that answers <c>/server_info</c>.
/// </summary>
internal sealed partial class EL2006ProxyVersionSkew : IRule
{
    /// <summary>Istio 1.N ships Envoy 1.(N+8) (1.5 → 1.13, 1.24 → 1.32); the mapping has held since Istio 1.5.</summary>
    internal const int IstioToEnvoyMinorOffset = 8;

    public static RuleDescriptor Definition { get; } = new(
        "EL2006",
        "Proxy and control-plane versions skew",
        RuleCategory.State,
        Severity.Warning,
        "{claim}, but /server_info reports Envoy {envoy_version}",
        "The control plane generates configuration for the version the node announces; when the running Envoy is another version, fields it does not know are rejected or ignored, and an Istio proxy far from its Envoy build is a mixed or patched image that upgrades skipped.",
        "Restart the workload so the sidecar is injected with the proxy image that matches the control plane (for Istio: istioctl proxy-status shows the skew per pod), or pin the image tag that matches the revision.",
        RuleInputs.ServerInfo)
    {
        OptionalInputs = RuleInputs.ConfigDump,
        Example = "The node's ISTIO_VERSION is 1.22.1, whose proxy ships Envoy 1.30, but /server_info reports Envoy 1.32.3",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context)
    {
        if (Version(context.ServerInfo?.Version) is null)
        {
            return Applicability.No("/server_info does not give a version EnvoyLens can read");
        }

        var node = context.Node;
        return Applicability.When(Version(node?.UserAgentVersion) is not null || Version(node?.IstioVersion) is not null,
            "the node announces neither a build version nor ISTIO_VERSION");
    }

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var info = context.ServerInfo!;
        var envoy = Version(info.Version)!.Value;
        var node = context.Node!;
        var envoyText = Text(envoy);
        var resource = new ResourceRef(ResourceKind.ServerInfo, "server_info");
        var pointer = context.Snapshot.Bootstrap?.Pointer.Append("node") ?? JsonPointer.Root.Append("node");
        var source = context.Snapshot.Bootstrap is null ? info.Source : null;
        var evidence = new List<(string, string)> { ("server_info_version", info.Version ?? "") };
        if (node.UserAgentVersion is { } ua)
        {
            evidence.Add(("user_agent_build_version", ua));
        }

        if (node.IstioVersion is { } iv)
        {
            evidence.Add(("istio_version", iv));
        }

        if (Version(node.UserAgentVersion) is { } announced && (announced.Major, announced.Minor, announced.Patch) != (envoy.Major, envoy.Minor, envoy.Patch ?? announced.Patch))
        {
            yield return context.Report(Definition, resource, pointer.Append("user_agent_build_version"),
                Args.Of(("claim", $"The node announces Envoy {Text(announced)} to the control plane"), ("envoy_version", envoyText)),
                Args.Of([.. evidence]), source);
        }

        if (Version(node.IstioVersion) is { } istio && istio.Major == 1 && istio.Minor >= 5 &&
            (envoy.Major, envoy.Minor) != (1, istio.Minor + IstioToEnvoyMinorOffset))
        {
            var expected = string.Create(CultureInfo.InvariantCulture, $"1.{istio.Minor + IstioToEnvoyMinorOffset}");
            yield return context.Report(Definition, resource, pointer.Append("metadata").Append("ISTIO_VERSION"),
                Args.Of(("claim", $"The node's ISTIO_VERSION is {node.IstioVersion}, whose proxy ships Envoy {expected}"), ("envoy_version", envoyText)),
                Args.Of([.. evidence]), source);
        }
    }

    /// <summary>
    /// The version in <c>8e5b2c7a/1.32.3/Clean/RELEASE/BoringSSL</c>, <c>1.32.3</c>, <c>1.24-dev</c> or <c>1.24.2</c>; null when none.
    /// </summary>
    internal static (int Major, int Minor, int? Patch)? Version(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var m = VersionPattern().Match(text);
        if (!m.Success)
        {
            return null;
        }

        int? patch = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : null;
        return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), patch);
    }

    private static string Text((int Major, int Minor, int? Patch) v) =>
        v.Patch is { } p ? string.Create(CultureInfo.InvariantCulture, $"{v.Major}.{v.Minor}.{p}") : string.Create(CultureInfo.InvariantCulture, $"{v.Major}.{v.Minor}");

    [GeneratedRegex(@"(?:^|/)(\d{1,3})\.(\d{1,3})(?:\.(\d{1,4}))?(?=$|[/\-+])", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
