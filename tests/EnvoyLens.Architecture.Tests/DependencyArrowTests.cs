using System.Reflection;
using System.Xml.Linq;
using EnvoyLens.TestKit;

namespace EnvoyLens.Architecture.Tests;

/// <summary>
/// The dependency arrows of DESIGN.md §3 for every project of src, fixtures and benchmarks, checked twice: in the project
/// files (what may be referenced) and in the compiled assemblies (what is actually used). Generated Envoy protos stop at
/// Decoding (and the benchmarks, which measure it); <see cref="BoundaryTests"/> checks the boundaries inside assemblies.
/// </summary>
public sealed class DependencyArrowTests
{
    /// <summary>Each project and the EnvoyLens projects / third-party assemblies it may depend on.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["EnvoyLens.Core"] = [],
        ["EnvoyLens.Protos"] = ["Google.Protobuf"],
        ["EnvoyLens.Generators"] = ["Microsoft.CodeAnalysis.CSharp"],
        ["EnvoyLens.ProtoJson"] = ["EnvoyLens.Core", "EnvoyLens.Generators", "Google.Protobuf"],
        ["EnvoyLens.Model"] = ["EnvoyLens.Core"],
        // Grpc.Net.Client and its surface API: the control-plane client moves bytes (Method<byte[], byte[]>); the
        // messages are written by a small writer of its own and read in Decoding, so Admin still needs no protos.
        ["EnvoyLens.Admin"] = ["EnvoyLens.Core", "KubernetesClient.Aot", "Grpc.Net.Client", "Grpc.Core.Api"],
        ["EnvoyLens.Decoding"] = ["EnvoyLens.Core", "EnvoyLens.Model", "EnvoyLens.Protos", "EnvoyLens.ProtoJson", "EnvoyLens.Generators", "Google.Protobuf", "YamlDotNet"],
        // Rules reaches Trace so that rules about requests (EL1009, EL3008) judge clusters, endpoints and RBAC exactly as
        // `envoylens trace` does instead of keeping a second copy of that logic; Trace itself stays on Core and Model.
        ["EnvoyLens.Rules"] = ["EnvoyLens.Core", "EnvoyLens.Model", "EnvoyLens.Certs", "EnvoyLens.Trace"],
        ["EnvoyLens.Certs"] = ["EnvoyLens.Core", "EnvoyLens.Model", "BouncyCastle.Cryptography"],
        ["EnvoyLens.Diff"] = ["EnvoyLens.Core", "EnvoyLens.Model"],
        ["EnvoyLens.Trace"] = ["EnvoyLens.Core", "EnvoyLens.Model"],
        ["EnvoyLens.Reporting"] = ["EnvoyLens.Core", "EnvoyLens.Model", "EnvoyLens.Diff", "EnvoyLens.Certs", "EnvoyLens.Trace", "YamlDotNet"],
        ["EnvoyLens.Cli"] = ["EnvoyLens.Core", "EnvoyLens.Model", "EnvoyLens.Admin", "EnvoyLens.Decoding", "EnvoyLens.Rules", "EnvoyLens.Certs", "EnvoyLens.Diff", "EnvoyLens.Trace", "EnvoyLens.Reporting", "System.CommandLine"],
        // The fixture generator writes JSON and PEM by itself: it must not lean on the code whose input it makes.
        ["EnvoyLens.Fixtures"] = ["BouncyCastle.Cryptography"],
        ["EnvoyLens.Benchmarks"] = ["EnvoyLens.Core", "EnvoyLens.Model", "EnvoyLens.Decoding", "EnvoyLens.Rules", "EnvoyLens.Diff", "EnvoyLens.Certs", "EnvoyLens.Trace", "EnvoyLens.Fixtures", "BenchmarkDotNet"],
        // The whole-process baseline (read a file, JsonDocument.Parse) depends on nothing of ours by design.
        ["EnvoyLens.ParseBaseline"] = [],
        // The whole-process scan measurement starts the test kit's Kubernetes API and admin servers (real HTTP and
        // port-forwards) and runs the built tool as a child process: it uses nothing of ours but those test servers.
        ["EnvoyLens.ScanBench"] = ["EnvoyLens.TestKit"],
    };

    /// <summary>The folders holding the projects the arrows cover.</summary>
    private static readonly string[] ProjectFolders = ["src", "fixtures", "benchmarks"];

    /// <summary>Assembly names as they appear in compiled references (package id differs from assembly name).</summary>
    internal static readonly Dictionary<string, string> AssemblyNameOf = new()
    {
        ["BouncyCastle.Cryptography"] = "BouncyCastle.Cryptography",
        ["EnvoyLens.Cli"] = "envoylens",
    };

    public static TheoryData<string> Projects() => new(ProjectNames());

    internal static IEnumerable<string> ProjectNames() => ProjectFiles().Keys.Order(StringComparer.Ordinal);

    /// <summary>Every project below <see cref="ProjectFolders"/>, by name, and its project file.</summary>
    private static Dictionary<string, string> ProjectFiles() =>
        ProjectFolders
            .Select(f => Path.Combine(TestPaths.RepoRoot, f))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetDirectories)
            .SelectMany(d => Directory.GetFiles(d, "*.csproj"))
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal);

    [Fact]
    public void Every_project_has_declared_arrows()
    {
        var undeclared = ProjectNames().Where(p => !Allowed.ContainsKey(p)).ToList();
        Assert.True(undeclared.Count == 0, $"Declare the allowed dependencies of {string.Join(", ", undeclared)} in {nameof(DependencyArrowTests)}.");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Project_references_point_only_down_the_allowed_arrows(string project)
    {
        var csproj = XDocument.Load(ProjectFiles()[project]);
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
}
