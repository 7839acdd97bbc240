using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.ProtoJson;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyLens.Decoding.Normalize;

/// <summary>
/// What every mapper needs: where a message was read, how to open an Any, whether a type URL is compiled, and
/// where to report. Pointers are computed structurally (snake_case field names) unless the reader recorded one.
/// </summary>
internal sealed class NormalizeContext
{
    private static readonly Lazy<TypeResolver> DefaultResolver = new(
        () => new TypeResolver([EnvoyMessageTypes.Table], EnvoyTypes.V3NameFor),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Func<IMessage, JsonPointer?> _locate;
    private readonly Func<Any, IMessage?>? _unpacked;
    private readonly Action<DecodeDiagnostic> _report;
    private readonly TypeResolver _resolver;

    public NormalizeContext(string source, Func<IMessage, JsonPointer?> locate, Action<DecodeDiagnostic> report, Func<Any, IMessage?>? unpacked, TypeResolver? resolver)
    {
        Source = source;
        _locate = locate;
        _report = report;
        _unpacked = unpacked;
        _resolver = resolver ?? DefaultResolver.Value;
    }

    public string Source { get; }

    /// <summary>Where <paramref name="message"/> was read, else <paramref name="structural"/>.</summary>
    public JsonPointer At(IMessage? message, JsonPointer structural) =>
        message is not null && _locate(message) is { } located ? located : structural;

    /// <summary>
    /// Where <paramref name="message"/>, element <paramref name="index"/> of field <paramref name="field"/> under
    /// <paramref name="parent"/>, was read; the structural pointer is built only when the reader did not record one
    /// (the reader records every element of the tracked types, and there are many: endpoints, routes).
    /// </summary>
    public JsonPointer At(IMessage? message, JsonPointer parent, string field, int index) =>
        message is not null && _locate(message) is { } located ? located : parent.Append(field).Append(index);

    /// <summary>Whether a type URL names a message EnvoyLens compiled (so its payload was typed, even when empty).</summary>
    public bool IsKnownType(string? typeUrl) => !string.IsNullOrEmpty(typeUrl) && _resolver.Resolve(typeUrl) is not null;

    /// <summary>
    /// The message held by <paramref name="any"/> when it is a <typeparamref name="T"/>: the reader's own instance when
    /// it recorded one, else the payload parsed from the Any's bytes. Null when the Any is unset, of another type,
    /// or its bytes do not parse (reported).
    /// </summary>
    public T? Unpack<T>(Any? any, JsonPointer at)
        where T : class, IMessage<T>, new()
    {
        if (any is null || string.IsNullOrEmpty(any.TypeUrl))
        {
            return null;
        }

        if (_unpacked?.Invoke(any) is { } message)
        {
            return message as T;
        }

        try
        {
            return any.TryUnpack<T>(out var result) ? result : null;
        }
        catch (InvalidProtocolBufferException e)
        {
            Report(DiagnosticLevel.Warning, DiagnosticCodes.InvalidValue, at, $"The {TypeResolver.FullNameOf(any.TypeUrl)} payload could not be read back ({e.Message}); it is left out of the model.", any.TypeUrl);
            return null;
        }
    }

    /// <summary>An extension (name + typed config) as the model sees it.</summary>
    public TypedExtension Extension(string name, Any? typedConfig, JsonPointer at) =>
        new(name, ProtoValues.NullIfEmpty(typedConfig?.TypeUrl), IsKnownType(typedConfig?.TypeUrl), at);

    public void Report(DiagnosticLevel level, string code, JsonPointer at, string message, string? typeUrl = null) =>
        _report(new DecodeDiagnostic(level, code, Source, at, message, typeUrl));

    /// <summary>Reports a resource whose Any could not be used; the resource stays raw (in the reader's raw payloads).</summary>
    public void ReportUnusable(ResourceKind kind, Any any, JsonPointer at)
    {
        var typeName = string.IsNullOrEmpty(any.TypeUrl) ? "(no type)" : TypeResolver.FullNameOf(any.TypeUrl);
        var why = IsKnownType(any.TypeUrl)
            ? $"holds a {typeName}, not a {KindText(kind)}"
            : $"has type {typeName}, which EnvoyLens does not compile";
        Report(DiagnosticLevel.Warning, DiagnosticCodes.InvalidResource, at, $"This {KindText(kind)} entry {why}; it is kept raw and left out of the model.", ProtoValues.NullIfEmpty(any.TypeUrl));
    }

    public static string KindText(ResourceKind kind) => kind switch
    {
        ResourceKind.RouteConfig => "route configuration",
        ResourceKind.VirtualHost => "virtual host",
        ResourceKind.ScopedRoute => "scoped route configuration",
        ResourceKind.Endpoint => "cluster load assignment",
        ResourceKind.Ecds => "ECDS extension config",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
