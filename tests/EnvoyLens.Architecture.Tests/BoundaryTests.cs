using System.Reflection;

namespace EnvoyLens.Architecture.Tests;

/// <summary>
/// The boundaries DESIGN.md draws inside and between assemblies, checked on the compiled code: generated protos do not
/// leak through a public API outside Decoding, commands reach the proxy and the decoder only through services, and the
/// rule engine does not know the built-in rules. Each rule also runs over a sample with a violation, so it can fail.
/// </summary>
public sealed class BoundaryTests
{
    /// <summary>Assemblies whose public API may name generated protobuf types.</summary>
    private static readonly string[] ProtoAssemblies = ["EnvoyLens.Decoding", "EnvoyLens.Protos", "EnvoyLens.ProtoJson"];

    /// <summary>Build-time projects: source generators run inside the compiler, never load beside the tool, and have no API of ours.</summary>
    private static readonly string[] BuildTimeAssemblies = ["EnvoyLens.Generators"];

    /// <summary>
    /// Known violations of "no public member outside Decoding/Protos/ProtoJson exposes a protobuf type" in today's code.
    /// Each entry is the member as the checker names it (the finding up to " exposes " / " uses ") and why it is still
    /// there; a member not listed fails the test, and so does an entry whose member no longer violates: the list can only shrink.
    /// </summary>
    private static readonly Dictionary<string, string> KnownProtoExposures = new(StringComparer.Ordinal)
    {
    };

    /// <summary>Known uses of Decoding or Admin from <c>EnvoyLens.Cli.Commands</c>, each with why (the list can only shrink).</summary>
    private static readonly Dictionary<string, string> KnownCommandShortcuts = new(StringComparer.Ordinal)
    {
    };

    /// <summary>Known uses of <c>EnvoyLens.Rules.BuiltIn</c> from <c>EnvoyLens.Rules.Engine</c>, each with why (the list can only shrink).</summary>
    private static readonly Dictionary<string, string> KnownEngineToBuiltIn = new(StringComparer.Ordinal)
    {
    };

    internal static bool IsProto(Type t) => t.Assembly.GetName().Name is "Google.Protobuf" or "EnvoyLens.Protos";

    internal static bool IsDecodingOrAdmin(Type t) => t.Assembly.GetName().Name is "EnvoyLens.Decoding" or "EnvoyLens.Admin";

    internal static bool IsBuiltInRule(Type t) => InNamespace(t, "EnvoyLens.Rules.BuiltIn");

    private static bool InNamespace(Type t, string ns) => t.Namespace is { } n && (n == ns || n.StartsWith(ns + ".", StringComparison.Ordinal));

    private static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    /// <summary>The top-level types of <paramref name="assembly"/> in <paramref name="ns"/> (nested ones are checked with them).</summary>
    private static IEnumerable<Type> TypesIn(string assembly, string ns) =>
        Load(assembly).GetTypes().Where(t => !t.IsNested && InNamespace(t, ns)).OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>The member a finding is about: its words before " exposes " or " uses ".</summary>
    private static string MemberOf(string finding)
    {
        var at = finding.IndexOf(" exposes ", StringComparison.Ordinal);
        return finding[..(at >= 0 ? at : finding.IndexOf(" uses ", StringComparison.Ordinal))];
    }

    private static void AssertOnlyKnown(IReadOnlyList<string> findings, Dictionary<string, string> known, string rule)
    {
        var unexpected = findings.Where(f => !known.ContainsKey(MemberOf(f))).ToList();
        var fixedOnes = known.Keys.Where(k => !findings.Any(f => MemberOf(f) == k)).ToList();
        Assert.True(unexpected.Count == 0, $"{rule}: {string.Join("; ", unexpected)}.");
        Assert.True(fixedOnes.Count == 0, $"{rule}: no longer violated, remove from the known list: {string.Join("; ", fixedOnes)}.");
    }

    [Fact]
    public void Given_every_assembly_outside_decoding_When_its_public_API_is_read_Then_no_member_exposes_a_protobuf_type()
    {
        var assemblies = DependencyArrowTests.ProjectNames()
            .Except(ProtoAssemblies)
            .Except(BuildTimeAssemblies)
            .Select(p => Load(DependencyArrowTests.AssemblyNameOf.GetValueOrDefault(p) ?? p));

        var findings = UsageChecker.Exposed(assemblies.SelectMany(a => a.GetExportedTypes()), IsProto);

        AssertOnlyKnown(findings, KnownProtoExposures, "Public members outside Decoding expose generated protobuf types");
    }

    [Fact]
    public void Given_the_commands_When_their_code_is_read_Then_none_uses_Decoding_or_Admin_directly()
    {
        var commands = TypesIn("envoylens", "EnvoyLens.Cli.Commands").ToList();
        Assert.NotEmpty(commands);

        var findings = UsageChecker.Uses(commands, IsDecodingOrAdmin);

        AssertOnlyKnown(findings, KnownCommandShortcuts, "Commands use Decoding or Admin instead of a service");
    }

    [Fact]
    public void Given_the_rule_engine_When_its_code_is_read_Then_it_does_not_use_the_built_in_rules()
    {
        var engine = TypesIn("EnvoyLens.Rules", "EnvoyLens.Rules.Engine").ToList();
        Assert.NotEmpty(engine);

        var findings = UsageChecker.Uses(engine, IsBuiltInRule);

        AssertOnlyKnown(findings, KnownEngineToBuiltIn, "The rule engine uses EnvoyLens.Rules.BuiltIn");
    }

    [Fact]
    public void Given_a_sample_whose_public_members_name_protobuf_types_When_checked_Then_each_is_found()
    {
        var findings = UsageChecker.Exposed([typeof(Samples.ExposesProto), typeof(Samples.HidesProto)], IsProto);

        Assert.Equal(
        [
            "EnvoyLens.Architecture.Tests.Samples+ExposesProto.Listeners exposes Envoy.Config.Listener.V3.Listener",
            "EnvoyLens.Architecture.Tests.Samples+ExposesProto.Pack(message) exposes Google.Protobuf.IMessage",
            "EnvoyLens.Architecture.Tests.Samples+ExposesProto.Parser() exposes Google.Protobuf.MessageParser",
        ], findings);
    }

    [Fact]
    public void Given_a_sample_command_that_calls_the_decoder_When_checked_Then_the_call_in_its_body_and_its_lambda_is_found()
    {
        var findings = UsageChecker.Uses([typeof(Samples.ShortcutCommand), typeof(Samples.ThroughServiceCommand)], IsDecodingOrAdmin);

        Assert.Contains(findings, f => f.StartsWith("EnvoyLens.Architecture.Tests.Samples+ShortcutCommand.Run uses EnvoyLens.Decoding.", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.StartsWith("EnvoyLens.Architecture.Tests.Samples+ShortcutCommand+", StringComparison.Ordinal) && f.Contains(" uses EnvoyLens.Admin.", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Contains("ThroughServiceCommand", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_sample_engine_type_that_names_a_built_in_rule_When_checked_Then_it_is_found()
    {
        var findings = UsageChecker.Uses([typeof(Samples.EngineThatKnowsARule)], IsBuiltInRule);

        var finding = Assert.Single(findings);
        Assert.StartsWith("EnvoyLens.Architecture.Tests.Samples+EngineThatKnowsARule.Create uses EnvoyLens.Rules.BuiltIn.", finding, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_known_violation_that_is_gone_or_a_new_one_When_checked_Then_each_fails_the_test()
    {
        var known = new Dictionary<string, string>(StringComparer.Ordinal) { ["A.Gone"] = "fixed since" };

        var stale = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertOnlyKnown([], known, "Rule"));
        var unknown = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertOnlyKnown(["A.Gone uses X", "B.New uses Y"], known, "Rule"));

        Assert.Contains("Rule: no longer violated, remove from the known list: A.Gone.", stale.Message, StringComparison.Ordinal);
        Assert.Contains("Rule: B.New uses Y.", unknown.Message, StringComparison.Ordinal);
    }
}
