using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Config;

/// <summary>
/// EL3007: a retry policy the route timeout cannot honour: retries without <c>per_try_timeout</c> under a finite route
/// timeout (the first attempt may use all of it), or more attempts × per-try timeout than the route timeout.
/// </summary>
internal sealed class EL3007RetriesExceedRouteTimeout : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL3007",
        "Retry budget looser than the route timeout allows",
        RuleCategory.Config,
        Severity.Warning,
        "Route {route} of virtual host {virtual_host} in {route_config} cannot make the retries it asks for: {problem}",
        "The route timeout bounds the whole request, retries included. Without a per-try timeout the first attempt can use all of it, so a slow upstream is never retried; with per-try timeouts that add up to more than the route timeout the last attempts never happen.",
        "Set retries.perTryTimeout (Envoy: retry_policy.per_try_timeout) so that (retries + 1) × per-try timeout fits in the route timeout, or raise the route timeout.",
        RuleInputs.ConfigDump)
    {
        Example = "Route prefix '/' of virtual host web in web cannot make the retries it asks for: 3 attempts of 4s need 12s, more than the 10s route timeout",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(RouteRules.Forwarding(context.Snapshot).Any(r => r.Route.RetryPolicy is not null), "no forwarding route has a retry policy");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var (site, vhost, route) in RouteRules.Forwarding(context.Snapshot))
        {
            if (route.RetryPolicy is not { } retry || route.Timeout == TimeSpan.Zero)
            {
                continue;
            }

            var retries = retry.NumRetries ?? 1;
            if (retries == 0)
            {
                continue;
            }

            var timeout = route.Timeout ?? RouteRules.DefaultTimeout;
            var timeoutText = Walk.Seconds(timeout) + (route.Timeout is null ? " (Envoy's default)" : "");
            string? problem = null;
            if (retry.PerTryTimeout is not { } perTry || perTry == TimeSpan.Zero)
            {
                problem = string.Create(CultureInfo.InvariantCulture,
                    $"{retries} retries without per_try_timeout, so the first attempt may use the whole {timeoutText} route timeout");
            }
            else if (TimeSpan.FromTicks(perTry.Ticks * (retries + 1)) > timeout)
            {
                problem = string.Create(CultureInfo.InvariantCulture,
                    $"{retries + 1} attempts of {Walk.Seconds(perTry)} need {Walk.Seconds(TimeSpan.FromTicks(perTry.Ticks * (retries + 1)))}, more than the {timeoutText} route timeout");
            }

            if (problem is null)
            {
                continue;
            }

            yield return context.Report(Definition, site.Resource, route.Pointer,
                Args.Of(("route", Walk.Describe(route)), ("virtual_host", vhost.Name), ("route_config", site.Config.Name), ("problem", problem)),
                Args.Of([("retry_on", retry.RetryOn ?? ""), .. RouteRules.Evidence(route)]));
        }
    }
}
