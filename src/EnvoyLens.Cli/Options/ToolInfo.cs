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

    /// <summary>
    /// The abbreviated commit the binary was built from (the SDK appends <c>+SHA</c> to the informational version when
    /// it builds from a git checkout), or null when it was built from a tree without git.
    /// </summary>
    public static string? Commit { get; } =
        CommitOf(typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>What <c>--version</c> prints: <c>envoylens 0.1.0 (commit 3a61953)</c>.</summary>
    public static string VersionLine { get; } = NameAndVersion + (Commit is null ? string.Empty : $" (commit {Commit})");

    /// <summary>The first seven hex digits after <c>+</c> of an informational version, if there are that many.</summary>
    internal static string? CommitOf(string? informationalVersion)
    {
        var plus = informationalVersion?.IndexOf('+', StringComparison.Ordinal) ?? -1;
        if (plus < 0)
        {
            return null;
        }

        var revision = informationalVersion![(plus + 1)..];
        var hex = revision.TakeWhile(Uri.IsHexDigit).Count();
        return hex >= 7 ? revision[..7].ToLowerInvariant() : null;
    }
}
