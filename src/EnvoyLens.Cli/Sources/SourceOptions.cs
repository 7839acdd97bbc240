using System.CommandLine;
using System.Globalization;
using EnvoyLens.Admin.Live;
using EnvoyLens.Core;

namespace EnvoyLens.Cli.Sources;

/// <summary>
/// What the user asked to read: a single file, a snapshot bundle (directory or archive), an admin URL or a
/// Kubernetes pod; for wrapped multi-proxy dumps which proxy; for live sources how to reach them.
/// </summary>
/// <param name="Path">The file or bundle path, the admin URL, or the pod as <c>NAME[.NAMESPACE]</c>.</param>
internal sealed record SourceSpec(SourceKind Kind, string Path, string? Proxy)
{
    /// <summary>How to reach a live source (ignored for files and bundles).</summary>
    public LiveOptions Live { get; init; } = new();

    /// <summary>Decode secrets as read instead of redacted (<c>--show-secrets</c>).</summary>
    public bool ShowSecrets { get; init; }

    /// <summary>True for sources read from a running proxy.</summary>
    public bool IsLive => Kind is SourceKind.Admin or SourceKind.Pod;

    /// <summary>
    /// One source named by a single token, for commands that take several (diff, certs compare):
    /// <c>http(s)://HOST:PORT</c> is an admin URL, <c>pod/NAME[.NAMESPACE]</c> a Kubernetes pod (read with the
    /// current kubeconfig context), a directory a bundle, anything else a file.
    /// </summary>
    public static SourceSpec Parse(string token, string? proxy = null)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new EnvoyLensException("an empty input was named; give a file or bundle path, an admin URL or pod/NAME.NAMESPACE.");
        }

        if (token.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || token.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return new SourceSpec(SourceKind.Admin, token, proxy);
        }

        if (token.StartsWith("pod/", StringComparison.Ordinal) && !File.Exists(token) && !Directory.Exists(token))
        {
            return new SourceSpec(SourceKind.Pod, token["pod/".Length..], proxy);
        }

        return new SourceSpec(Directory.Exists(token) ? SourceKind.Bundle : SourceKind.File, token, proxy);
    }
}

internal enum SourceKind
{
    File,
    Bundle,
    Admin,
    Pod,
}

/// <summary>Kubernetes and admin-client settings of a live source.</summary>
internal sealed record LiveOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public string? Namespace { get; init; }

    public string? Context { get; init; }

    public string? Kubeconfig { get; init; }

    public string? Container { get; init; }

    public int? AdminPort { get; init; }

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>What the command needs from the admin port; null for <see cref="CapturePlan.Full"/>.</summary>
    public CapturePlan? Plan { get; init; }

    /// <summary>Where the chosen pod/container/port is announced (stderr).</summary>
    public TextWriter? Messages { get; init; }

    /// <summary>Where the progress line goes: stderr when it is a terminal, else null.</summary>
    public TextWriter? Progress { get; init; }
}

/// <summary>
/// The source binder every command shares: a positional <c>PATH</c> (a file, bundle, <c>http(s)://</c> admin URL or
/// <c>pod/NAME[.NS]</c>), <c>--file</c>, <c>--bundle</c>, <c>--admin</c> or <c>--pod</c> (exactly one of them), the
/// Kubernetes options, <c>--timeout</c> and <c>--proxy</c>. A command adds them with <see cref="AddTo"/> and reads the
/// choice with <see cref="Bind"/>; what a live read asks the admin port for follows the command (<see cref="LiveParts"/>).
/// </summary>
internal sealed class SourceOptions
{
    private readonly Argument<string?> _path = new("PATH")
    {
        Description = "A config dump or other admin output file, a snapshot bundle (directory or .tar.gz), an admin URL (http://HOST:PORT) or pod/NAME[.NAMESPACE].",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<string?> _file = new("--file", "-f")
    {
        Description = "Read one file: a config_dump JSON/YAML, or another admin endpoint's output.",
        HelpName = "PATH",
    };

    private readonly Option<string?> _bundle = new("--bundle", "-b")
    {
        Description = "Read a snapshot bundle: a directory or .tar.gz written by EnvoyLens.",
        HelpName = "PATH",
    };

    private readonly Option<string?> _admin = new("--admin")
    {
        Description = "Read a running Envoy through its admin URL (read-only GETs of allowlisted endpoints).",
        HelpName = "http(s)://HOST:PORT",
    };

    private readonly Option<string?> _pod = new("--pod")
    {
        Description = "Read a pod's Envoy through a Kubernetes port-forward (needs RBAC 'get pods' and 'create pods/portforward').",
        HelpName = "NAME[.NAMESPACE]",
    };

    private readonly Option<string?> _namespace = new("--namespace", "-n")
    {
        Description = "The pod's namespace when --pod does not name one; default the kubeconfig context's, else default.",
        HelpName = "NAMESPACE",
    };

    private readonly Option<string?> _context = new("--context")
    {
        Description = "The kubeconfig context to use; default the current context.",
        HelpName = "NAME",
    };

    private readonly Option<string?> _kubeconfig = new("--kubeconfig")
    {
        Description = "The kubeconfig file; default $KUBECONFIG, else ~/.kube/config.",
        HelpName = "PATH",
    };

    private readonly Option<string?> _container = new("--container")
    {
        Description = "The pod's Envoy container; default the first of istio-proxy, envoy, consul-dataplane, ...",
        HelpName = "NAME",
    };

    private readonly Option<int?> _adminPort = new("--admin-port")
    {
        Description = "The Envoy admin port inside the pod; default 15000 (19000 for consul-dataplane).",
        HelpName = "PORT",
    };

    private readonly Option<string?> _timeout = new("--timeout")
    {
        Description = "How long to wait for each admin response, e.g. 30s, 2m (default 30s).",
        HelpName = "DURATION",
    };

    private readonly Option<string?> _proxy = new("--proxy")
    {
        Description = "For a dump wrapping several proxies, the one to read (namespace/pod or key); default the first.",
        HelpName = "NAME",
    };

    public void AddTo(Command command)
    {
        command.Arguments.Add(_path);
        command.Options.Add(_file);
        command.Options.Add(_bundle);
        command.Options.Add(_admin);
        command.Options.Add(_pod);
        command.Options.Add(_namespace);
        command.Options.Add(_context);
        command.Options.Add(_kubeconfig);
        command.Options.Add(_container);
        command.Options.Add(_adminPort);
        command.Options.Add(_timeout);
        command.Options.Add(_proxy);
    }

    /// <summary>The one source named on the command line; a usage error when none or several are named.</summary>
    public SourceSpec Bind(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var given = new List<(SourceKind Kind, string Path)>();
        if (result.GetValue(_path) is { } path)
        {
            var spec = SourceSpec.Parse(path);
            given.Add((spec.Kind, spec.Path));
        }

        if (result.GetValue(_file) is { } file)
        {
            given.Add((SourceKind.File, file));
        }

        if (result.GetValue(_bundle) is { } bundle)
        {
            given.Add((SourceKind.Bundle, bundle));
        }

        if (result.GetValue(_admin) is { } admin)
        {
            given.Add((SourceKind.Admin, admin));
        }

        if (result.GetValue(_pod) is { } pod)
        {
            given.Add((SourceKind.Pod, pod));
        }

        if (given.Count == 0)
        {
            throw new EnvoyLensException("no input named; give a PATH, --file PATH, --bundle PATH, --admin URL or --pod NAME[.NAMESPACE].");
        }

        if (given.Count > 1)
        {
            throw new EnvoyLensException("name exactly one input: a PATH, --file, --bundle, --admin or --pod, not several.");
        }

        var live = LiveOptionsOf(result);
        if (given[0].Kind != SourceKind.Pod)
        {
            var podOnly = new (string Name, bool Given)[]
            {
                ("--namespace", live.Namespace is not null), ("--context", live.Context is not null), ("--kubeconfig", live.Kubeconfig is not null),
                ("--container", live.Container is not null), ("--admin-port", live.AdminPort is not null),
            }.FirstOrDefault(o => o.Given).Name;
            if (podOnly is not null)
            {
                throw new EnvoyLensException($"{podOnly} applies only to --pod; the input named is not a pod.");
            }
        }

        return new SourceSpec(given[0].Kind, given[0].Path, result.GetValue(_proxy)) { Live = live };
    }

    private LiveOptions LiveOptionsOf(ParseResult result)
    {
        var error = result.InvocationConfiguration?.Error;
        var port = result.GetValue(_adminPort);
        if (port is <= 0 or > 65535)
        {
            throw new EnvoyLensException($"--admin-port {port.Value.ToString(CultureInfo.InvariantCulture)} is not a TCP port (1-65535).");
        }

        return new LiveOptions
        {
            Namespace = result.GetValue(_namespace),
            Context = result.GetValue(_context),
            Kubeconfig = result.GetValue(_kubeconfig),
            Container = result.GetValue(_container),
            AdminPort = port,
            Timeout = result.GetValue(_timeout) is { } t ? ParseDuration(t, "--timeout") : LiveOptions.DefaultTimeout,
            Plan = LiveParts.ForCommand(result.CommandResult.Command),
            Messages = error,
            Progress = error is not null && ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected ? error : null,
        };
    }

    /// <summary>Parses <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c> or a plain number of seconds.</summary>
    internal static TimeSpan ParseDuration(string text, string option)
    {
        var t = text.Trim();
        var (number, unit) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1.0)
            : t.EndsWith('m') ? (t[..^1], 60.0)
            : t.EndsWith('h') ? (t[..^1], 3600.0)
            : (t, 1.0);
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0 && value * unit <= 86400
            ? TimeSpan.FromSeconds(value * unit)
            : throw new EnvoyLensException($"{option} '{text}' is not a duration; use e.g. 500ms, 30s, 2m.");
    }
}
