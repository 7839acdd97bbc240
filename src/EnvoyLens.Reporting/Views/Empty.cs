using EnvoyLens.Model;

namespace EnvoyLens.Reporting.Views;

/// <summary>Why a view has no rows: the capture holds no such section, the section holds none, or the filters matched none.</summary>
internal static class Empty
{
    private const string AdminTypePrefix = "type.googleapis.com/envoy.admin.v3.";

    /// <param name="what">The resources, plural (<c>clusters</c>).</param>
    /// <param name="section">The config dump section that holds them (<c>ClustersConfigDump</c>).</param>
    /// <param name="anyBeforeFilters">Whether the capture holds any before the view's filters.</param>
    public static string Reason(EnvoySnapshot snapshot, string what, string section, bool anyBeforeFilters)
    {
        if (anyBeforeFilters)
        {
            return $"No {what} match the filters.";
        }

        if (snapshot.ConfigDump is null)
        {
            return $"No {what}: the capture has no config dump.";
        }

        return HasSection(snapshot, section)
            ? $"No {what}: the config dump's {section} holds none."
            : $"No {what}: the config dump has no {section} section.";
    }

    public static bool HasSection(EnvoySnapshot snapshot, string section) =>
        snapshot.ConfigDump?.Sections.Any(s => string.Equals(s.TypeUrl, AdminTypePrefix + section, StringComparison.Ordinal)) == true;
}
