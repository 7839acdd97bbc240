using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;
using EnvoyLens.TestKit;

namespace EnvoyLens.Rules.Tests;

public sealed class CatalogTests
{
    public static TheoryData<string> RuleIds() => new(RuleCatalog.BuiltIn.Select(r => r.Descriptor.Id));

    [Fact]
    public void Every_rule_id_is_unique_and_the_catalog_is_ordered_by_id()
    {
        var ids = RuleCatalog.BuiltIn.Select(r => r.Descriptor.Id).ToList();

        Assert.Equal(ids.Distinct(StringComparer.Ordinal).Count(), ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.True(ids.Count >= 30, $"Expected at least 30 built-in rules, found {ids.Count}.");
    }

    [Fact]
    public void Given_every_rule_type_in_the_rules_assembly_When_compared_with_the_explicit_catalog_Then_none_is_missing()
    {
        // The catalog is an explicit list (trimming and Native AOT keep exactly what is listed); this test is the
        // reflection-based cross-check that a new rule file was also added to the list.
        var types = typeof(RuleCatalog).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IRule).IsAssignableFrom(t))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal);

        var listed = RuleCatalog.BuiltIn.Select(r => r.GetType().FullName!).Order(StringComparer.Ordinal);

        Assert.Equal(types, listed);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_has_a_full_descriptor_a_file_named_by_its_id_and_pass_and_fail_fixtures(string id)
    {
        var rule = RuleCatalog.BuiltIn.Single(r => r.Descriptor.Id == id);
        var d = rule.Descriptor;

        Assert.StartsWith(id, rule.GetType().Name, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(d.Title));
        Assert.False(string.IsNullOrWhiteSpace(d.Rationale));
        Assert.False(string.IsNullOrWhiteSpace(d.Remediation));
        Assert.NotEqual(RuleInputs.None, d.Inputs);
        Assert.NotEmpty(d.ArgumentNames);
        Assert.True(File.Exists(Path.Combine(TestPaths.RepoRoot, "src", "EnvoyLens.Rules", "BuiltIn", rule.GetType().Name + ".cs")), $"{id} must live in BuiltIn/{rule.GetType().Name}.cs.");
        Assert.True(Directory.Exists(RuleFixtures.Folder(id, "pass")), $"{id} has no pass fixture.");
        Assert.True(Directory.Exists(RuleFixtures.Folder(id, "fail")), $"{id} has no fail fixture.");
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rules_example_is_what_its_fail_fixture_reports(string id)
    {
        var d = RuleCatalog.BuiltIn.Single(r => r.Descriptor.Id == id).Descriptor;

        var first = RuleFixtures.Run(id, "fail").Findings[0];

        Assert.Equal(first.Message, d.Example);
    }

    [Theory]
    [InlineData(RuleCategory.Engine, "EL0")]
    [InlineData(RuleCategory.References, "EL1")]
    [InlineData(RuleCategory.State, "EL2")]
    [InlineData(RuleCategory.Config, "EL3")]
    [InlineData(RuleCategory.Stats, "EL5")]
    public void Every_rule_id_lies_in_its_categorys_range(RuleCategory category, string prefix)
    {
        Assert.All(RuleCatalog.Descriptors.Where(d => d.Category == category), d => Assert.StartsWith(prefix, d.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void Rendering_fills_named_arguments_and_refuses_a_missing_one()
    {
        var d = new RuleDescriptor("EL1999", "t", RuleCategory.References, Severity.Info, "{a} then {b} then {a}", "r", "f", RuleInputs.ConfigDump);

        Assert.Equal("1 then 2 then 1", d.Render(Args.Of(("a", "1"), ("b", "2"))));
        Assert.Equal(["a", "b"], d.ArgumentNames);
        Assert.Throws<InvalidOperationException>(() => d.Render(Args.Of(("a", "1"))));
    }
}
