using Shoal.Autoscaling.Simulation;
using Shoal.Autoscaling.Simulation.Corpus;

namespace Shoal.Autoscaling.Tests.Evaluation;

public sealed class TraceCorpusTests
{
    [Fact]
    public void Corpus_HasTenFamiliesAndHalfOfEveryFamilyHeldOut()
    {
        var corpus = TraceCorpus.Synthetic();

        Assert.Equal(10, TraceCorpus.Families.Count);
        Assert.Equal(60, corpus.Count);
        Assert.All(corpus.GroupBy(t => t.Family), g => Assert.Equal(3, g.Count(t => t.Split == CorpusSplit.Test)));
        Assert.All(corpus, t => Assert.Equal(t.Seed % 2 == 0 ? CorpusSplit.Test : CorpusSplit.Train, t.Split));
    }

    [Fact]
    public void SameFamilyAndSeed_GiveTheSameTraceAndOtherSeedsOtherTraces()
    {
        foreach (var family in TraceCorpus.Families)
        {
            var first = TraceCorpus.Generate(family, 5);
            Assert.Equal(first.Counts, TraceCorpus.Generate(family, 5).Counts);
            Assert.NotEqual(first.Counts, TraceCorpus.Generate(family, 6).Counts);
            Assert.Equal(TimeSpan.FromMinutes(1), first.Interval);
            Assert.InRange(first.PeakRequestsPerSecond, 100, 100_000);
        }
    }

    [Fact]
    public void HourlyCron_BurstsAtTheSameMinuteOfEveryHour()
    {
        var counts = TraceCorpus.Generate("hourly-cron", 2).Counts;
        var hours = counts.Count / 60;
        var profile = Enumerable.Range(0, 60).Select(m => Enumerable.Range(0, hours).Average(h => counts[(h * 60) + m])).ToArray();
        var top = Array.IndexOf(profile, profile.Max());
        var median = profile.Order().ElementAt(30);

        // One minute of the hour carries a burst in every hour: well above the rest of that hour.
        Assert.True(profile[top] > 1.6 * median, $"minute {top}: {profile[top]:F0} against a median of {median:F0}");
        for (var h = 0; h < hours; h++)
        {
            var hour = Enumerable.Range(0, 60).Select(m => counts[(h * 60) + m]).Order().ToArray();
            Assert.True(counts[(h * 60) + top] > 1.4 * hour[30], $"hour {h}");
        }
    }

    [Fact]
    public void LevelShiftUp_EndsHigherThanItStartsAtTheSameTimeOfDay()
    {
        var counts = TraceCorpus.Generate("level-shift-up", 1).Counts;
        var firstDay = counts.Take(1440).Sum();
        var lastDay = counts.Skip(counts.Count - 1440).Sum();

        Assert.InRange(lastDay / firstDay, 1.3, 3.5);
    }

    [Fact]
    public void Weeks_CutsWholeMondayToSundayWeeksAndSplitsThemByIndex()
    {
        // 1998-04-30 was a Thursday: the first whole week begins on Monday 1998-05-04.
        var start = new DateTimeOffset(1998, 4, 30, 21, 30, 0, TimeSpan.Zero);
        var full = new LoadTrace("wc", TimeSpan.FromMinutes(1), Enumerable.Range(0, 20 * 1440).Select(i => (double)(i % 1440)).ToArray(), start);

        var weeks = TraceCorpus.Weeks(full);

        Assert.Equal(2, weeks.Count);
        Assert.Equal(new DateTimeOffset(1998, 5, 4, 0, 0, 0, TimeSpan.Zero), weeks[0].Trace.Start);
        Assert.Equal(7 * 1440, weeks[0].Trace.Counts.Count);
        Assert.Equal([CorpusSplit.Train, CorpusSplit.Test], weeks.Select(w => w.Split));
        Assert.Equal("worldcup98/1998-05-11", weeks[1].Name);
    }

    [Fact]
    public void UnknownFamily_Throws()
    {
        Assert.Throws<ArgumentException>(() => TraceCorpus.Generate("square", 1));
    }
}
