using System.Numerics;
using System.Text;

namespace EnvoyLens.Core;

/// <summary>
/// How every output prints a certificate serial number: the bytes of the INTEGER as <c>openssl x509 -serial</c>
/// prints them, in lowercase hex (as istioctl prints serials): every byte of the value is two digits, so a leading
/// zero nibble stays (<c>0193a543…</c>), and only the sign octet DER adds before a value whose top bit is set is not
/// shown. A negative serial (not allowed by RFC 5280, but seen) is <c>-</c> followed by its magnitude.
/// </summary>
public static class SerialNumbers
{
    /// <summary>Formats the content octets of a DER INTEGER (two's complement, big-endian).</summary>
    public static string FromDerContent(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            return "0";
        }

        var value = new BigInteger(content, isUnsigned: false, isBigEndian: true);
        var magnitude = BigInteger.Abs(value).ToByteArray(isUnsigned: true, isBigEndian: true);
        var sb = new StringBuilder(magnitude.Length * 2 + 1);
        if (value.Sign < 0)
        {
            sb.Append('-');
        }

        sb.Append(Convert.ToHexStringLower(magnitude));
        return sb.ToString();
    }
}
