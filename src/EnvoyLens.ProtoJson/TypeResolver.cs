using System.Collections.Concurrent;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace EnvoyLens.ProtoJson;

/// <summary>A message type found for a type URL.</summary>
/// <param name="Descriptor">The message descriptor of the generated type.</param>
/// <param name="CanonicalTypeUrl"><c>type.googleapis.com/</c> followed by the descriptor's full name.</param>
/// <param name="RenamedFrom">The full name the type URL carried when the rename function mapped it to another one; otherwise null.</param>
public sealed record ResolvedType(MessageDescriptor Descriptor, string CanonicalTypeUrl, string? RenamedFrom);

/// <summary>
/// Resolves type URLs (<c>type.googleapis.com/&lt;full.name&gt;</c>, any prefix up to the last '/') to the message
/// descriptors of generated types listed in <see cref="MessageTypeTable"/>s (written at build time: no reflection).
/// Lazy: only the descriptor of the type a name maps to is built (with its file); an index of the tables' types by
/// simple name is built once, only when a name does not map directly (files whose C# namespace differs from their
/// proto package, or unknown names). Results are cached; the resolver is thread-safe. The well-known types are
/// always resolvable.
/// </summary>
public sealed class TypeResolver
{
    /// <summary>The prefix of canonical type URLs.</summary>
    public const string TypeUrlPrefix = "type.googleapis.com/";

    private const int MaxCachedUrls = 16_384;

    private readonly MessageTypeTable[] _tables;
    private readonly Func<string, string?>? _rename;
    private readonly ConcurrentDictionary<string, ResolvedType?> _byUrl = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MessageDescriptor?> _byName = new(StringComparer.Ordinal);
    private readonly Lazy<Dictionary<string, (MessageTypeTable Table, string ClrName)[]>> _bySimpleName;

    /// <param name="tables">The message types to resolve, in lookup order. The table of Google.Protobuf's own messages (the well-known types) is always added last.</param>
    /// <param name="rename">Maps a full name to another full name before lookup (legacy names, say); null or the same name means no rename.</param>
    public TypeResolver(IEnumerable<MessageTypeTable> tables, Func<string, string?>? rename = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _tables = tables
            .Append(WellKnownMessageTypes.Table)
            .Distinct()
            .ToArray();
        _rename = rename;
        _bySimpleName = new(BuildSimpleNameIndex, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The message type for <paramref name="typeUrl"/>, or null when no assembly holds it.</summary>
    public ResolvedType? Resolve(string typeUrl)
    {
        ArgumentNullException.ThrowIfNull(typeUrl);
        if (_byUrl.TryGetValue(typeUrl, out var cached))
        {
            return cached;
        }

        var resolved = ResolveCore(typeUrl);
        if (_byUrl.Count < MaxCachedUrls)
        {
            _byUrl.TryAdd(typeUrl, resolved);
        }

        return resolved;
    }

    /// <summary>The descriptor of the message with this full name (no rename applied), or null.</summary>
    public MessageDescriptor? FindMessage(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        return _byName.GetOrAdd(fullName, FindMessageCore);
    }

    /// <summary>The full name part of a type URL: everything after the last '/'.</summary>
    public static string FullNameOf(string typeUrl)
    {
        ArgumentNullException.ThrowIfNull(typeUrl);
        var slash = typeUrl.LastIndexOf('/');
        return slash < 0 ? typeUrl : typeUrl[(slash + 1)..];
    }

    private ResolvedType? ResolveCore(string typeUrl)
    {
        var fullName = FullNameOf(typeUrl);
        if (fullName.Length == 0)
        {
            return null;
        }

        var renamed = _rename?.Invoke(fullName);
        if (renamed is not null && !string.Equals(renamed, fullName, StringComparison.Ordinal))
        {
            var target = FindMessage(renamed);
            if (target is not null)
            {
                return new ResolvedType(target, TypeUrlPrefix + target.FullName, fullName);
            }
        }

        var descriptor = FindMessage(fullName);
        return descriptor is null ? null : new ResolvedType(descriptor, TypeUrlPrefix + descriptor.FullName, null);
    }

    private MessageDescriptor? FindMessageCore(string fullName)
    {
        var clrName = ClrTypeNameOf(fullName);
        if (clrName is not null)
        {
            foreach (var table in _tables)
            {
                var descriptor = table.DescriptorOf(clrName);
                if (descriptor is not null && descriptor.FullName == fullName)
                {
                    return descriptor;
                }
            }
        }

        // The C# namespace of some files differs from their package: look among the types of the same simple name.
        var simpleName = fullName[(fullName.LastIndexOf('.') + 1)..];
        if (_bySimpleName.Value.TryGetValue(simpleName, out var candidates))
        {
            foreach (var (table, name) in candidates)
            {
                var descriptor = table.DescriptorOf(name);
                if (descriptor is not null && descriptor.FullName == fullName)
                {
                    return descriptor;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The CLR type name protoc's C# generator gives a message by default: package segments PascalCased
    /// (underscores dropped, a letter after a digit or underscore capitalised), nested messages as
    /// <c>Outer+Types+Inner</c>; the google.protobuf package lives in Google.Protobuf.WellKnownTypes.
    /// Null when the name has no message part (by convention, message names start with an upper-case letter).
    /// </summary>
    internal static string? ClrTypeNameOf(string fullName)
    {
        var segments = fullName.Split('.');
        var firstMessage = Array.FindIndex(segments, s => s.Length > 0 && char.IsAsciiLetterUpper(s[0]));
        if (firstMessage < 0 || segments.Any(s => s.Length == 0))
        {
            return null;
        }

        var sb = new StringBuilder(fullName.Length + 16);
        var package = string.Join('.', segments, 0, firstMessage);
        if (package == "google.protobuf")
        {
            sb.Append("Google.Protobuf.WellKnownTypes");
        }
        else
        {
            for (var i = 0; i < firstMessage; i++)
            {
                if (i > 0)
                {
                    sb.Append('.');
                }

                AppendPascal(sb, segments[i]);
            }
        }

        if (sb.Length > 0)
        {
            sb.Append('.');
        }

        sb.Append(segments[firstMessage]);
        for (var i = firstMessage + 1; i < segments.Length; i++)
        {
            sb.Append("+Types+").Append(segments[i]);
        }

        return sb.ToString();
    }

    private static void AppendPascal(StringBuilder sb, string segment)
    {
        var capitalizeNext = true;
        foreach (var c in segment)
        {
            if (char.IsAsciiLetterLower(c))
            {
                sb.Append(capitalizeNext ? char.ToUpperInvariant(c) : c);
                capitalizeNext = false;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                sb.Append(c);
                capitalizeNext = false;
            }
            else if (char.IsAsciiDigit(c))
            {
                sb.Append(c);
                capitalizeNext = true;
            }
            else
            {
                capitalizeNext = true;
            }
        }
    }

    private Dictionary<string, (MessageTypeTable Table, string ClrName)[]> BuildSimpleNameIndex()
    {
        var byName = new Dictionary<string, List<(MessageTypeTable, string)>>(StringComparer.Ordinal);
        foreach (var table in _tables)
        {
            foreach (var clrName in table.ClrNames)
            {
                var simpleName = clrName[(clrName.AsSpan().LastIndexOfAny('.', '+') + 1)..];
                if (!byName.TryGetValue(simpleName, out var list))
                {
                    byName[simpleName] = list = [];
                }

                list.Add((table, clrName));
            }
        }

        return byName.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }
}
