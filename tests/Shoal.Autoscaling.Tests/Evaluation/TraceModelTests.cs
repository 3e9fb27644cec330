using Shoal.Autoscaling.Simulation.Corpus;

namespace Shoal.Autoscaling.Tests.Evaluation;

public sealed class TraceModelTests
{
    [Fact]
    public void Model_IsTheTraceWithoutItsNoise()
    {
        foreach (var family in TraceCorpus.Families)
        {
            foreach (var seed in new[] { 1, 2 })
            {
                var counts = TraceCorpus.Generate(family, seed).Counts;
                var model = TraceCorpus.Model(family, seed);

                Assert.Equal(counts.Count, model.Minutes);
                // Drift and minute noise are a few percent (heavy-tail's minute noise up to 12%): the median minute is that close to the shape.
                var bound = family == "heavy-tail" ? 0.2 : 0.1;
                var errors = Enumerable.Range(0, counts.Count).Select(m => Math.Abs(Math.Log((counts[m] + 1) / ((model.Rate(m) * 60) + 1)))).Order().ToArray();
                Assert.True(errors[errors.Length / 2] < bound, $"{family}/{seed}: median |log(count / shape)| {errors[errors.Length / 2]:F3}");
            }
        }
    }

    [Fact]
    public void Model_KnowsWhatTheNoiseIsButNotItsDraws()
    {
        var heavy = TraceCorpus.Model("heavy-tail", 2);
        var typical = TraceCorpus.Model("diurnal", 2);

        Assert.InRange(heavy.TailDof!.Value, 1.5, 3);
        Assert.InRange(heavy.MinuteSigma, 0.05, 0.12);
        Assert.Null(typical.TailDof);
        Assert.InRange(typical.MinuteSigma, 0.02, 0.06);
        Assert.Empty(heavy.Events);
        Assert.Empty(typical.Events);
    }

    [Theory]
    [InlineData("flash-crowd", "crowd", 5, 2.2)]
    [InlineData("level-shift-up", "shift", 3, 1.35)]
    [InlineData("on-off-batch", "batch", 0, 2.2)]
    public void EventOnsets_AreWhereTheTraceJumps(string family, string kind, int settle, double jump)
    {
        foreach (var seed in Enumerable.Range(1, 6))
        {
            var counts = TraceCorpus.Generate(family, seed).Counts;
            var model = TraceCorpus.Model(family, seed);
            Assert.NotEmpty(model.Events);
            foreach (var e in model.Events.Where(e => e.Onset >= 1 && e.Onset + settle < model.Minutes))
            {
                Assert.Equal(kind, e.Kind);
                // Against the shape the minute before the onset, the load is at it then, and well above it once
                // the event has settled.
                var before = 60 * model.Rate(e.Onset - 1);
                Assert.InRange(counts[e.Onset - 1] / before, 0.75, 1.3);
                Assert.True(counts[e.Onset + settle] / before > jump, $"{family}/{seed} at {e.Onset}: {counts[e.Onset + settle] / before:F2}");
            }
        }
    }

    [Fact]
    public void Rate_WithABatchToCome_CountsItOverItsScheduledWindowOnly()
    {
        var model = TraceCorpus.Model("on-off-batch", 2);
        var onset = model.Events[3].Onset;
        var next = model.Events[4].Onset;

        // Not yet begun, a batch is expected from at most six minutes (two jitters) before its onset on,
        // and not half-way to the next batch.
        Assert.True(model.Rate(onset, onset - 1) > 2 * model.Rate(onset - 1));
        Assert.Equal(model.Rate(onset - 7, onset - 8), model.Rate(onset - 7), 9);
        var between = (model.Events[3].Onset + next) / 2;
        Assert.True(model.Rate(between, between - 1) < 1.5 * model.Rate(onset - 1));
    }

    [Fact]
    public void Rate_WithTheEventsKnownSoFar_LeavesOutOnlyTheEventsToCome()
    {
        var model = TraceCorpus.Model("flash-crowd", 2);
        var second = model.Events[1].Onset;

        // Before the second crowd, knowing only the first changes nothing; from it on, the second is missing.
        for (var m = 0; m < second; m++)
        {
            Assert.Equal(model.Rate(m), model.Rate(m, second - 1));
        }

        Assert.True(model.Rate(second + 5) > 2 * model.Rate(second + 5, second - 1));
        Assert.Equal(model.Rate(second + 5), model.Rate(second + 5, second));
    }
}
