using CsCheck;

namespace EnvoyLens.Diff.Tests;

/// <summary>The diff's laws, checked over random dumps.</summary>
public sealed class PropertyTests
{
    [Fact]
    public void Given_any_dump_When_diffed_against_itself_Then_the_change_set_is_empty() =>
        Gen.Int[0, 100_000].Sample(seed =>
        {
            var json = GeneratedDump.Json(GeneratedDump.Build(seed));
            Assert.True(Captures.Diff(json, json).IsEmpty);
        }, iter: 60);

    [Fact]
    public void Given_any_dump_When_every_list_and_map_is_reordered_and_defaults_are_spelled_out_Then_the_change_set_is_empty() =>
        Gen.Select(Gen.Int[0, 100_000], Gen.Int[0, 100_000]).Sample((seed, shuffle) =>
        {
            var dump = GeneratedDump.Build(seed);
            var shuffled = GeneratedDump.Shuffle(dump, shuffle);

            var changes = Captures.Diff(GeneratedDump.Json(dump), GeneratedDump.Json(shuffled));

            Assert.True(changes.IsEmpty, Captures.Text(changes));
        }, iter: 60);

    [Fact]
    public void Given_any_dump_When_one_field_is_mutated_Then_it_is_found_exactly_once_at_its_path() =>
        Gen.Select(Gen.Int[0, 100_000], Gen.Int[0, 1000], Gen.Int[0, 100_000]).Sample((seed, choice, shuffle) =>
        {
            var dump = GeneratedDump.Build(seed);
            var (mutated, expected) = GeneratedDump.Mutate(dump, choice);

            // The mutated side is also reordered, so the mutation must be found through the noise.
            var changes = Captures.Diff(GeneratedDump.Json(dump), GeneratedDump.Json(GeneratedDump.Shuffle(mutated, shuffle)));

            var change = Assert.Single(changes.Changes);
            Assert.Equal((expected.Kind, expected.Name, expected.Path, expected.Type), (change.Kind, change.Name, change.Path, change.Type));
        }, iter: 80);
}
