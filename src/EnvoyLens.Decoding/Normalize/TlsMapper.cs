using EnvoyLens.Core;
using EnvoyLens.Model;
using Google.Protobuf.WellKnownTypes;
using CoreV3 = Envoy.Config.Core.V3;
using TlsV3 = Envoy.Extensions.TransportSockets.Tls.V3;

namespace EnvoyLens.Decoding.Normalize;

/// <summary>Upstream and downstream TLS contexts (transport sockets) → <see cref="TlsContext"/>.</summary>
internal sealed class TlsMapper(NormalizeContext context)
{
    /// <summary>A transport socket's extension and, when it is a TLS context EnvoyLens understands, its TLS settings.</summary>
    public (TypedExtension? Extension, TlsContext? Tls) TransportSocket(CoreV3.TransportSocket? socket, JsonPointer structural)
    {
        if (socket is null)
        {
            return (null, null);
        }

        var at = context.At(socket, structural);
        var extension = context.Extension(socket.Name, socket.TypedConfig, at);
        return (extension, Tls(socket.TypedConfig, at.Append("typed_config")));
    }

    /// <summary>The TLS settings of an Any holding an Upstream- or DownstreamTlsContext; null for anything else.</summary>
    public TlsContext? Tls(Any? typedConfig, JsonPointer structural)
    {
        if (typedConfig is null)
        {
            return null;
        }

        if (typedConfig.Is(TlsV3.UpstreamTlsContext.Descriptor) && context.Unpack<TlsV3.UpstreamTlsContext>(typedConfig, structural) is { } upstream)
        {
            var at = context.At(upstream, structural);
            return Build(upstream.CommonTlsContext, at.Append("common_tls_context"), ProtoValues.NullIfEmpty(upstream.Sni), null, at);
        }

        if (typedConfig.Is(TlsV3.DownstreamTlsContext.Descriptor) && context.Unpack<TlsV3.DownstreamTlsContext>(typedConfig, structural) is { } downstream)
        {
            var at = context.At(downstream, structural);
            return Build(downstream.CommonTlsContext, at.Append("common_tls_context"), null, downstream.RequireClientCertificate, at);
        }

        return null;
    }

    private TlsContext Build(TlsV3.CommonTlsContext? common, JsonPointer commonAt, string? sni, bool? requireClientCertificate, JsonPointer at)
    {
        common ??= new TlsV3.CommonTlsContext();
        var certificateSds = common.TlsCertificateSdsSecretConfigs.Select(c => c.Name).ToArray();
        var inlineChains = common.TlsCertificates
            .Select(c => ProtoValues.DataSourceText(c.CertificateChain))
            .OfType<string>()
            .ToArray();

        string? validationSds = null;
        TlsV3.CertificateValidationContext? validation = null;
        var hasTrustProvider = false;
        switch (common.ValidationContextTypeCase)
        {
            case TlsV3.CommonTlsContext.ValidationContextTypeOneofCase.ValidationContext:
                validation = common.ValidationContext;
                break;
            case TlsV3.CommonTlsContext.ValidationContextTypeOneofCase.ValidationContextSdsSecretConfig:
                validationSds = common.ValidationContextSdsSecretConfig.Name;
                break;
            case TlsV3.CommonTlsContext.ValidationContextTypeOneofCase.CombinedValidationContext:
                validation = common.CombinedValidationContext.DefaultValidationContext;
                validationSds = common.CombinedValidationContext.ValidationContextSdsSecretConfig?.Name;
#pragma warning disable CS0612 // deprecated, still sent by older control planes
                hasTrustProvider = common.CombinedValidationContext.ValidationContextCertificateProviderInstance is not null;
#pragma warning restore CS0612
                break;
            case TlsV3.CommonTlsContext.ValidationContextTypeOneofCase.ValidationContextCertificateProvider:
            case TlsV3.CommonTlsContext.ValidationContextTypeOneofCase.ValidationContextCertificateProviderInstance:
                hasTrustProvider = true;
                break;
        }

        var sans = new List<StringMatch>();
        var trustedCas = new List<string>();
        IReadOnlyList<SpiffeTrustBundle> bundles = [];
        if (validation is not null)
        {
            AddSubjectAltNameMatchers(validation, sans);
            if (ProtoValues.DataSourceText(validation.TrustedCa) is { } ca)
            {
                trustedCas.Add(ca);
            }

            hasTrustProvider |= validation.CaCertificateProviderInstance is not null;
            var validationAt = context.At(validation, common.ValidationContextTypeCase == TlsV3.CommonTlsContext.ValidationContextTypeOneofCase.ValidationContext
                ? commonAt.Append("validation_context")
                : commonAt.Append("combined_validation_context").Append("default_validation_context"));
            bundles = SpiffeTrustBundles(validation, validationAt);
            hasTrustProvider |= bundles.Count > 0;
        }

        var hasTrustedCa = trustedCas.Count > 0 || !string.IsNullOrEmpty(validationSds) || hasTrustProvider;
        return new TlsContext(
            sni,
            certificateSds,
            ProtoValues.NullIfEmpty(validationSds),
            sans,
            hasTrustedCa,
            inlineChains,
            trustedCas,
            common.AlpnProtocols.ToArray(),
            requireClientCertificate,
            at)
        {
            SpiffeTrustBundles = bundles,
        };
    }

    /// <summary>The per-trust-domain bundles of a validation context's SPIFFE certificate validator; empty for any other validator.</summary>
    public IReadOnlyList<SpiffeTrustBundle> SpiffeTrustBundles(TlsV3.CertificateValidationContext validation, JsonPointer validationAt)
    {
        var custom = validation.CustomValidatorConfig;
        if (custom?.TypedConfig is not { } typed || !typed.Is(TlsV3.SPIFFECertValidatorConfig.Descriptor))
        {
            return [];
        }

        var configAt = context.At(custom, validationAt.Append("custom_validator_config")).Append("typed_config");
        if (context.Unpack<TlsV3.SPIFFECertValidatorConfig>(typed, configAt) is not { } spiffe)
        {
            return [];
        }

        var at = context.At(spiffe, configAt);
        var bundles = new List<SpiffeTrustBundle>(spiffe.TrustDomains.Count);
        for (var i = 0; i < spiffe.TrustDomains.Count; i++)
        {
            var domain = spiffe.TrustDomains[i];
            var domainAt = context.At(domain, at.Append("trust_domains").Append(i));
            bundles.Add(new SpiffeTrustBundle(domain.Name, ProtoValues.DataSourceText(domain.TrustBundle), domainAt));
        }

        return bundles;
    }

    /// <summary>The SAN matchers of a validation context: typed ones (with their SAN type) first, then the legacy untyped ones.</summary>
    public static void AddSubjectAltNameMatchers(TlsV3.CertificateValidationContext validation, List<StringMatch> into)
    {
        foreach (var typed in validation.MatchTypedSubjectAltNames)
        {
            var sanType = typed.SanType == TlsV3.SubjectAltNameMatcher.Types.SanType.Unspecified ? null : ProtoValues.EnumName(typed.SanType);
            if (ProtoValues.ToStringMatch(typed.Matcher, sanType) is { } match)
            {
                into.Add(match);
            }
        }

#pragma warning disable CS0612 // deprecated, still sent by older control planes
        foreach (var legacy in validation.MatchSubjectAltNames)
        {
            if (ProtoValues.ToStringMatch(legacy) is { } match)
            {
                into.Add(match);
            }
        }
#pragma warning restore CS0612
    }
}
