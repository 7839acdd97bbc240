using System.Reflection;
using System.Xml.Linq;
using EnvoyLens.TestKit;

namespace EnvoyLens.Architecture.Tests;

/// <summary>
/// The dependency arrows of DESIGN.md §3, checked twice: in the project files (what may be referenced) and in the
/// compiled assemblies (what is actually used). Generated Envoy protos stop at Decoding.
/// </summary>
public sealed class DependencyArrowTests
{
    /// <summary>Each src project and the EnvoyLens projects / third-party assemblies it may depend on.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["EnvoyLens.Core"] = [],
        ["EnvoyLens.Protos"] = ["Google.Protobuf"],
        ["EnvoyLens.ProtoJson"] = ["EnvoyLens.Core", "Google.Protobuf"],
        ["EnvoyLens.Model"] = ["EnvoyLens.Core"],
        ["EnvoyLens.Admin"] = ["EnvoyLens.Core", "KubernetesClient.Aot"],
        ["EnvoyLens.Decoding"] = ["EnvoyLens.Core", "EnvoyLens.Model", "EnvoyLens.Protos", "EnvoyLens.ProtoJson", "Google.Protobuf", "YamlDotNet"],
        ["EnvoyLens.Rules"] = ["EnvoyLens.Core", "EnvoyLens.Model"],
        ["EnvoyLens.Certs"] = ["EnvoyLens.Core", "EnvoyLens.Model", "EnvoyLens.Rules", "BouncyCastle.Cryptography"],
        ["EnvoyLens.Diff"] = ["EnvoyLens.Core", "EnvoyLens.Model"],
        ["EnvoyLens.Reporting"] = ["EnvoyLens.Core", "EnvoyLens.Model", "EnvoyLens.Diff", "YamlDotNet"],
        ["EnvoyLens.Cli"] = ["EnvoyLens.Core", "EnvoyLens.Model", "EnvoyLens.Admin", "EnvoyLens.Decoding", "EnvoyLens.Rules", "EnvoyLens.Certs", "EnvoyLens.Diff", "EnvoyLens.Reporting", "System.CommandLine"],
    };

    /// <summary>Assembly names as they appear in compiled references (package id differs from assembly name).</summary>
    private static readonly Dictionary<string, string> AssemblyNameOf = new()
    {
        ["BouncyCastle.Cryptography"] = "BouncyCastle.Cryptography",
        ["EnvoyLens.Cli"] = "envoylens",
    };

    public static TheoryData<string> SourceProjects() => new(ProjectNames());

    private static IEnumerable<string> ProjectNames() =>
        Directory.GetDirectories(Path.Combine(TestPaths.RepoRoot, "src"))
            .Where(d => Directory.GetFiles(d, "*.csproj").Length > 0)
            .Select(d => Path.GetFileName(d)!)
            .Order(StringComparer.Ordinal);

    [Fact]
    public void Every_source_project_has_declared_arrows()
    {
        var undeclared = ProjectNames().Where(p => !Allowed.ContainsKey(p)).ToList();
        Assert.True(undeclared.Count == 0, $"Declare the allowed dependencies of {string.Join(", ", undeclared)} in {nameof(DependencyArrowTests)}.");
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Project_references_point_only_down_the_allowed_arrows(string project)
    {
        var csproj = XDocument.Load(Path.Combine(TestPaths.RepoRoot, "src", project, project + ".csproj"));
        var referenced = csproj.Descendants()
            .Where(e => e.Name.LocalName is "ProjectReference" or "PackageReference")
            .Select(e => e.Name.LocalName == "ProjectReference"
                ? Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/'))
                : e.Attribute("Include")!.Value)
            .Where(n => n != "Grpc.Tools")
            .ToList();

        var allowed = Allowed.GetValueOrDefault(project, []);
        var wrong = referenced.Where(r => !allowed.Contains(r)).ToList();
        Assert.True(wrong.Count == 0, $"{project} references {string.Join(", ", wrong)}, which DESIGN.md's arrows do not allow.");
    }

    [Fact]
    public void Compiled_assemblies_use_only_the_allowed_arrows()
    {
        var problems = new List<string>();
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "*.dll").Order(StringComparer.Ordinal))
        {
            AssemblyName name;
            try
            {
                name = AssemblyName.GetAssemblyName(file);
            }
            catch (BadImageFormatException)
            {
                continue;
            }

            var project = Allowed.Keys.FirstOrDefault(k => (AssemblyNameOf.GetValueOrDefault(k) ?? k) == name.Name);
            if (project is null || !project.StartsWith("EnvoyLens.", StringComparison.Ordinal))
            {
                continue;
            }

            var allowedAssemblies = Allowed[project].Select(a => AssemblyNameOf.GetValueOrDefault(a) ?? a).ToHashSet();
            var assembly = Assembly.LoadFrom(file);
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                var r = reference.Name!;
                var isOurs = r.StartsWith("EnvoyLens.", StringComparison.Ordinal) || r == "envoylens";
                var isKnownThirdParty = Allowed.Values.SelectMany(v => v).Any(a => (AssemblyNameOf.GetValueOrDefault(a) ?? a) == r);
                if ((isOurs || isKnownThirdParty) && !allowedAssemblies.Contains(r))
                {
                    problems.Add($"{name.Name} uses {r}");
                }
            }
        }

        Assert.True(problems.Count == 0, "Arrows broken: " + string.Join("; ", problems));
    }

    [Fact]
    public void Generated_protos_are_seen_only_by_decoding()
    {
        var users = Allowed.Where(kv => kv.Value.Contains("EnvoyLens.Protos")).Select(kv => kv.Key).ToList();
        Assert.Equal(["EnvoyLens.Decoding"], users);
    }
}
