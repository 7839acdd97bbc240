using System.Reflection;

namespace EnvoyLens.Cli.Options;

/// <summary>The tool's name and version, as SARIF's driver and a bundle's manifest record them.</summary>
internal static class ToolInfo
{
    public const string Name = "envoylens";

    /// <summary>The informational version without its source-revision suffix (<c>0.1.0</c>).</summary>
    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary><c>envoylens 0.1.0</c>.</summary>
    public static string NameAndVersion { get; } = Name + " " + Version;
}
