using EnvoyLens.Core;

namespace EnvoyLens.Model;

/// <summary>What an SDS secret holds.</summary>
public enum SecretType
{
    TlsCertificate,
    ValidationContext,
    SessionTicketKeys,
    GenericSecret,
    Unknown,
}

/// <summary>An SDS secret with every PEM block of its chain or trust bundle, as text.</summary>
public sealed record Secret(
    ResourceMeta Meta,
    SecretType Type,
    IReadOnlyList<string> CertificateChainPem,
    IReadOnlyList<string> TrustedCaPem,
    IReadOnlyList<StringMatch> SubjectAltNameMatchers,
    bool HasPrivateKey,
    JsonPointer Pointer)
{
    public string Name => Meta.Name;

    /// <summary>Per-trust-domain bundles of a validation context's SPIFFE certificate validator (<c>custom_validator_config</c>).</summary>
    public IReadOnlyList<SpiffeTrustBundle> SpiffeTrustBundles { get; init; } = [];
}

/// <summary>An ECDS resource (extension config discovery).</summary>
public sealed record EcdsConfig(ResourceMeta Meta, TypedExtension Extension)
{
    public string Name => Meta.Name;
}
