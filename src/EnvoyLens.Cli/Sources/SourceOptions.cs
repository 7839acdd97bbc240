using System.CommandLine;
using System.Globalization;
using EnvoyLens.Admin.Live;
using EnvoyLens.Core;

namespace EnvoyLens.Cli.Sources;

/// <summary>
/// What the user asked to read: a file, several admin output files read as one capture, a snapshot bundle (directory
/// or archive) or a folder of loose admin outputs, an admin URL or a Kubernetes pod; for wrapped multi-proxy dumps
/// which proxy; for live sources how to reach them.
/// </summary>
/// <param name="Path">The file or bundle path (for <see cref="SourceKind.Files"/> the paths joined), the admin URL, or the pod as <c>NAME[.NAMESPACE]</c>.</param>
internal sealed record SourceSpec(SourceKind Kind, string Path, string? Proxy)
{
    /// <summary>How to reach a live source (ignored for files and bundles).</summary>
    public LiveOptions Live { get; init; } = new();

    /// <summary>The files of a <see cref="SourceKind.Files"/> source, in the order given.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Decode secrets as read instead of redacted (<c>--show-secrets</c>).</summary>
    public bool ShowSecrets { get; init; }

    /// <summary>True for sources read from a running proxy.</summary>
    public bool IsLive => Kind is SourceKind.Admin or SourceKind.Pod;

    /// <summary>
    /// For a <see cref="SourceKind.ControlPlane"/> source, how to connect (TLS files, token, istiod's namespace); its
    /// address and node come from <see cref="Path"/>. Null: plaintext, no token.
    /// </summary>
    public ControlPlaneSpec? ControlPlane { get; init; }

    /// <summary>
    /// The parts of a <see cref="SourceKind.ControlPlane"/> path: whether it is <c>istiod://</c>, what stands between the
    /// scheme and the next <c>/</c> (HOST:PORT, or istiod's revision, empty for the default) and the node id (unescaped,
    /// empty when none is named).
    /// </summary>
    public static (bool Istiod, string Authority, string Node) SplitControlPlane(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var istiod = path.StartsWith("istiod://", StringComparison.OrdinalIgnoreCase);
        var rest = path[(istiod ? "istiod://" : "csds://").Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (istiod, rest, string.Empty) : (istiod, rest[..slash], Uri.UnescapeDataString(rest[(slash + 1)..].TrimEnd('/')));
    }

    /// <summary>Several files saved one by one, read as one capture.</summary>
    public static SourceSpec OfFiles(IReadOnlyList<string> files, string? proxy) =>
        new(SourceKind.Files, string.Join(" + ", files), proxy) { Files = files };

    /// <summary>
    /// One source named by a single token: <c>csds://HOST:PORT/NODE_ID</c> is the config a control plane holds for a proxy
    /// (plaintext gRPC unless TLS options are given), <c>istiod://[REV]/NODE_ID</c> the same from istiod found through
    /// Kubernetes, <c>http(s)://HOST:PORT</c> is an admin URL, <c>pod/NAME[.NAMESPACE][@CONTEXT]</c>
    /// a Kubernetes pod (read through the kubeconfig context after <c>@</c>, else the one the options name, else the
    /// current one), a directory a bundle (or a folder of admin outputs), anything else a file.
    /// </summary>
    public static SourceSpec Parse(string token, string? proxy = null)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new EnvoyLensException("an empty input was named; give a file or bundle path, an admin URL or pod/NAME.NAMESPACE.");
        }

        if (token.StartsWith("csds://", StringComparison.OrdinalIgnoreCase) || token.StartsWith("istiod://", StringComparison.OrdinalIgnoreCase))
        {
            return new SourceSpec(SourceKind.ControlPlane, token, proxy);
        }

        if (token.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || token.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return new SourceSpec(SourceKind.Admin, token, proxy);
        }

        if (token.StartsWith("pod/", StringComparison.Ordinal) && !File.Exists(token) && !Directory.Exists(token))
        {
            var pod = token["pod/".Length..];
            var at = pod.LastIndexOf('@');
            if (at < 0)
            {
                return new SourceSpec(SourceKind.Pod, pod, proxy);
            }

            if (at == 0 || at == pod.Length - 1)
            {
                throw new EnvoyLensException($"'{token}' must have the form pod/NAME[.NAMESPACE][@CONTEXT], with a name before '@' and a context after it.");
            }

            return new SourceSpec(SourceKind.Pod, pod[..at], proxy) { Live = new LiveOptions { Context = pod[(at + 1)..] } };
        }

        return new SourceSpec(Directory.Exists(token) ? SourceKind.Bundle : SourceKind.File, token, proxy);
    }
}

internal enum SourceKind
{
    File,
    Files,
    Bundle,
    Admin,
    Pod,

    /// <summary><c>csds://HOST:PORT/NODE_ID</c> or <c>istiod://[REV]/NODE_ID</c>: the control plane's config for one proxy.</summary>
    ControlPlane,
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
}

/// <summary>
/// The source binder every command shares. A one-source command (<see cref="SourceOptions()"/>) takes a positional
/// <c>PATH</c> (a file, bundle, folder of admin outputs, <c>http(s)://</c> admin URL or <c>pod/NAME[.NS][@CONTEXT]</c>),
/// <c>--file</c> (repeatable: several admin outputs form one capture), <c>--bundle</c>, <c>--admin</c> or <c>--pod</c>
/// (exactly one of them). A command with several sides (<see cref="Positional"/>: diff, certs compare) takes one such
/// token per side, and per side a <c>--context-a</c>, <c>--context-b</c>, ... for sides in different clusters. Every
/// command shares the live options: the Kubernetes options, <c>--timeout</c> and <c>--proxy</c>. A command adds them
/// with <see cref="AddTo"/> and reads the choice with <see cref="Bind"/> or <see cref="BindSides"/>; what a live read
/// asks the admin port for follows the command (<see cref="LiveParts"/>).
/// </summary>
internal sealed class SourceOptions
{
    private readonly Argument<string?>? _path;
    private readonly Option<string[]>? _file;
    private readonly Option<string?>? _bundle;
    private readonly Option<string?>? _admin;
    private readonly Option<string?>? _pod;

    /// <summary>The positional sides of a several-sided command, each with the option naming its own context.</summary>
    private readonly IReadOnlyList<(Argument<string> Token, Option<string?> Context)> _sides = [];

    private readonly Option<string?> _namespace;
    private readonly Option<string?> _context;
    private readonly Option<string?> _kubeconfig;
    private readonly Option<string?> _container;
    private readonly Option<int?> _adminPort;
    private readonly Option<string?> _timeout;
    private readonly Option<string?> _proxy;

    /// <summary>The options of a command that reads one source.</summary>
    public SourceOptions()
        : this(sided: false)
    {
        _path = new Argument<string?>("PATH")
        {
            Description = "A config dump or other admin output file, a snapshot bundle (directory or .tar.gz), a folder of admin outputs, an admin URL (http://HOST:PORT) or pod/NAME[.NAMESPACE][@CONTEXT].",
            Arity = ArgumentArity.ZeroOrOne,
        };
        _file = new Option<string[]>("--file", "-f")
        {
            Description = "Read a file: a config_dump JSON/YAML, or another admin endpoint's output. Repeat it to read files saved one by one (config dump, stats, certs, ...) as one capture.",
            HelpName = "PATH",
        };
        _bundle = new Option<string?>("--bundle", "-b")
        {
            Description = "Read a snapshot bundle (a directory or .tar.gz written by EnvoyLens), or a directory of admin outputs without manifest.json.",
            HelpName = "PATH",
        };
        _admin = new Option<string?>("--admin")
        {
            Description = "Read a running Envoy through its admin URL (read-only GETs of allowlisted endpoints).",
            HelpName = "http(s)://HOST:PORT",
        };
        _pod = new Option<string?>("--pod")
        {
            Description = "Read a pod's Envoy through a Kubernetes port-forward (needs RBAC 'get pods' and 'create pods/portforward').",
            HelpName = "NAME[.NAMESPACE]",
        };
    }

    private SourceOptions(bool sided)
    {
        var pods = sided ? "pod/ inputs" : "the pod";
        _namespace = new Option<string?>("--namespace", "-n")
        {
            Description = sided
                ? "The namespace of pod/ inputs that name none (pod/NAME); default the kubeconfig context's, else default."
                : "The pod's namespace when --pod does not name one; default the kubeconfig context's, else default.",
            HelpName = "NAMESPACE",
        };
        _context = new Option<string?>("--context")
        {
            Description = sided ? "The kubeconfig context of both sides; default the current context." : "The kubeconfig context to use; default the current context.",
            HelpName = "NAME",
        };
        _kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "The kubeconfig file; default $KUBECONFIG, else ~/.kube/config.",
            HelpName = "PATH",
        };
        _container = new Option<string?>("--container")
        {
            Description = sided
                ? "The Envoy container of pod/ inputs; default the first of istio-proxy, envoy, consul-dataplane, ..."
                : "The pod's Envoy container; default the first of istio-proxy, envoy, consul-dataplane, ...",
            HelpName = "NAME",
        };
        _adminPort = new Option<int?>("--admin-port")
        {
            Description = $"The Envoy admin port inside {pods}; default 15000 (19000 for consul-dataplane).",
            HelpName = "PORT",
        };
        _timeout = new Option<string?>("--timeout")
        {
            Description = "How long to wait for each admin response, e.g. 30s, 2m (default 30s).",
            HelpName = "DURATION",
        };
        _proxy = new Option<string?>("--proxy")
        {
            Description = sided
                ? "For dumps wrapping several proxies, the one to read on both sides (namespace/pod or key); default the first."
                : "For a dump wrapping several proxies, the one to read (namespace/pod or key); default the first.",
            HelpName = "NAME",
        };
    }

    private SourceOptions(IReadOnlyList<(string Name, string Description)> sides)
        : this(sided: true)
    {
        _sides = sides.Select((side, i) => (
            new Argument<string>(side.Name) { Description = side.Description },
            new Option<string?>("--context-" + (char)('a' + i))
            {
                Description = i == 0
                    ? $"The kubeconfig context of {side.Name} when it is a pod (like pod/NAME.NAMESPACE@CONTEXT); default --context."
                    : $"The kubeconfig context of {side.Name} when it is a pod; default --context.",
                HelpName = "NAME",
            })).ToList();
    }

    /// <summary>The options of a command that reads one source per side, each a positional token (<c>diff BEFORE AFTER</c>).</summary>
    public static SourceOptions Positional(params (string Name, string Description)[] sides)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sides.Length, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sides.Length, 26);
        return new(sides);
    }

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_path is null)
        {
            foreach (var (token, _) in _sides)
            {
                command.Arguments.Add(token);
            }
        }
        else
        {
            command.Arguments.Add(_path);
            command.Options.Add(_file!);
            command.Options.Add(_bundle!);
            command.Options.Add(_admin!);
            command.Options.Add(_pod!);
        }

        command.Options.Add(_namespace);
        command.Options.Add(_context);
        foreach (var (_, context) in _sides)
        {
            command.Options.Add(context);
        }

        command.Options.Add(_kubeconfig);
        command.Options.Add(_container);
        command.Options.Add(_adminPort);
        command.Options.Add(_timeout);
        command.Options.Add(_proxy);
    }

    /// <summary>The positional PATH as given, or null.</summary>
    public string? PathToken(ParseResult result) => _path is null ? null : result.GetValue(_path);

    /// <summary>
    /// The one source named on the command line; a usage error when none or several are named. With
    /// <paramref name="ignorePath"/> the positional PATH is not a source (a command whose next positional is optional
    /// took it: <c>trace --pod NAME TARGET</c>).
    /// </summary>
    public SourceSpec Bind(ParseResult result, bool ignorePath)
    {
        ArgumentNullException.ThrowIfNull(result);
        return ignorePath ? Bind(result, null) : Bind(result);
    }

    /// <summary>The one source named on the command line; a usage error when none or several are named.</summary>
    public SourceSpec Bind(ParseResult result) => Bind(result, _path);

    /// <summary>
    /// The one source named on the command line, when <paramref name="kubernetesElsewhere"/> says another part of the
    /// command (<c>--istiod</c>) also reads the cluster: then <c>--context</c> and <c>--kubeconfig</c> are not pod-only.
    /// </summary>
    public SourceSpec Bind(ParseResult result, bool ignorePath, bool kubernetesElsewhere) => Bind(result, ignorePath ? null : _path, kubernetesElsewhere);

    private SourceSpec Bind(ParseResult result, Argument<string?>? path, bool kubernetesElsewhere = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_path is null)
        {
            throw new InvalidOperationException("a command with several sides binds its sources with BindSides.");
        }

        var given = new List<SourceSpec>();
        var proxy = result.GetValue(_proxy);
        if (path is not null && result.GetValue(path) is { } token)
        {
            given.Add(SourceSpec.Parse(token, proxy));
        }

        if (result.GetValue(_file!) is { Length: > 0 } files)
        {
            given.Add(files.Length == 1 ? new SourceSpec(SourceKind.File, files[0], proxy) : SourceSpec.OfFiles(files, proxy));
        }

        if (result.GetValue(_bundle!) is { } bundle)
        {
            given.Add(new SourceSpec(SourceKind.Bundle, bundle, proxy));
        }

        if (result.GetValue(_admin!) is { } admin)
        {
            given.Add(new SourceSpec(SourceKind.Admin, admin, proxy));
        }

        if (result.GetValue(_pod!) is { } pod)
        {
            given.Add(new SourceSpec(SourceKind.Pod, pod, proxy));
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
        var podOnlyOptions = kubernetesElsewhere ? live with { Context = null, Kubeconfig = null } : live;
        if (given[0].Kind != SourceKind.Pod && PodOnlyOptionGiven(podOnlyOptions) is { } podOnly)
        {
            throw new EnvoyLensException($"{podOnly} applies only to --pod; the input named is not a pod.");
        }

        return WithContext(given[0], live, "--context", live.Context);
    }

    /// <summary>
    /// The sources of a several-sided command, in side order, each with the shared live options; a pod side reads
    /// through the context its token names (<c>@CONTEXT</c>), else its <c>--context-a</c>, <c>--context-b</c>, ..., else <c>--context</c>.
    /// </summary>
    public IReadOnlyList<SourceSpec> BindSides(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_sides.Count == 0)
        {
            throw new InvalidOperationException("a one-source command binds its source with Bind.");
        }

        var proxy = result.GetValue(_proxy);
        var specs = _sides.Select(side => SourceSpec.Parse(result.GetValue(side.Token)!, proxy)).ToList();
        var live = LiveOptionsOf(result);
        var readsCluster = specs.Any(s => s.Kind == SourceKind.ControlPlane && SourceSpec.SplitControlPlane(s.Path).Istiod);
        if (specs.All(s => s.Kind != SourceKind.Pod) && PodOnlyOptionGiven(readsCluster ? live with { Context = null, Kubeconfig = null } : live) is { } podOnly)
        {
            var names = _sides.Select(side => side.Token.Name).ToList();
            var none = names.Count == 2 ? $"neither {names[0]} nor {names[1]}" : "none of " + string.Join(", ", names);
            throw new EnvoyLensException($"{podOnly} applies only to pod/ inputs; {none} is a pod.");
        }

        var contexts = _sides.Select(side => result.GetValue(side.Context)).ToList();
        for (var i = 0; i < _sides.Count; i++)
        {
            if (contexts[i] is not null && specs[i].Kind != SourceKind.Pod)
            {
                var side = _sides[i].Token.Name;
                throw new EnvoyLensException($"{_sides[i].Context.Name} applies only when {side} is a pod; {side} '{specs[i].Path}' is not.");
            }
        }

        return specs.Select((spec, i) => WithContext(spec, live, _sides[i].Context.Name, contexts[i] ?? live.Context)).ToList();
    }

    /// <summary>The source with the shared live options and its context: the token's <c>@CONTEXT</c>, else <paramref name="context"/>.</summary>
    private static SourceSpec WithContext(SourceSpec spec, LiveOptions live, string option, string? context)
    {
        if (spec.Live.Context is { } fromToken)
        {
            if (context is not null && !string.Equals(context, fromToken, StringComparison.Ordinal))
            {
                throw new EnvoyLensException($"pod/{spec.Path}@{fromToken} names context '{fromToken}' and {option} names '{context}'; name the context once.");
            }

            context = fromToken;
        }

        return spec with { Live = live with { Context = context } };
    }

    private static string? PodOnlyOptionGiven(LiveOptions live) => new (string Name, bool Given)[]
    {
        ("--namespace", live.Namespace is not null), ("--context", live.Context is not null), ("--kubeconfig", live.Kubeconfig is not null),
        ("--container", live.Container is not null), ("--admin-port", live.AdminPort is not null),
    }.FirstOrDefault(o => o.Given).Name;

    private LiveOptions LiveOptionsOf(ParseResult result)
    {
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
