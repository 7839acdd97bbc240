using System.Text;
using EnvoyLens.Certs.Parsing;
using Org.BouncyCastle.Asn1.X509;

namespace EnvoyLens.Certs.Validation;

/// <summary>
/// The candidate issuers of a path search, indexed by subject: <see cref="Candidates"/> returns, in pool order, exactly
/// the certificates whose subject is equivalent (BouncyCastle's <c>X509Name.Equivalent</c>, in order) to a child's
/// issuer, without comparing the child against every certificate of the pool. Names are bucketed by a key that
/// equivalent names always share (attribute types and values, lowercased, all whitespace removed); the bucket is then
/// filtered with the exact comparison. Names holding a hex-encoded (<c>#...</c>) value, whose canonical form needs
/// decoding, are compared with every candidate, as before.
/// </summary>
internal sealed class IssuerIndex
{
    private readonly Dictionary<string, List<int>> _bySubject = new(StringComparer.Ordinal);
    private readonly List<int> _unkeyed = [];
    private readonly IReadOnlyList<CertificateInfo> _pool;

    public IssuerIndex(IReadOnlyList<CertificateInfo> pool)
    {
        _pool = pool;
        for (var i = 0; i < pool.Count; i++)
        {
            if (Key(pool[i].Bc.SubjectDN) is { } key)
            {
                if (!_bySubject.TryGetValue(key, out var bucket))
                {
                    _bySubject[key] = bucket = [];
                }

                bucket.Add(i);
            }
            else
            {
                _unkeyed.Add(i);
            }
        }
    }

    /// <summary>Every certificate of the pool whose subject is equivalent to <paramref name="issuer"/>, in pool order.</summary>
    public IEnumerable<CertificateInfo> Candidates(X509Name issuer)
    {
        var key = Key(issuer);
        IEnumerable<int> indexes = key is null
            ? Enumerable.Range(0, _pool.Count)
            : (_bySubject.GetValueOrDefault(key) ?? []).Concat(_unkeyed).Order();
        return indexes.Select(i => _pool[i]).Where(c => c.Bc.SubjectDN.Equivalent(issuer, true));
    }

    /// <summary>A key equivalent names share, or null when a value is hex-encoded (<c>#...</c>) and needs decoding to compare.</summary>
    internal static string? Key(X509Name name)
    {
        var oids = name.GetOidList();
        var values = name.GetValueList();
        var key = new StringBuilder();
        for (var i = 0; i < oids.Count; i++)
        {
            var value = values[i].Trim();
            if (value.StartsWith('#'))
            {
                return null;
            }

            key.Append(oids[i].Id).Append('=');
            foreach (var ch in value.ToLowerInvariant())
            {
                if (!char.IsWhiteSpace(ch))
                {
                    key.Append(ch);
                }
            }

            // A separator no value can hold once whitespace is removed.
            key.Append('\n');
        }

        return key.ToString();
    }
}
