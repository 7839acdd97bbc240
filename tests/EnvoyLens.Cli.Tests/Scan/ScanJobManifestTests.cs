using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EnvoyLens.TestKit;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EnvoyLens.Cli.Tests.Scan;

/// <summary>
/// deploy/scan-job.yaml read into the KubernetesClient model types (each YAML document as the JSON the API server would
/// receive, deserialized with every field required to be one the model knows): what it grants and how the Job shards.
/// </summary>
public sealed class ScanJobManifestTests
{
    private static readonly JsonSerializerOptions Strict = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    private static readonly string[] Documents = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "deploy", "scan-job.yaml"))
        .Split("\n---\n", StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Given_the_manifest_When_read_as_Kubernetes_objects_Then_it_is_a_service_account_a_minimal_cluster_role_its_binding_and_an_indexed_job()
    {
        Assert.Equal(4, Documents.Length);
        var account = Read<V1ServiceAccount>(Documents[0]);
        var role = Read<V1ClusterRole>(Documents[1]);
        var binding = Read<V1ClusterRoleBinding>(Documents[2]);
        var job = Read<V1Job>(Documents[3]);
        Assert.Equal(("v1", "ServiceAccount", "rbac.authorization.k8s.io/v1", "ClusterRole", "ClusterRoleBinding", "batch/v1", "Job"),
            (account.ApiVersion, account.Kind, role.ApiVersion, role.Kind, binding.Kind, job.ApiVersion, job.Kind));

        // Exactly get+list pods and create pods/portforward, in the core group: nothing else.
        Assert.Equal(
            ["/pods/portforward:create", "/pods:get,list"],
            role.Rules.Select(r => string.Join(",", r.ApiGroups) + "/" + string.Join(",", r.Resources) + ":" + string.Join(",", r.Verbs)).Order(StringComparer.Ordinal));
        Assert.All(role.Rules, r => Assert.Null(r.ResourceNames));

        Assert.Equal(("ClusterRole", role.Metadata.Name), (binding.RoleRef.Kind, binding.RoleRef.Name));
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", account.Metadata.Name, account.Metadata.NamespaceProperty), (subject.Kind, subject.Name, subject.NamespaceProperty));

        Assert.Equal("Indexed", job.Spec.CompletionMode);
        Assert.Equal(account.Metadata.NamespaceProperty, job.Metadata.NamespaceProperty);
        var pod = job.Spec.Template.Spec;
        Assert.Equal((account.Metadata.Name, "Never"), (pod.ServiceAccountName, pod.RestartPolicy));
        var container = Assert.Single(pod.Containers);
        Assert.Equal(["scan", "--in-cluster", "-A", "--fail-on", "never", "-o", "json"], container.Args.Take(7));
        var shards = Assert.Single(container.Env, e => e.Name == "ENVOYLENS_SHARD_COUNT").Value;
        Assert.Equal(job.Spec.Completions.ToString(), shards);
        Assert.Equal(job.Spec.Completions, job.Spec.Parallelism);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);

        // The reading is strict: a field the model does not know fails.
        Assert.Throws<JsonException>(() => Read<V1Job>(Documents[3].Replace("completionMode", "completionMod", StringComparison.Ordinal)));
    }

    [Fact]
    public void Given_the_jobs_arguments_When_parsed_by_the_cli_Then_they_are_a_valid_scan_command_line()
    {
        var job = Read<V1Job>(Documents[3]);
        var args = job.Spec.Template.Spec.Containers[0].Args.ToArray();
        var root = EnvoyLensCli.BuildRoot(new Sources.SnapshotLoader(TimeProvider.System, Sources.Notices.None), TimeProvider.System, TextWriter.Null);
        var parsed = root.Parse(args);
        Assert.Empty(parsed.Errors);
        Assert.Equal("scan", parsed.CommandResult.Command.Name);
    }

    /// <summary>One YAML document as <typeparamref name="T"/>; a field the model does not have fails.</summary>
    private static T Read<T>(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var json = ToJson(stream.Documents[0].RootNode)!.ToJsonString();
        return JsonSerializer.Deserialize<T>(json, Strict)!;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } s when long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } s => JsonValue.Create(s.Value == "true"),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };
}
