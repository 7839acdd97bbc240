using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EnvoyLens.Fixtures.Bundles;
using EnvoyLens.Fixtures.Mesh;
using EnvoyLens.Fixtures.Pki;
using EnvoyLens.TestKit;

namespace EnvoyLens.Fixtures.Tests;

public sealed class ReviewsBundleTests
{
    private static readonly string Committed = TestPaths.Fixture("snapshots", "reviews");

    private static byte[] CommittedFile(string name) => File.ReadAllBytes(Path.Combine(Committed, name));

    [Fact]
    public void Given_the_committed_bundle_When_regenerated_into_a_temp_dir_Then_every_file_is_byte_identical()
    {
        var temp = Directory.CreateTempSubdirectory("envoylens-fixtures-");
        try
        {
            ReviewsBundle.Write(temp.FullName);

            var generated = Directory.GetFiles(temp.FullName).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            var committed = Directory.GetFiles(Committed).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(committed, generated);
            foreach (var name in generated)
            {
                var fresh = File.ReadAllBytes(Path.Combine(temp.FullName, name!));
                Assert.True(fresh.AsSpan().SequenceEqual(CommittedFile(name!)),
                    $"fixtures/snapshots/reviews/{name} differs from the generator output; regenerate with the command in fixtures/README.md");
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    [Fact]
    public void Given_the_committed_other_mesh_bundle_When_regenerated_Then_every_file_is_byte_identical()
    {
        var committed = TestPaths.Fixture("snapshots", "ratings-other-mesh");
        var generated = ReviewsBundle.GenerateOtherMeshRatings();

        Assert.Equal(Directory.GetFiles(committed).Select(Path.GetFileName).Order(StringComparer.Ordinal), generated.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in generated)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(committed, name))),
                $"fixtures/snapshots/ratings-other-mesh/{name} differs from the generator output; regenerate with the command in fixtures/README.md");
        }
    }

    [Fact]
    public void Given_the_other_mesh_bundle_Then_its_workload_is_an_other_local_identity_signed_by_the_unrelated_root()
    {
        var pki = TestPki.Create();
        var committed = TestPaths.Fixture("snapshots", "ratings-other-mesh");
        using var dump = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(committed, "config_dump.json")));
        var secrets = dump.RootElement.GetProperty("configs")[5].GetProperty("dynamic_active_secrets");

        string Pem(JsonElement element) => Encoding.ASCII.GetString(Convert.FromBase64String(element.GetProperty("inline_bytes").GetString()!));
        Assert.Equal(2, secrets.GetArrayLength());
        Assert.Equal(pki.IssueOtherMeshWorkload("other.local", "default", "bookinfo-ratings").CertificatePem,
            Pem(secrets[0].GetProperty("secret").GetProperty("tls_certificate").GetProperty("certificate_chain")));
        Assert.Equal(pki.UnrelatedRoot.CertificatePem, Pem(secrets[1].GetProperty("secret").GetProperty("validation_context").GetProperty("trusted_ca")));
        Assert.Equal("other.local", dump.RootElement.GetProperty("configs")[0].GetProperty("bootstrap").GetProperty("node").GetProperty("metadata").GetProperty("MESH_ID").GetString());
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(committed, "manifest.json")));
        Assert.Equal("ratings-v1-7f9c6d5b8-h3k9z.default", manifest.RootElement.GetProperty("target").GetProperty("name").GetString());
    }

    [Fact]
    public void Given_the_manifest_Then_it_lists_every_file_with_its_true_sha256_and_size()
    {
        using var manifest = JsonDocument.Parse(CommittedFile("manifest.json"));
        var root = manifest.RootElement;

        Assert.Equal("envoylens-bundle/v1", root.GetProperty("format").GetString());
        Assert.Equal("reviews-v1-6c8d7b9f4-x2x7q.default", root.GetProperty("target").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("target").GetProperty("url").ValueKind);
        Assert.Equal("1.32.3", root.GetProperty("envoyVersion").GetString());
        var files = root.GetProperty("files").EnumerateArray().ToArray();
        Assert.Equal(Directory.GetFiles(Committed).Length - 1, files.Length);
        foreach (var file in files)
        {
            var bytes = CommittedFile(file.GetProperty("path").GetString()!);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.GetProperty("sha256").GetString());
            Assert.Equal(bytes.LongLength, file.GetProperty("bytes").GetInt64());
        }
    }

    [Fact]
    public void Given_the_redaction_pointers_Then_they_point_at_the_redacted_private_keys_of_the_workload_and_egress_secrets()
    {
        using var manifest = JsonDocument.Parse(CommittedFile("manifest.json"));
        var pointers = manifest.RootElement.GetProperty("redactions").EnumerateArray().Select(r => r.GetProperty("pointer").GetString()!).ToArray();
        using var dump = JsonDocument.Parse(CommittedFile("config_dump.json"));

        Assert.Equal(
            ["/configs/5/dynamic_active_secrets/0/secret/tls_certificate/private_key", "/configs/5/dynamic_active_secrets/2/secret/tls_certificate/private_key"],
            pointers);
        foreach (var pointer in pointers)
        {
            var node = dump.RootElement;
            foreach (var token in pointer.Split('/').Skip(1))
            {
                node = node.ValueKind == JsonValueKind.Array ? node[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)] : node.GetProperty(token);
            }

            Assert.Equal("[redacted]", Encoding.ASCII.GetString(Convert.FromBase64String(node.GetProperty("inline_bytes").GetString()!)));
        }
    }

    [Fact]
    public void Given_the_committed_files_Then_they_use_LF_endings_and_two_space_indents()
    {
        foreach (var path in Directory.GetFiles(Committed))
        {
            var text = File.ReadAllText(path);
            Assert.DoesNotContain('\r', text);
            Assert.EndsWith("\n", text, StringComparison.Ordinal);
        }

        var lines = File.ReadAllLines(Path.Combine(Committed, "config_dump.json"));
        Assert.Equal("  \"configs\": [", lines[1]);
    }

    [Fact]
    public void Given_the_config_dump_without_Istio_extensions_Then_the_Envoy_JsonParser_decodes_all_of_it()
    {
        var pki = TestPki.Create();
        var topology = new ReviewsTopology(includeIstioExtensions: false);
        using var stream = new MemoryStream();
        var egress = ReviewsBundle.Egress(EgressCertificates.Create());
        ConfigDumpWriter.Write(stream, topology, pki.IssueWorkload("default", "bookinfo-reviews").ChainPem, pki.Root.CertificatePem, egress);

        var dump = EnvoyProtoJson.Parser.Parse<Envoy.Admin.V3.ConfigDump>(Encoding.UTF8.GetString(stream.ToArray()));

        var listeners = dump.Configs[2].Unpack<Envoy.Admin.V3.ListenersConfigDump>().DynamicListeners.Select(l => l.Name).ToArray();
        Assert.Equal(
            ["0.0.0.0_15001", "0.0.0.0_15006", "0.0.0.0_9080", "10.96.44.170_9080", "10.96.8.201_9080", "10.96.121.33_9080"],
            listeners);
        var bootstrap = dump.Configs[0].Unpack<Envoy.Admin.V3.BootstrapConfigDump>();
        Assert.Equal("sidecar~10.244.1.15~reviews-v1-6c8d7b9f4-x2x7q.default~default.svc.cluster.local", bootstrap.Bootstrap.Node.Id);
        Assert.Equal("bookinfo-reviews", bootstrap.Bootstrap.Node.Metadata.Fields["SERVICE_ACCOUNT"].StringValue);
        var egressCluster = dump.Configs[1].Unpack<Envoy.Admin.V3.ClustersConfigDump>().DynamicActiveClusters
            .Select(c => c.Cluster.Unpack<Envoy.Config.Cluster.V3.Cluster>()).Single(c => c.Name == "outbound|443||api.external.example.com");
        var tls = egressCluster.TransportSocket.TypedConfig.Unpack<Envoy.Extensions.TransportSockets.Tls.V3.UpstreamTlsContext>();
        Assert.Equal("kubernetes://egress-cert", tls.CommonTlsContext.TlsCertificateSdsSecretConfigs.Single().Name);
        Assert.Equal("kubernetes://egress-cert-cacert", tls.CommonTlsContext.CombinedValidationContext.ValidationContextSdsSecretConfig.Name);
#pragma warning disable CS0612 // match_subject_alt_names is deprecated in Envoy's API, but it is what Istio 1.24 writes
        Assert.Equal("api.external.example.com", tls.CommonTlsContext.CombinedValidationContext.DefaultValidationContext.MatchSubjectAltNames.Single().Exact);
#pragma warning restore CS0612
        var secrets = dump.Configs[5].Unpack<Envoy.Admin.V3.SecretsConfigDump>().DynamicActiveSecrets.Select(s => s.Name).ToArray();
        Assert.Equal(["default", "ROOTCA", "kubernetes://egress-cert", "kubernetes://egress-cert-cacert"], secrets);
    }

    [Fact]
    public void Given_the_committed_config_dump_Then_its_only_unresolvable_types_are_the_deliberate_Istio_ones()
    {
        using var dump = JsonDocument.Parse(CommittedFile("config_dump.json"));

        var unknown = EnvoyProtoJson.TypeUrls(dump.RootElement).Where(t => !EnvoyProtoJson.IsKnown(t)).ToArray();

        Assert.Equal(EnvoyProtoJson.DeliberateUnknownTypes.Order(StringComparer.Ordinal), unknown);
    }

    [Fact]
    public void Given_the_secrets_Then_default_holds_the_leaf_and_intermediate_and_ROOTCA_the_test_root()
    {
        var pki = TestPki.Create();
        using var dump = JsonDocument.Parse(CommittedFile("config_dump.json"));
        var secrets = dump.RootElement.GetProperty("configs")[5].GetProperty("dynamic_active_secrets");

        string Pem(JsonElement element) => Encoding.ASCII.GetString(Convert.FromBase64String(element.GetProperty("inline_bytes").GetString()!));
        Assert.Equal(pki.IssueWorkload("default", "bookinfo-reviews").CertificatePem + pki.Intermediate.CertificatePem,
            Pem(secrets[0].GetProperty("secret").GetProperty("tls_certificate").GetProperty("certificate_chain")));
        Assert.Equal(pki.Root.CertificatePem, Pem(secrets[1].GetProperty("secret").GetProperty("validation_context").GetProperty("trusted_ca")));
    }

    [Theory]
    [InlineData("clusters.json", typeof(Envoy.Admin.V3.Clusters))]
    [InlineData("listeners.json", typeof(Envoy.Admin.V3.Listeners))]
    [InlineData("certs.json", typeof(Envoy.Admin.V3.Certificates))]
    [InlineData("server_info.json", typeof(Envoy.Admin.V3.ServerInfo))]
    [InlineData("init_dump.json", typeof(Envoy.Admin.V3.UnreadyTargetsDumps))]
    public void Given_an_admin_output_file_Then_it_parses_strictly_as_its_Envoy_admin_message(string file, Type messageType)
    {
        var descriptor = (Google.Protobuf.Reflection.MessageDescriptor)messageType.GetProperty("Descriptor")!.GetValue(null)!;

        var message = EnvoyProtoJson.Parser.Parse(Encoding.UTF8.GetString(CommittedFile(file)), descriptor);

        Assert.NotNull(message);
    }

    [Fact]
    public void Given_clusters_json_Then_it_covers_every_config_dump_cluster_and_flags_one_outlier_ejected_host()
    {
        var statuses = EnvoyProtoJson.Parser.Parse<Envoy.Admin.V3.Clusters>(Encoding.UTF8.GetString(CommittedFile("clusters.json"))).ClusterStatuses;
        var dump = JsonDocument.Parse(CommittedFile("config_dump.json"));
        var dumpNames = dump.RootElement.GetProperty("configs")[1].GetProperty("dynamic_active_clusters").EnumerateArray()
            .Select(c => c.GetProperty("cluster").GetProperty("name").GetString()!)
            .Concat(dump.RootElement.GetProperty("configs")[1].GetProperty("static_clusters").EnumerateArray()
                .Select(c => c.GetProperty("cluster").GetProperty("name").GetString()!))
            .Order(StringComparer.Ordinal);

        Assert.Equal(dumpNames, statuses.Select(s => s.Name).Order(StringComparer.Ordinal));
        var ejected = statuses.SelectMany(s => s.HostStatuses.Select(h => (s.Name, h))).Where(x => x.h.HealthStatus.FailedOutlierCheck).ToArray();
        Assert.Equal(
            ["outbound|9080|v2|ratings.default.svc.cluster.local", "outbound|9080||ratings.default.svc.cluster.local"],
            ejected.Select(x => x.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Given_stats_txt_Then_it_has_a_few_hundred_sorted_stats_with_a_connected_control_plane_and_no_rejections()
    {
        var lines = File.ReadAllLines(Path.Combine(Committed, "stats.txt"));
        var counters = lines.Where(l => !l.Contains("P0(", StringComparison.Ordinal)).ToArray();

        Assert.InRange(lines.Length, 200, 1000);
        Assert.Equal(counters.Order(StringComparer.Ordinal), counters);
        Assert.Contains("control_plane.connected_state: 1", lines);
        Assert.Contains("cluster_manager.cds.update_rejected: 0", lines);
        Assert.Contains(lines, l => l.StartsWith("cluster.outbound|9080||details.default.svc.cluster.local.upstream_rq_total: ", StringComparison.Ordinal));
        Assert.All(counters, l => Assert.Matches(@"^[^:]+: \d+$", l));
    }

    [Fact]
    public void Given_stats_prometheus_Then_every_sample_has_a_TYPE_and_carries_the_Istio_tags()
    {
        var lines = File.ReadAllLines(Path.Combine(Committed, "stats_prometheus.txt"));
        var typed = new HashSet<string>(StringComparer.Ordinal);

        foreach (var line in lines)
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                Assert.Matches(@"^# TYPE envoy_[a-zA-Z0-9_]+ (counter|gauge)$", line);
                Assert.True(typed.Add(line.Split(' ')[2]), "duplicate TYPE line: " + line);
                continue;
            }

            Assert.Matches("^envoy_[a-zA-Z0-9_]+(\\{[a-z_]+=\"[^\"]*\"\\})? \\d+$", line);
            Assert.Contains(line.Split('{', ' ')[0], typed);
        }

        Assert.Contains(lines, l => l.StartsWith("envoy_cluster_upstream_rq_total{cluster_name=\"outbound|9080||details.default.svc.cluster.local\"} ", StringComparison.Ordinal));
        Assert.Contains("envoy_control_plane_connected_state 1", lines);
        Assert.Contains(lines, l => l.StartsWith("envoy_listener_downstream_cx_total{listener_address=\"0.0.0.0_15006\"} ", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_the_committed_PKI_files_When_regenerated_Then_they_are_byte_identical()
    {
        var expected = TestPkiFiles.Generate();

        var committed = Directory.GetFiles(TestPaths.Fixture("pki")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(expected.Select(f => f.Name).Order(StringComparer.Ordinal), committed);
        foreach (var (name, content) in expected)
        {
            Assert.True(content.AsSpan().SequenceEqual(File.ReadAllBytes(TestPaths.Fixture("pki", name))),
                $"fixtures/pki/{name} differs from the generator output; regenerate with the command in fixtures/README.md");
        }
    }
}
