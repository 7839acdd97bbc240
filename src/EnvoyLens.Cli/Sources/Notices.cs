namespace EnvoyLens.Cli.Sources;

/// <summary>
/// Where reading a source speaks besides its result: notices (the pod, container and port chosen; a folder read as
/// separate admin outputs), one line each on stderr, and the progress line of a long admin read, drawn only when
/// stderr is a terminal. The loader is given one; nothing else carries a writer for them.
/// </summary>
internal sealed class Notices
{
    private Notices(TextWriter? messages, TextWriter? progress)
    {
        Messages = messages;
        Progress = progress;
    }

    /// <summary>Nowhere: for readers whose notices nobody sees.</summary>
    public static Notices None { get; } = new(null, null);

    /// <summary>Where notices are written (stderr); null for none.</summary>
    public TextWriter? Messages { get; }

    /// <summary>Where the progress line is drawn: stderr when it is a terminal, else null.</summary>
    public TextWriter? Progress { get; }

    /// <summary>Notices to <paramref name="error"/>; progress too when it is the process's stderr on a terminal.</summary>
    public static Notices To(TextWriter error) =>
        new(error, ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected ? error : null);

    /// <summary>Writes one notice line.</summary>
    public void Notice(string line) => Messages?.Write(line + "\n");
}
