using System.CommandLine;
using EnvoyLens.Admin.Live;

namespace EnvoyLens.Cli.Sources;

/// <summary>
/// What a command needs from a live admin port, by command path: a config view asks Envoy only for its part of the
/// config dump (a <c>mask</c>); every other command reads the full capture a bundle holds.
/// </summary>
internal static class LiveParts
{
    private static readonly Dictionary<string, CapturePlan> ByCommand = new(StringComparer.Ordinal)
    {
        ["config bootstrap"] = CapturePlan.BootstrapOnly,
        ["config clusters"] = CapturePlan.ClustersOnly,
        ["config listeners"] = CapturePlan.ListenersOnly,
        ["config routes"] = CapturePlan.RoutesOnly,
        ["config endpoints"] = CapturePlan.EndpointsOnly,
        ["config secrets"] = CapturePlan.SecretsOnly,
        ["config ecds"] = CapturePlan.EcdsOnly,
    };

    /// <summary>The plan of <paramref name="command"/> (its path below the root, e.g. <c>config clusters</c>); null for the full capture.</summary>
    public static CapturePlan? ForCommand(Command command)
    {
        var names = new List<string>();
        for (var c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(c.Name);
        }

        names.Reverse();
        return ByCommand.GetValueOrDefault(string.Join(' ', names.Skip(1)));
    }
}
