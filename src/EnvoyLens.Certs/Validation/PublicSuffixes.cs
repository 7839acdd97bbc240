namespace EnvoyLens.Certs.Validation;

/// <summary>
/// The minimal public-suffix rule of the Web PKI profile, without the full Public Suffix List (no maintained package
/// ships its data): a wildcard is over a public suffix when what follows <c>*.</c> is a single label (any top-level
/// domain) or one of a short list of well-known multi-label suffixes, ICANN (<c>co.uk</c>) and private
/// (<c>s3.amazonaws.com</c>), each an entry of the Public Suffix List. Other suffixes of the list are not known here.
/// </summary>
internal static class PublicSuffixes
{
    private static readonly HashSet<string> MultiLabel = new(StringComparer.Ordinal)
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk",
        "com.au", "net.au", "org.au", "edu.au", "gov.au",
        "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp",
        "co.nz", "org.nz", "net.nz", "co.za", "com.br", "com.cn", "net.cn", "org.cn", "com.mx", "co.in", "co.kr",
        "com.tw", "com.sg", "com.hk", "co.il", "com.tr", "com.ar",
        "s3.amazonaws.com", "elasticbeanstalk.com", "cloudfront.net", "github.io", "githubusercontent.com", "herokuapp.com",
        "appspot.com", "azurewebsites.net", "blogspot.com", "netlify.app", "vercel.app", "pages.dev", "workers.dev",
        "web.app", "firebaseapp.com",
    };

    /// <summary>Whether <paramref name="dns"/> is <c>*.SUFFIX</c> with SUFFIX a public suffix by the rule above.</summary>
    public static bool IsWildcardOverPublicSuffix(string dns)
    {
        if (!dns.StartsWith("*.", StringComparison.Ordinal))
        {
            return false;
        }

        var suffix = dns[2..].TrimEnd('.').ToLowerInvariant();
        return suffix.Length > 0 && (!suffix.Contains('.', StringComparison.Ordinal) || MultiLabel.Contains(suffix));
    }
}
