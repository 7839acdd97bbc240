using System.Xml.Linq;
using EnvoyLens.TestKit;
using YamlDotNet.RepresentationModel;

namespace EnvoyLens.Cli.Tests;

/// <summary>Run as <c>kubectl-envoylens</c> (kubectl's plugin file name), the command names itself <c>kubectl envoylens</c>.</summary>
public sealed class KubectlPluginTests
{
    private static CliResult RunAsPlugin(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = EnvoyLensCli.Run(args, stdout, stderr, TimeProvider.System, InvocationName.PluginName);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("/home/user/.krew/bin/kubectl-envoylens", true)]
    [InlineData("kubectl-envoylens", true)]
    [InlineData(@"C:\tools\kubectl-envoylens.exe", true)]
    [InlineData("/usr/local/bin/envoylens", false)]
    [InlineData("/tools/.store/envoylens/0.1.0/envoylens.dll", false)]
    [InlineData("/usr/bin/kubectl", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Given_a_process_path_When_checked_Then_only_the_plugin_file_name_is_the_plugin(string? path, bool plugin)
    {
        Assert.Equal(plugin, InvocationName.IsPlugin(path));
    }

    [Fact]
    public void Given_the_plugin_name_When_a_command_is_unknown_Then_the_error_line_says_kubectl_envoylens()
    {
        var result = RunAsPlugin("bogus");

        Assert.Equal(ExitCodes.InputOrUsageError, result.ExitCode);
        Assert.Equal("kubectl envoylens: unrecognized command or argument 'bogus'; run 'kubectl envoylens --help' for usage.\n", result.Err);
    }

    [Fact]
    public void Given_the_plugin_name_When_no_command_is_given_Then_the_hint_names_kubectl_envoylens()
    {
        var result = RunAsPlugin();

        Assert.Equal(ExitCodes.InputOrUsageError, result.ExitCode);
        Assert.StartsWith("kubectl envoylens: a command is required", result.Err, StringComparison.Ordinal);
        Assert.EndsWith("run 'kubectl envoylens --help' for usage.\n", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_plugin_name_When_help_is_asked_Then_the_usage_line_starts_with_kubectl_envoylens()
    {
        var plugin = RunAsPlugin("config", "clusters", "--help");
        var plain = Cli.Run("config", "clusters", "--help");

        Assert.Equal(ExitCodes.Ok, plugin.ExitCode);
        Assert.Contains("Usage:\n  kubectl envoylens config clusters [<PATH>] [options]\n", plugin.Out, StringComparison.Ordinal);
        Assert.Contains("Usage:\n  envoylens config clusters [<PATH>] [options]\n", plain.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_plain_name_When_a_command_is_unknown_Then_the_error_line_says_envoylens()
    {
        var result = Cli.Run("bogus");

        Assert.Equal("envoylens: unrecognized command or argument 'bogus'; run 'envoylens --help' for usage.\n", result.Err);
    }

    [Fact]
    public void Given_the_krew_manifest_When_parsed_Then_it_is_a_plugin_for_linux_amd64_whose_bin_is_the_published_executable()
    {
        var path = Path.Combine(TestPaths.RepoRoot, "src", "EnvoyLens.Cli", "Packaging", "krew", "envoylens.yaml");
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        Assert.Equal("krew.googlecontainertools.github.com/v1alpha2", Scalar(root, "apiVersion"));
        Assert.Equal("Plugin", Scalar(root, "kind"));
        var name = Scalar(Map(root, "metadata"), "name");
        Assert.Equal(InvocationName.PluginFileName, "kubectl-" + name);

        var spec = Map(root, "spec");
        Assert.Matches(@"^v[0-9]+\.[0-9]+\.[0-9]+$", Scalar(spec, "version"));
        Assert.False(string.IsNullOrWhiteSpace(Scalar(spec, "shortDescription")));
        var platform = Assert.Single(((YamlSequenceNode)spec.Children[new YamlScalarNode("platforms")]).Children.Cast<YamlMappingNode>());
        var labels = Map(Map(platform, "selector"), "matchLabels");
        Assert.Equal("linux", Scalar(labels, "os"));
        Assert.Equal("amd64", Scalar(labels, "arch"));
        Assert.StartsWith("https://", Scalar(platform, "uri"), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}$", Scalar(platform, "sha256"));
        Assert.Equal(PublishedExecutable(), Scalar(platform, "bin"));
    }

    [Fact]
    public void Given_the_cli_project_When_published_Then_a_target_links_the_kubectl_plugin_name_to_the_executable()
    {
        var project = XDocument.Load(CliProject());
        var target = project.Descendants("Target").Single(t => (string?)t.Attribute("Name") == "AddKubectlPluginName");

        Assert.Equal("Publish", (string?)target.Attribute("AfterTargets"));
        Assert.Contains(target.Descendants("_EnvoyLensPluginFile"), e => e.Value == "kubectl-$(AssemblyName)$(_NativeExecutableExtension)");
        Assert.Equal(InvocationName.PluginFileName, "kubectl-" + PublishedExecutable());
    }

    /// <summary>The executable <c>dotnet publish -r linux-x64</c> writes: the CLI project's AssemblyName.</summary>
    private static string PublishedExecutable() =>
        XDocument.Load(CliProject()).Descendants("AssemblyName").Single().Value;

    private static string CliProject() => Path.Combine(TestPaths.RepoRoot, "src", "EnvoyLens.Cli", "EnvoyLens.Cli.csproj");

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value ?? "";
}
