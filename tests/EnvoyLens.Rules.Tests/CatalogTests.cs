using EnvoyLens.Core;
using EnvoyLens.Rules.BuiltIn;
using EnvoyLens.Rules.Engine;
using EnvoyLens.TestKit;

namespace EnvoyLens.Rules.Tests;

/// <summary>Meta-tests over every rule of every pack of the one catalog.</summary>
public sealed class CatalogTests
{
    public static TheoryData<string> RuleIds() => new(RulePacks.Catalog.Rules.Select(r => r.Descriptor.Id));

    [Fact]
    public void Given_the_catalog_When_listed_Then_every_id_is_unique_and_every_pack_and_the_catalog_are_ordered_by_id()
    {
        var ids = RulePacks.Catalog.Rules.Select(r => r.Descriptor.Id).ToList();

        Assert.Equal(ids.Distinct(StringComparer.Ordinal).Count(), ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.All(RulePacks.Catalog.Packs, p => Assert.Equal(p.Rules.Select(r => r.Descriptor.Id).Order(StringComparer.Ordinal), p.Rules.Select(r => r.Descriptor.Id)));
        Assert.Equal(["built-in", "certificates", "linkerd"], RulePacks.Catalog.Packs.Select(p => p.Name));
        Assert.Equal(36, RulePacks.BuiltIn.Rules.Count);
        Assert.Equal(11, RulePacks.Certificates.Rules.Count);
        Assert.Equal(9, RulePacks.Linkerd.Rules.Count);
        Assert.Equal([InternalErrorRule.Descriptor.Id, .. ids], RulePacks.Catalog.Descriptors.Select(d => d.Id));
    }

    [Fact]
    public void Given_every_rule_type_in_the_rules_assembly_When_compared_with_the_packs_Then_each_is_in_exactly_one_pack()
    {
        // The packs are explicit lists (trimming and Native AOT keep exactly what is listed); this test is the
        // reflection-based cross-check that a new rule file was also added to a pack.
        var types = typeof(RulePacks).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IRule).IsAssignableFrom(t))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal);

        var listed = RulePacks.Catalog.Packs.SelectMany(p => p.Rules).Select(r => r.GetType().FullName!).Order(StringComparer.Ordinal);

        Assert.Equal(types, listed);
    }

    [Fact]
    public void Given_two_packs_with_one_id_When_composed_Then_the_catalog_refuses_them()
    {
        var rule = RulePacks.BuiltIn.Rules[0];

        var e = Assert.Throws<ArgumentException>(() => new RuleCatalog([new RulePack("a", [rule]), new RulePack("b", [rule])]));

        Assert.StartsWith($"Rule id {rule.Descriptor.Id} is used by more than one rule.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_pack_out_of_id_order_When_made_Then_it_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new RulePack("x", [RulePacks.BuiltIn.Rules[1], RulePacks.BuiltIn.Rules[0]]));
    }

    [Theory]
    [InlineData("EL4011", "certificates")]
    [InlineData("EL1001", "built-in")]
    [InlineData("EL0001", null)]
    public void Given_an_id_When_its_pack_is_asked_Then_the_pack_that_lists_it_answers(string id, string? pack)
    {
        Assert.Equal(pack, RulePacks.Catalog.PackOf(id));
        Assert.Equal(id, RulePacks.Catalog.Find(" " + id.ToLowerInvariant() + " ")?.Id);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_has_a_full_descriptor_a_file_named_by_its_id_and_pass_and_fail_fixtures(string id)
    {
        var rule = RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == id);
        var d = rule.Descriptor;

        Assert.StartsWith(id, rule.GetType().Name, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(d.Title));
        Assert.False(string.IsNullOrWhiteSpace(d.Rationale));
        Assert.False(string.IsNullOrWhiteSpace(d.Remediation));
        Assert.NotEqual(RuleInputs.None, d.Inputs);
        Assert.NotEmpty(d.ArgumentNames);
        var files = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "src", "EnvoyLens.Rules", "BuiltIn"), rule.GetType().Name + ".cs", SearchOption.AllDirectories);
        Assert.True(files.Length == 1, $"{id} must live in one file BuiltIn/<area>/{rule.GetType().Name}.cs, found {files.Length}.");
        Assert.True(Directory.Exists(RuleFixtures.Folder(id, "pass")), $"{id} has no pass fixture.");
        Assert.True(Directory.Exists(RuleFixtures.Folder(id, "fail")), $"{id} has no fail fixture.");
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Given_each_rules_pass_fixture_When_it_runs_alone_Then_it_checks_and_finds_nothing(string id)
    {
        RuleFixtures.AssertPasses(id);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Given_each_rules_fail_fixture_When_it_runs_alone_Then_it_reports_its_own_id_with_every_template_argument(string id)
    {
        var report = RuleFixtures.Run(id, "fail");
        var d = RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == id).Descriptor;

        Assert.Equal(RuleStatus.Failed, report.Outcomes.Single().Status);
        Assert.NotEmpty(report.Findings);
        Assert.All(report.Findings, f => Assert.Equal(id, f.RuleId));
        Assert.All(report.Findings, f => Assert.All(d.ArgumentNames, a => Assert.True(f.Arguments.ContainsKey(a), $"{id} leaves out argument '{a}'")));
    }

    public static TheoryData<string> RuleIdsWithExamples() =>
        new(RulePacks.Catalog.Rules.Where(r => r.Descriptor.Example is not null).Select(r => r.Descriptor.Id));

    [Theory]
    [MemberData(nameof(RuleIdsWithExamples))]
    public void Every_rules_example_is_what_its_fail_fixture_reports(string id)
    {
        var d = RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == id).Descriptor;

        var first = RuleFixtures.Run(id, "fail").Findings[0];

        Assert.Equal(first.Message, d.Example);
    }

    [Fact]
    public void Given_the_catalog_When_examples_are_counted_Then_every_rule_has_one()
    {
        // RULES.md and `envoylens rules ID` show the example; the test above checks it is what the fail fixture reports.
        var without = RulePacks.Catalog.Rules.Where(r => string.IsNullOrWhiteSpace(r.Descriptor.Example)).Select(r => r.Descriptor.Id);

        Assert.Empty(without);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Given_each_rule_on_its_fixtures_and_the_reviews_bundle_When_it_runs_Then_it_reads_only_the_inputs_it_declares(string id)
    {
        var rule = RulePacks.Catalog.Rules.Single(r => r.Descriptor.Id == id);
        var declared = rule.Descriptor.Inputs | rule.Descriptor.OptionalInputs;
        var reviews = RuleFixtures.Decode(TestPaths.Fixture("snapshots", "reviews"));
        RuleContext[] contexts =
        [
            RuleFixtures.Context(id, "pass"),
            RuleFixtures.Context(id, "fail"),
            new(reviews, FixedClock.FixtureNow, RuleContext.Infer(reviews)),
        ];

        foreach (var context in contexts)
        {
            var outcome = new RuleRunner([rule]).Run(context).Outcomes.Single();

            Assert.NotEqual(RuleStatus.InternalError, outcome.Status);
            var undeclared = context.InputsRead & ~declared;
            Assert.True(undeclared == RuleInputs.None, $"{id} read {RuleRunner.Describe(undeclared)}, which its descriptor does not declare.");
        }
    }

    [Fact]
    public void Given_a_context_When_a_rule_reads_stats_and_the_node_Then_the_context_records_those_inputs()
    {
        var context = RuleFixtures.Context("EL5001", "fail");
        Assert.Equal(RuleInputs.None, context.InputsRead);

        _ = context.Stats;
        Assert.Equal(RuleInputs.Stats, context.InputsRead);

        _ = context.Node;
        Assert.Equal(RuleInputs.Stats | RuleInputs.ConfigDump, context.InputsRead & (RuleInputs.Stats | RuleInputs.ConfigDump));
    }

    [Fact]
    public void Given_the_rule_sources_When_scanned_Then_no_rule_reads_an_admin_input_past_the_recording_context()
    {
        // Rules read stats, /server_info, /clusters, /init_dump and /certs through RuleContext, which records the read;
        // reaching them through the snapshot would hide the read from the check above.
        var bypass = new System.Text.RegularExpressions.Regex(
            @"\b(?:[sS]napshot|s)\.(?:Stats|ServerInfo|Node|ClusterStatuses|FindClusterStatus|EndpointsOf|InitTargets|AdminCertificates|ListenerStatuses)\b");
        var offenders = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "src", "EnvoyLens.Rules", "BuiltIn"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => bypass.IsMatch(l.Text) && !l.Text.TrimStart().StartsWith("///", StringComparison.Ordinal))
            .Select(l => $"{l.File}:{l.Line}")
            .ToList();

        Assert.True(offenders.Count == 0, "Read admin inputs through RuleContext: " + string.Join(", ", offenders));
    }

    [Theory]
    [InlineData(RuleCategory.Engine, "EL0")]
    [InlineData(RuleCategory.References, "EL1")]
    [InlineData(RuleCategory.State, "EL2")]
    [InlineData(RuleCategory.Config, "EL3")]
    [InlineData(RuleCategory.Certificates, "EL4")]
    [InlineData(RuleCategory.Stats, "EL5")]
    public void Every_rule_id_lies_in_its_categorys_range(RuleCategory category, string prefix)
    {
        var inCategory = RulePacks.Catalog.Descriptors.Where(d => d.Category == category).ToList();

        Assert.NotEmpty(inCategory);
        Assert.All(inCategory, d => Assert.StartsWith(prefix, d.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void Given_the_certificate_pack_When_listed_Then_it_holds_exactly_the_certificate_category()
    {
        Assert.All(RulePacks.Certificates.Rules, r => Assert.Equal(RuleCategory.Certificates, r.Descriptor.Category));
        Assert.DoesNotContain(RulePacks.BuiltIn.Rules, r => r.Descriptor.Category == RuleCategory.Certificates);
    }

    [Fact]
    public void Given_the_descriptor_type_When_its_members_are_listed_Then_everything_a_rule_must_state_is_required()
    {
        // A descriptor is an object initializer; these members are `required`, so one that leaves out its title,
        // template, rationale, remediation or inputs does not compile. Only enabledByDefault, optional inputs and the example may be left out.
        var required = typeof(RuleDescriptor).GetProperties()
            .Where(p => p.IsDefined(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute), inherit: false))
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal);
        var settable = typeof(RuleDescriptor).GetProperties().Where(p => p.SetMethod is not null).Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["Category", "DefaultSeverity", "Id", "Inputs", "MessageTemplate", "Rationale", "Remediation", "Title"], required);
        Assert.Equal(["Category", "DefaultSeverity", "EnabledByDefault", "Example", "Id", "Inputs", "MessageTemplate", "OptionalInputs", "Rationale", "Remediation", "Title"], settable);
    }

    [Fact]
    public void Rendering_fills_named_arguments_and_refuses_a_missing_one()
    {
        var d = new RuleDescriptor
        {
            Id = "EL1999",
            Title = "t",
            Category = RuleCategory.References,
            DefaultSeverity = Severity.Info,
            MessageTemplate = "{a} then {b} then {a}",
            Rationale = "r",
            Remediation = "f",
            Inputs = RuleInputs.ConfigDump,
        };

        Assert.Equal("1 then 2 then 1", d.Render(Args.Of(("a", "1"), ("b", "2"))));
        Assert.Equal(["a", "b"], d.ArgumentNames);
        Assert.Throws<InvalidOperationException>(() => d.Render(Args.Of(("a", "1"))));
    }
}
