using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyLens.ProtoJson.Internal;

/// <summary>One scalar read from JSON, unboxed.</summary>
internal struct Scalar
{
    public long Int;
    public ulong UInt;
    public double Double;
    public object? Ref;
}

/// <summary>Reads proto3 JSON scalars and the string forms of the well-known types.</summary>
internal static class Scalars
{
    private const long MaxDurationSeconds = 315_576_000_000L;
    private const long MinTimestampSeconds = -62_135_596_800L; // 0001-01-01T00:00:00Z
    private const long MaxTimestampSeconds = 253_402_300_799L; // 9999-12-31T23:59:59Z
    private static readonly object[] SmallInts = Enumerable.Range(-1, 258).Select(i => (object)i).ToArray();
    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    public static object Box(ValueKind kind, in Scalar v) => kind switch
    {
        ValueKind.Int32 or ValueKind.Enum => BoxInt((int)v.Int),
        ValueKind.Int64 => v.Int,
        ValueKind.UInt32 => (uint)v.UInt,
        ValueKind.UInt64 => v.UInt,
        ValueKind.Float => (float)v.Double,
        ValueKind.Double => v.Double,
        ValueKind.Bool => v.Int != 0 ? BoxedTrue : BoxedFalse,
        _ => v.Ref!,
    };

    public static object BoxInt(int value) => value is >= -1 and <= 256 ? SmallInts[value + 1] : value;

    /// <summary>Reads the scalar at the reader's current token; returns an error sentence when it does not fit.</summary>
    public static string? TryRead(ref Utf8JsonReader r, ValueKind kind, EnumInfo? enumInfo, out Scalar value)
    {
        value = default;
        switch (kind)
        {
            case ValueKind.String:
                if (r.TokenType != JsonTokenType.String)
                {
                    return "expected a string";
                }

                value.Ref = r.GetString();
                return null;
            case ValueKind.Bool:
                if (r.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    value.Int = r.TokenType == JsonTokenType.True ? 1 : 0;
                    return null;
                }

                return "expected true or false";
            case ValueKind.Int32:
            case ValueKind.Int64:
            {
                if (!TryReadInteger(ref r, out var l, out var error))
                {
                    return error;
                }

                if (kind == ValueKind.Int32 && l is < int.MinValue or > int.MaxValue)
                {
                    return "the number is out of range for int32";
                }

                value.Int = l;
                return null;
            }

            case ValueKind.UInt32:
            case ValueKind.UInt64:
            {
                if (!TryReadUnsigned(ref r, out var u, out var error))
                {
                    return error;
                }

                if (kind == ValueKind.UInt32 && u > uint.MaxValue)
                {
                    return "the number is out of range for uint32";
                }

                value.UInt = u;
                return null;
            }

            case ValueKind.Float:
            case ValueKind.Double:
            {
                if (!TryReadDouble(ref r, out var d))
                {
                    return "expected a number, \"NaN\", \"Infinity\" or \"-Infinity\"";
                }

                if (kind == ValueKind.Float && double.IsFinite(d) && (d > float.MaxValue || d < float.MinValue))
                {
                    return "the number is out of range for float";
                }

                value.Double = d;
                return null;
            }

            case ValueKind.Bytes:
            {
                if (r.TokenType != JsonTokenType.String)
                {
                    return "expected a base64 string";
                }

                var bytes = TryDecodeBase64(ref r);
                if (bytes is null)
                {
                    return "the string is not valid base64";
                }

                value.Ref = bytes;
                return null;
            }

            case ValueKind.Enum:
                return TryReadEnum(ref r, enumInfo!, out value.Int);
            default:
                return "the field type is not supported";
        }
    }

    private static string? TryReadEnum(ref Utf8JsonReader r, EnumInfo info, out long number)
    {
        number = 0;
        if (r.TokenType == JsonTokenType.Number)
        {
            if (r.TryGetInt32(out var n))
            {
                number = n;
                return null;
            }

            return "the enum number is out of range";
        }

        if (r.TokenType != JsonTokenType.String)
        {
            return $"expected a {info.Descriptor.Name} name or number";
        }

        var found = r.ValueIsEscaped ? info.ByName.Find(Encoding.UTF8.GetBytes(r.GetString()!)) : info.ByName.Find(r.ValueSpan);
        if (found is null)
        {
            return $"'{r.GetString()}' is not a {info.Descriptor.FullName} value";
        }

        number = found.Number;
        return null;
    }

    private static bool TryReadInteger(ref Utf8JsonReader r, out long value, out string? error)
    {
        error = null;
        if (r.TokenType == JsonTokenType.Number)
        {
            if (r.TryGetInt64(out value))
            {
                return true;
            }

            if (r.TryGetDouble(out var d) && IsIntegral(d, long.MinValue, 9.2233720368547758E18))
            {
                value = (long)d;
                return true;
            }
        }
        else if (r.TokenType == JsonTokenType.String)
        {
            var span = r.ValueIsEscaped ? Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan;
            if (Utf8Parser.TryParse(span, out value, out var consumed) && consumed == span.Length && span.Length > 0 && span[0] != (byte)'+')
            {
                return true;
            }

            if (TryParseDouble(span, out var d) && IsIntegral(d, long.MinValue, 9.2233720368547758E18))
            {
                value = (long)d;
                return true;
            }
        }
        else
        {
            value = 0;
            error = "expected an integer";
            return false;
        }

        value = 0;
        error = "expected an integer in range";
        return false;
    }

    private static bool TryReadUnsigned(ref Utf8JsonReader r, out ulong value, out string? error)
    {
        error = null;
        if (r.TokenType == JsonTokenType.Number)
        {
            if (r.TryGetUInt64(out value))
            {
                return true;
            }

            if (r.TryGetDouble(out var d) && IsIntegral(d, 0, 1.8446744073709552E19))
            {
                value = (ulong)d;
                return true;
            }
        }
        else if (r.TokenType == JsonTokenType.String)
        {
            var span = r.ValueIsEscaped ? Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan;
            if (Utf8Parser.TryParse(span, out value, out var consumed) && consumed == span.Length && span.Length > 0 && span[0] != (byte)'+')
            {
                return true;
            }

            if (TryParseDouble(span, out var d) && IsIntegral(d, 0, 1.8446744073709552E19))
            {
                value = (ulong)d;
                return true;
            }
        }
        else
        {
            value = 0;
            error = "expected an unsigned integer";
            return false;
        }

        value = 0;
        error = "expected an unsigned integer in range";
        return false;
    }

    private static bool IsIntegral(double d, double min, double maxExclusive) =>
        double.IsFinite(d) && Math.Floor(d) == d && d >= min && d < maxExclusive;

    private static bool TryReadDouble(ref Utf8JsonReader r, out double value)
    {
        if (r.TokenType == JsonTokenType.Number)
        {
            return r.TryGetDouble(out value) && double.IsFinite(value);
        }

        if (r.TokenType != JsonTokenType.String)
        {
            value = 0;
            return false;
        }

        var span = r.ValueIsEscaped ? Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan;
        if (span.SequenceEqual("NaN"u8))
        {
            value = double.NaN;
            return true;
        }

        if (span.SequenceEqual("Infinity"u8))
        {
            value = double.PositiveInfinity;
            return true;
        }

        if (span.SequenceEqual("-Infinity"u8))
        {
            value = double.NegativeInfinity;
            return true;
        }

        return TryParseDouble(span, out value) && double.IsFinite(value);
    }

    private static bool TryParseDouble(ReadOnlySpan<byte> span, out double value)
    {
        value = 0;
        if (span.Length == 0 || span[0] == (byte)'+' || span[0] == (byte)' ' || span[^1] == (byte)' ')
        {
            return false;
        }

        return double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Standard or URL-safe base64, padded or not.</summary>
    private static ByteString? TryDecodeBase64(ref Utf8JsonReader r)
    {
        var raw = r.ValueIsEscaped ? Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan;
        var padded = (raw.Length + 3) / 4 * 4;
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(padded, 4));
        try
        {
            var buffer = rented.AsSpan(0, padded);
            for (var i = 0; i < raw.Length; i++)
            {
                var b = raw[i];
                buffer[i] = b switch { (byte)'-' => (byte)'+', (byte)'_' => (byte)'/', _ => b };
            }

            buffer[raw.Length..].Fill((byte)'=');
            var output = new byte[Base64.GetMaxDecodedFromUtf8Length(padded)];
            var status = Base64.DecodeFromUtf8(buffer, output, out _, out var written);
            if (status != OperationStatus.Done)
            {
                return null;
            }

            return UnsafeByteOperations.UnsafeWrap(output.AsMemory(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>"1.5s", "-0.000000001s": seconds with up to nine fractional digits.</summary>
    public static Duration? ParseDuration(string text)
    {
        if (text.Length < 2 || text[^1] != 's')
        {
            return null;
        }

        var body = text.AsSpan(0, text.Length - 1);
        var negative = body[0] == '-';
        if (negative)
        {
            body = body[1..];
        }

        var dot = body.IndexOf('.');
        var whole = dot < 0 ? body : body[..dot];
        var fraction = dot < 0 ? [] : body[(dot + 1)..];
        if (whole.Length == 0 || !AllDigits(whole) || (dot >= 0 && (fraction.Length is 0 or > 9 || !AllDigits(fraction))))
        {
            return null;
        }

        if (!long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > MaxDurationSeconds)
        {
            return null;
        }

        var nanos = 0;
        if (fraction.Length > 0)
        {
            nanos = int.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture);
            for (var i = fraction.Length; i < 9; i++)
            {
                nanos *= 10;
            }
        }

        return new Duration { Seconds = negative ? -seconds : seconds, Nanos = negative ? -nanos : nanos };
    }

    /// <summary>RFC 3339: "2024-03-04T08:37:44Z", "2024-03-04T08:37:44.123456789+01:00".</summary>
    public static Timestamp? ParseTimestamp(string text)
    {
        var s = text.AsSpan();
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
        {
            return null;
        }

        if (!TryDigits(s[..4], out var year) || !TryDigits(s[5..7], out var month) || !TryDigits(s[8..10], out var day)
            || !TryDigits(s[11..13], out var hour) || !TryDigits(s[14..16], out var minute) || !TryDigits(s[17..19], out var second))
        {
            return null;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        var rest = s[19..];
        var nanos = 0;
        if (rest.Length > 0 && rest[0] == '.')
        {
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            var fraction = rest[1..digits];
            if (fraction.Length is 0 or > 9 || !TryDigits(fraction, out nanos))
            {
                return null;
            }

            for (var i = fraction.Length; i < 9; i++)
            {
                nanos *= 10;
            }

            rest = rest[digits..];
        }

        long offsetSeconds;
        if (rest.Length == 1 && (rest[0] == 'Z' || rest[0] == 'z'))
        {
            offsetSeconds = 0;
        }
        else if (rest.Length == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':'
                 && TryDigits(rest[1..3], out var offHours) && TryDigits(rest[4..6], out var offMinutes) && offHours <= 23 && offMinutes <= 59)
        {
            offsetSeconds = ((offHours * 60) + offMinutes) * 60 * (rest[0] == '-' ? -1 : 1);
        }
        else
        {
            return null;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        var seconds = ((local.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond) - offsetSeconds;
        if (seconds is < MinTimestampSeconds or > MaxTimestampSeconds)
        {
            return null;
        }

        return new Timestamp { Seconds = seconds, Nanos = nanos };
    }

    /// <summary>"fooBar.baz,qux": comma-separated lowerCamelCase paths, stored as snake_case.</summary>
    public static FieldMask? ParseFieldMask(string text)
    {
        var mask = new FieldMask();
        if (text.Length == 0)
        {
            return mask;
        }

        foreach (var path in text.Split(','))
        {
            var sb = new StringBuilder(path.Length + 4);
            foreach (var c in path)
            {
                if (c == '_')
                {
                    return null; // JSON paths are lowerCamelCase
                }

                if (char.IsAsciiLetterUpper(c))
                {
                    sb.Append('_').Append(char.ToLowerInvariant(c));
                }
                else
                {
                    sb.Append(c);
                }
            }

            mask.Paths.Add(sb.ToString());
        }

        return mask;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return s.Length > 0;
    }
}
