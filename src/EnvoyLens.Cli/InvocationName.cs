namespace EnvoyLens.Cli;

/// <summary>
/// How the command names itself in usage, help and error lines: <c>envoylens</c>, or <c>kubectl envoylens</c> when the
/// binary runs as the kubectl plugin <c>kubectl-envoylens</c> (a link or copy that kubectl finds on PATH).
/// </summary>
internal static class InvocationName
{
    /// <summary>The file name kubectl looks for on PATH to run <c>kubectl envoylens</c>.</summary>
    public const string PluginFileName = "kubectl-" + Options.ToolInfo.Name;

    /// <summary>The name as a kubectl user types it.</summary>
    public const string PluginName = "kubectl " + Options.ToolInfo.Name;

    /// <summary>
    /// The name of this process: argv[0] as the caller spelled it (a symlink keeps its own name there), else the
    /// executable's path (a renamed copy of an app host).
    /// </summary>
    public static string Detect()
    {
        var argv0 = Environment.GetCommandLineArgs().FirstOrDefault();
        return IsPlugin(argv0) || IsPlugin(Environment.ProcessPath) ? PluginName : Options.ToolInfo.Name;
    }

    /// <summary>Whether <paramref name="path"/> names the plugin file (<c>kubectl-envoylens</c>, <c>kubectl-envoylens.exe</c>).</summary>
    internal static bool IsPlugin(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        // Either separator: the name is read the same whichever system wrote the path.
        var file = path[(path.LastIndexOfAny(['/', '\\']) + 1)..];
        if (file.EndsWith(".exe", StringComparison.OrdinalIgnoreCase))
        {
            file = file[..^4];
        }

        return string.Equals(file, PluginFileName, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// <paramref name="text"/> with every quoted command line that starts with <c>envoylens</c> (<c>'envoylens rules'</c>,
    /// <c>`envoylens decode ...`</c>) and every usage line spelled with <paramref name="name"/> instead.
    /// </summary>
    internal static string Apply(string text, string name)
    {
        if (name == Options.ToolInfo.Name)
        {
            return text;
        }

        foreach (var quote in (string[])["'", "`", "\""])
        {
            text = text.Replace(quote + Options.ToolInfo.Name + " ", quote + name + " ", StringComparison.Ordinal)
                .Replace(quote + Options.ToolInfo.Name + quote, quote + name + quote, StringComparison.Ordinal);
        }

        return text.Replace("Usage:\n  " + Options.ToolInfo.Name, "Usage:\n  " + name, StringComparison.Ordinal);
    }
}
