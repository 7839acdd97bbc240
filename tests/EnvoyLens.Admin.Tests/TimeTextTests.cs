using EnvoyLens.Core;

namespace EnvoyLens.Admin.Tests;

public sealed class TimeTextTests
{
    private static readonly DateTimeOffset Instant = new(2026, 11, 20, 11, 30, 5, 250, TimeSpan.FromHours(1));

    [Fact]
    public void Given_an_instant_with_an_offset_When_written_Then_it_is_UTC_to_the_second_or_with_its_fraction()
    {
        Assert.Equal("2026-11-20T10:30:05Z", TimeText.Utc(Instant));
        Assert.Equal("2026-11-20T10:30:05.25Z", TimeText.UtcPrecise(Instant));
        Assert.Equal("2026-11-20T10:30:05Z", TimeText.UtcPrecise(Instant.AddMilliseconds(-250)));
    }

    [Theory]
    [InlineData(3 * 86400 + 4 * 3600 + 59, "3 days 4 hours")]
    [InlineData(45 * 86400 + 4 * 3600, "45 days")]
    [InlineData(86400, "1 day")]
    [InlineData(3600 + 120, "1 hour 2 minutes")]
    [InlineData(12 * 60 + 30, "12 minutes")]
    [InlineData(1, "1 second")]
    [InlineData(-40, "40 seconds")]
    public void Given_a_duration_When_written_for_people_Then_it_names_its_two_largest_units(int seconds, string text) =>
        Assert.Equal(text, TimeText.Human(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(2 * 3600 + 5 * 60 + 9, "2h05m")]
    [InlineData(3 * 60 + 7, "3m07s")]
    [InlineData(42, "42s")]
    [InlineData(-5, "0s")]
    public void Given_an_elapsed_time_When_written_compactly_Then_it_has_two_units_at_most(int seconds, string text) =>
        Assert.Equal(text, TimeText.Compact(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(250, "0.25s")]
    [InlineData(10000, "10s")]
    [InlineData(1, "0.001s")]
    public void Given_a_configured_duration_When_written_as_Envoy_does_Then_it_is_seconds_without_trailing_zeros(int milliseconds, string text)
    {
        Assert.Equal(text, TimeText.Seconds(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Equal(text[..^1], TimeText.SecondsValue(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
