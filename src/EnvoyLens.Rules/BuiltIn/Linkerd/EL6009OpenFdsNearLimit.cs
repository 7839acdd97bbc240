using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Linkerd;

/// <summary>EL6009: the proxy's open file descriptors are close to its limit.</summary>
internal sealed class EL6009OpenFdsNearLimit : IRule
{
    /// <summary>The share of the limit at or above which the rule reports.</summary>
    public const double Threshold = 0.8;

    public static RuleDescriptor Definition { get; } = new()
    {
        Id = "EL6009",
        Title = "Open file descriptors near the limit",
        Category = RuleCategory.Linkerd,
        DefaultSeverity = Severity.Warning,
        MessageTemplate = "The proxy has {open} of {max} file descriptors open ({share}, at or above {threshold})",
        Rationale = "Every connection the proxy holds (inbound, outbound, to the control plane) is a file descriptor; at the limit it can accept no new connection and clients see resets or timeouts.",
        Remediation = "Look for connection leaks (tcp_open_connections by target), raise the container's nofile limit, or spread the load over more replicas.",
        Inputs = RuleInputs.LinkerdMetrics,
        Example = "The proxy has 900 of 1024 file descriptors open (87.9%, at or above 80%)",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => LinkerdRule.AppliesTo(context) is { Applies: false } no ? no
        : Applicability.When(context.Linkerd!.Process is { OpenFds: not null, MaxFds: > 0 }, "the metrics have no process_open_fds and process_max_fds");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var process = context.Linkerd!.Process;
        var share = process.OpenFds!.Value / process.MaxFds!.Value;
        if (share >= Threshold)
        {
            yield return LinkerdRule.Report(context, Definition, "process_open_fds",
                Args.Of(("open", LinkerdRule.Number(process.OpenFds.Value)), ("max", LinkerdRule.Number(process.MaxFds.Value)), ("share", LinkerdRule.Percent(share)),
                    ("threshold", LinkerdRule.Percent(Threshold))));
        }
    }
}
