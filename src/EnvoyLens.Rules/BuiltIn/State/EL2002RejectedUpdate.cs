using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.State;

/// <summary>EL2002: a resource carries an <c>error_state</c>: the proxy rejected an update of it.</summary>
internal sealed class EL2002RejectedUpdate : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL2002",
        "Resource update was rejected",
        RuleCategory.State,
        Severity.Error,
        "{kind} {name}: the proxy rejected an update{when}: {details}",
        "Envoy keeps the last good version when it rejects one (or has none at all), so the proxy silently runs config the control plane believes it replaced.",
        "Fix the configuration the details name (often an EnvoyFilter patch, an invalid regex, or a duplicate listener/domain) and check the control plane's view (istioctl proxy-status shows the NACK).",
        RuleInputs.ConfigDump)
    {
        Example = "Listener http_8080: the proxy rejected an update at 2026-11-20T09:55:00Z: Error adding/updating listener(s) http_8080: envoy.filters.http.router must be the last filter in a http filter chain.",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(context.Snapshot.AllResources.Any(), "the capture holds no resources");

    public IEnumerable<Finding> Check(RuleContext context) =>
        from meta in context.Snapshot.AllResources
        where meta.Error is not null
        let error = meta.Error!
        select context.Report(Definition, meta.Ref, error.Pointer,
            Args.Of(
                ("kind", meta.Kind.ToString()),
                ("name", meta.Name),
                ("when", error.LastUpdateAttempt is { } at ? " at " + Walk.Instant(at) : ""),
                ("details", string.IsNullOrWhiteSpace(error.Details) ? "no details given" : error.Details.Trim())),
            Args.Of(("rejected_version", error.VersionInfo ?? ""), ("state", meta.State.ToString())));
}
