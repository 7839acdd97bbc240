using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.State;

/// <summary>
/// EL2008: an xDS type the control plane reports STALE (sent, not acknowledged). How long is judged from the capture
/// time and the type's <c>since</c> when the file has both, never from the wall clock; a STALE type for less than
/// <see cref="Threshold"/> is not reported, one whose age is unknown is reported without a duration.
/// </summary>
internal sealed class EL2008ControlPlaneStale : IRule
{
    internal static readonly TimeSpan Threshold = TimeSpan.FromMinutes(5);

    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL2008",
        Title = "Proxy STALE at the control plane",
        Category = RuleCategory.State,
        DefaultSeverity = Severity.Warning,
        MessageTemplate = "The control plane {control_plane} reports {type} STALE for the proxy {how_long}: it sent version {version} and the proxy has not acknowledged it",
        Rationale = "STALE means the control plane pushed a version the proxy neither accepted nor rejected; for more than a few minutes it is a proxy that is stuck (overloaded, warming forever, disconnected mid-push), and it runs older configuration than the control plane believes.",
        Remediation = "Check the proxy's xDS connection (EL2004, control_plane.connected_state) and warming resources (EL2001); if it stays STALE, restart the proxy so it reconnects and receives the configuration again.",
        Inputs = RuleInputs.ControlPlane,
        Example = "The control plane istiod-7d9c8f6b5-abcde reports RDS STALE for the proxy for 20 minutes (since 2026-11-20T09:40:00Z): it sent version 2026-11-20T09:40:00Z/41 and the proxy has not acknowledged it",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(context.ControlPlane?.Proxy.Types.Count > 0, "the control plane reports no xDS type for the proxy");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var view = context.ControlPlane!;
        var capturedAt = view.CapturedAt ?? context.CapturedAt;
        for (var i = 0; i < view.Proxy.Types.Count; i++)
        {
            var type = view.Proxy.Types[i];
            if (type.State != SyncState.Stale)
            {
                continue;
            }

            string howLong;
            var evidence = new List<(string, string)> { ("node_id", view.NodeId) };
            if (view.StaleSince.TryGetValue(type.Type, out var since) && capturedAt is { } at)
            {
                var age = at - since;
                if (age < Threshold)
                {
                    continue;
                }

                howLong = $"for {Duration(age)} (since {Time(since)})";
                evidence.Add(("since", Time(since)));
                evidence.Add(("captured_at", Time(at)));
            }
            else
            {
                howLong = "(for how long the capture does not say)";
            }

            yield return context.Report(Definition, ControlPlaneFindings.Proxy(view), ControlPlaneFindings.TypePointer(i),
                Args.Of(
                    ("control_plane", view.Proxy.ControlPlane),
                    ("type", ControlPlaneFindings.Name(type.Type)),
                    ("how_long", howLong),
                    ("version", type.Version ?? "(unknown)")),
                Args.Of([.. evidence]), view.Source);
        }
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Duration(TimeSpan age) =>
        age.TotalHours >= 48 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays} days")
        : age.TotalMinutes >= 120 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} hours")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes} minutes");
}
