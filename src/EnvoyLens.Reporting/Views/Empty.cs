using EnvoyLens.Model;

namespace EnvoyLens.Reporting.Views;

/// <summary>Why a view has no rows: the capture holds no such section, the section holds none, or the filters matched none.</summary>
internal static class Empty
{
    /// <param name="what">The resources, plural (<c>clusters</c>).</param>
    /// <param name="section">The config dump section that holds them (<see cref="ConfigSection.Clusters"/>, named <c>ClustersConfigDump</c>).</param>
    /// <param name="anyBeforeFilters">Whether the capture holds any before the view's filters.</param>
    public static string Reason(EnvoySnapshot snapshot, string what, ConfigSection section, bool anyBeforeFilters)
    {
        if (anyBeforeFilters)
        {
            return $"No {what} match the filters.";
        }

        if (snapshot.ConfigDump is null)
        {
            return $"No {what}: the capture has no config dump.";
        }

        var name = ConfigSections.TypeNameOf(section);
        return snapshot.HasSection(section)
            ? $"No {what}: the config dump's {name} holds none."
            : $"No {what}: the config dump has no {name} section.";
    }
}
