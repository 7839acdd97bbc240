using System.Globalization;
using EnvoyLens.Model;

namespace EnvoyLens.Reporting.Views;

/// <summary>How istioctl reads Istio names and metadata, shared by the views.</summary>
internal static class IstioNames
{
    /// <summary>
    /// The parts of an Istio subset key <c>direction|port|subset|fqdn</c>; names with fewer than four parts
    /// give (name, "", 0, "") so that they sort by their whole name. An unparsable port reads as 0.
    /// </summary>
    public static (string Fqdn, string Subset, int Port, string Direction, bool IsIstio) ParseSubsetKey(string name)
    {
        var parts = name.Split('|');
        if (parts.Length < 4)
        {
            return (name, "", 0, "", false);
        }

        var port = int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) ? p : 0;
        return (parts[3], parts[2], port, parts[0], true);
    }

    /// <summary>Orders by fqdn, subset, port, direction (ordinal), as istioctl sorts clusters and EDS entries.</summary>
    public static int CompareSubsetKeys(string a, string b)
    {
        var x = ParseSubsetKey(a);
        var y = ParseSubsetKey(b);
        var c = string.CompareOrdinal(x.Fqdn, y.Fqdn);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(x.Subset, y.Subset);
        if (c != 0)
        {
            return c;
        }

        c = x.Port.CompareTo(y.Port);
        return c != 0 ? c : string.CompareOrdinal(x.Direction, y.Direction);
    }

    /// <summary>
    /// The Istio config that produced a resource, from <c>filter_metadata.istio.config</c>:
    /// <c>/apis/networking.istio.io/VERSION/namespaces/NS/KIND/NAME</c> → <c>NAME.NS</c>; another path →
    /// <c>&lt;unknown&gt;</c>; no metadata → empty.
    /// </summary>
    public static string DescribeManagement(MetadataMap metadata)
    {
        var path = metadata.GetString("istio", "config");
        if (string.IsNullOrEmpty(path))
        {
            return "";
        }

        if (path.StartsWith("/apis/networking.istio.io/", StringComparison.Ordinal))
        {
            var pieces = path.Split('/');
            return pieces.Length == 8 && pieces[4] == "namespaces" ? $"{pieces[7]}.{pieces[5]}" : "";
        }

        return "<unknown>";
    }
}
