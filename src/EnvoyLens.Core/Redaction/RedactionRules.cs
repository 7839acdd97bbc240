namespace EnvoyLens.Core.Redaction;

/// <summary>How a rule finds a secret and what it replaces.</summary>
public enum RedactionPlace
{
    /// <summary>
    /// The value of a field of this name, anywhere in the document: a string becomes <c>"[redacted]"</c>; inside an
    /// object or array every <c>inline_bytes</c> / <c>inline_string</c> (a <c>DataSource</c>) becomes
    /// <c>"inline_string": "[redacted]"</c>, file names and SDS references are kept.
    /// </summary>
    SecretField,

    /// <summary>Every string inside the value of a field of this name, except <c>name</c> and <c>@type</c>, becomes <c>"[redacted]"</c>.</summary>
    SecretConfig,

    /// <summary>
    /// A list of headers (<c>HeaderValue</c> <c>{key, value}</c> or <c>HeaderValueOption</c> <c>{header: {key, value}}</c>):
    /// the <c>value</c> / <c>raw_value</c> of every header whose name is secret (<see cref="RedactionRules.IsSecretHeader"/>).
    /// </summary>
    HeaderList,

    /// <summary>
    /// The node metadata (<c>node.metadata</c>, a Struct): the value of every key, at any depth, whose name says it
    /// holds a credential (<see cref="RedactionRules.IsSecretMetadataKey"/>) becomes <c>"[redacted]"</c>.
    /// </summary>
    NodeMetadata,
}

/// <summary>
/// One row of the redaction table.
/// </summary>
/// <param name="Place">How the value is found and replaced.</param>
/// <param name="Fields">The field names (proto name and JSON name) the rule applies to.</param>
/// <param name="Messages">The Envoy messages these fields belong to, for the reader of the table.</param>
/// <param name="Example">
/// A JSON object where the rule applies, with <c>$SECRET</c> where a secret goes; the tests plant it in real dumps.
/// </param>
public sealed record RedactionRule(RedactionPlace Place, IReadOnlyList<string> Fields, string Messages, string Example);

/// <summary>
/// The one table of what EnvoyLens never writes or prints (documented in the bundle format, BUNDLE.md): secret
/// fields, secret configurations, header lists and node metadata, with the header-name and metadata-key patterns.
/// <see cref="JsonRedactor"/> applies it to every document before it is written to disk or decoded for output.
/// </summary>
public static class RedactionRules
{
    /// <summary>What a redacted value reads (the text Envoy itself writes for a redacted secret).</summary>
    public const string Marker = "[redacted]";

    /// <summary><see cref="Marker"/> in base64, the form Envoy writes in <c>inline_bytes</c> and bytes fields.</summary>
    public const string MarkerBase64 = "W3JlZGFjdGVkXQ==";

    /// <summary>Header names that are secret as a whole (compared case-insensitively).</summary>
    public static IReadOnlyList<string> SecretHeaderNames { get; } = ["x-honeycomb-team", "cookie", "set-cookie"];

    /// <summary>A header whose name contains one of these (case-insensitively) is secret.</summary>
    public static IReadOnlyList<string> SecretHeaderParts { get; } = ["auth", "key", "token", "secret", "password", "passwd", "credential"];

    /// <summary>A node metadata key containing one of these (case-insensitively) holds a secret.</summary>
    public static IReadOnlyList<string> SecretMetadataKeyParts { get; } = ["password", "passwd", "credential", "token", "secret", "apikey", "api_key", "api-key"];

    /// <summary>The rules, in the order BUNDLE.md lists them.</summary>
    public static IReadOnlyList<RedactionRule> All { get; } =
    [
        new(RedactionPlace.SecretField, ["private_key", "privateKey"], "TlsCertificate, private key providers",
            """{"tls_certificate": {"private_key": {"inline_string": "$SECRET"}}}"""),
        new(RedactionPlace.SecretField, ["pkcs12"], "TlsCertificate (key and certificate in one PKCS#12 blob)",
            """{"tls_certificate": {"pkcs12": {"inline_bytes": "$SECRET"}}}"""),
        new(RedactionPlace.SecretField, ["password"], "TlsCertificate (key password), any config field of this name",
            """{"tls_certificate": {"password": {"inline_string": "$SECRET"}}}"""),
        new(RedactionPlace.SecretField, ["auth_password", "authPassword"], "RedisProtocolOptions",
            """{"auth_password": {"inline_string": "$SECRET"}}"""),
        new(RedactionPlace.SecretField, ["session_ticket_keys", "sessionTicketKeys"], "DownstreamTlsContext, Secret",
            """{"session_ticket_keys": {"keys": [{"inline_bytes": "$SECRET"}]}}"""),
        new(RedactionPlace.SecretField, ["generic_secret", "genericSecret"], "Secret",
            """{"generic_secret": {"secret": {"inline_string": "$SECRET"}}}"""),
        new(RedactionPlace.SecretField, ["local_jwks", "localJwks"], "JwtProvider (inline JWKS)",
            """{"local_jwks": {"inline_string": "$SECRET"}}"""),
        new(RedactionPlace.SecretField, ["client_secret", "clientSecret"], "OAuth2Credentials and other client secrets",
            """{"client_secret": "$SECRET"}"""),
        new(RedactionPlace.SecretField, ["users"], "BasicAuth, BasicAuthPerRoute (htpasswd lines)",
            """{"@type": "type.googleapis.com/envoy.extensions.filters.http.basic_auth.v3.BasicAuth", "users": {"inline_string": "$SECRET"}}"""),
        new(RedactionPlace.SecretField, ["access_token", "accessToken"], "GrpcService.GoogleGrpc.CallCredentials",
            """{"call_credentials": [{"access_token": "$SECRET"}]}"""),
        new(RedactionPlace.SecretField, ["google_refresh_token", "googleRefreshToken"], "GrpcService.GoogleGrpc.CallCredentials",
            """{"call_credentials": [{"google_refresh_token": "$SECRET"}]}"""),
        new(RedactionPlace.SecretField, ["json_key", "jsonKey"], "CallCredentials.ServiceAccountJWTAccessCredentials",
            """{"call_credentials": [{"service_account_jwt_access": {"json_key": "$SECRET", "token_lifetime_seconds": "3600"}}]}"""),
        new(RedactionPlace.SecretField, ["authorization_token", "authorizationToken"], "CallCredentials.GoogleIAMCredentials",
            """{"call_credentials": [{"google_iam": {"authorization_token": "$SECRET", "authority_selector": "x"}}]}"""),
        new(RedactionPlace.SecretConfig, ["sts_service", "stsService"], "CallCredentials.StsService",
            """{"call_credentials": [{"sts_service": {"token_exchange_service_uri": "https://sts.example", "subject_token_path": "$SECRET"}}]}"""),
        new(RedactionPlace.SecretConfig, ["from_plugin", "fromPlugin"], "CallCredentials.MetadataCredentialsFromPlugin",
            """{"call_credentials": [{"from_plugin": {"name": "plugin", "typed_config": {"@type": "type.googleapis.com/example.Plugin", "api_key": "$SECRET", "nested": {"v": "$SECRET"}}}}]}"""),
        new(RedactionPlace.HeaderList, ["initial_metadata", "initialMetadata"], "GrpcService (ADS, HDS, stats sinks, tracers, ext_authz, ...)",
            """{"initial_metadata": [{"key": "x-api-key", "value": "$SECRET"}, {"key": "authorization", "raw_value": "$SECRET"}]}"""),
        new(RedactionPlace.HeaderList, ["request_headers_to_add", "requestHeadersToAdd", "response_headers_to_add", "responseHeadersToAdd", "headers_to_add", "headersToAdd"],
            "RouteConfiguration, VirtualHost, Route, WeightedCluster, HealthCheck, HttpService",
            """{"request_headers_to_add": [{"header": {"key": "Authorization", "value": "Bearer $SECRET"}, "append_action": "OVERWRITE_IF_EXISTS_OR_ADD"}]}"""),
        new(RedactionPlace.NodeMetadata, ["metadata"], "Node (bootstrap and /server_info)",
            """{"node": {"id": "sidecar~10.0.0.1~x.default~default.svc.cluster.local", "metadata": {"DB_PASSWORD": "$SECRET", "PROXY_CONFIG": {"proxyMetadata": {"VAULT_TOKEN": "$SECRET"}}}}}"""),
    ];

    private static readonly Dictionary<string, RedactionPlace> ByField = BuildIndex();

    /// <summary>The place a field of this name is, when some rule names it (<see cref="RedactionPlace.NodeMetadata"/> also needs its parent to be <c>node</c>).</summary>
    public static RedactionPlace? PlaceOf(string field) => ByField.TryGetValue(field, out var place) ? place : null;

    /// <summary>Every rule field and its place, for lookups that do not allocate a string (see <see cref="JsonRedactor"/>).</summary>
    internal static Dictionary<string, RedactionPlace> Places => ByField;

    /// <summary>True when a header of this name carries a credential: a name of <see cref="SecretHeaderNames"/>, or one containing a part of <see cref="SecretHeaderParts"/>.</summary>
    public static bool IsSecretHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SecretHeaderNames.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) ||
            SecretHeaderParts.Any(p => name.Contains(p, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True when a node metadata key says it holds a credential (contains a part of <see cref="SecretMetadataKeyParts"/>).</summary>
    public static bool IsSecretMetadataKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SecretMetadataKeyParts.Any(p => key.Contains(p, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True for a value Envoy or EnvoyLens already redacted.</summary>
    public static bool IsMarker(string? value) => value is Marker or MarkerBase64;

    private static Dictionary<string, RedactionPlace> BuildIndex()
    {
        var index = new Dictionary<string, RedactionPlace>(StringComparer.Ordinal);
        foreach (var rule in All)
        {
            foreach (var field in rule.Fields)
            {
                // The redactor looks names up from at most 128 UTF-8 bytes without allocating (JsonRedactor.MaxLookupChars).
                if (System.Text.Encoding.UTF8.GetByteCount(field) > 128)
                {
                    throw new InvalidOperationException($"The redaction field '{field}' is longer than 128 bytes.");
                }

                index.Add(field, rule.Place);
            }
        }

        return index;
    }
}
