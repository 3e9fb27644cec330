namespace Shoal.Autoscaling.Simulation.Corpus.Internal;

/// <summary>The families whose shape is driven by events: crowds, launches, shifts, batches, teeth, heavy tails.</summary>
internal static partial class CorpusFamilies
{
    /// <summary>
    /// Four days of a mild daily cycle with 4-7 flash crowds at random times: each rises to 3-10x the load
    /// within 1-5 minutes, holds 10-60 minutes and decays with a time constant of 10-60 minutes.
    /// </summary>
    private static FamilyShape FlashCrowd(TraceRandom random)
    {
        const int minutes = 4 * 1440;
        var baseline = random.LogUniform(100, 700);
        var profile = new DailyProfile(random, 0.3, 0.6);
        var count = random.Integer(4, 7);
        var slot = minutes / count;
        var crowds = Enumerable.Range(0, count).Select(i => (
            Start: (i * slot) + random.Integer(60, slot - 240),
            Factor: random.Uniform(3, 10),
            Rise: random.Integer(1, 5),
            Hold: random.Integer(10, 60),
            Decay: random.Uniform(10, 60))).ToArray();
        TraceEvent[] events = [.. crowds.Select(c => new TraceEvent("crowd", c.Start))];
        return new FamilyShape(minutes, (m, known) =>
        {
            var factor = 1.0;
            for (var i = 0; i < crowds.Length; i++)
            {
                var c = crowds[i];
                var t = m - c.Start;
                if (t < 0 || !known(events[i]))
                {
                    continue;
                }

                var shape = t < c.Rise ? (t + 1.0) / (c.Rise + 1.0)
                    : t < c.Rise + c.Hold ? 1.0
                    : Math.Exp(-(t - c.Rise - c.Hold) / c.Decay);
                factor = Math.Max(factor, 1 + ((c.Factor - 1) * shape));
            }

            return baseline * profile.At(m) * factor;
        }, events, NoiseModel.Typical(random));
    }

    /// <summary>
    /// Four days: a small service until a launch at 0.5-1.5 days, then an S-shaped climb over 1-12 hours to
    /// 4-15x, sometimes with a launch-day bump (1.2-1.6x, fading over 2-8 hours), on a daily cycle throughout.
    /// </summary>
    private static FamilyShape LaunchRamp(TraceRandom random)
    {
        var before = random.LogUniform(40, 400);
        var profile = new DailyProfile(random, 0.3, 0.6);
        var launch = random.Uniform(0.5, 1.5) * 1440;
        var ramp = random.Uniform(1, 12) * 60;
        var growth = random.Uniform(4, 15);
        var bump = random.Chance(0.5) ? random.Uniform(0.2, 0.6) : 0;
        var fade = random.Uniform(2, 8) * 60;
        var onset = new TraceEvent("launch", (int)Math.Ceiling(launch));
        return new FamilyShape(4 * 1440, (m, known) =>
        {
            if (!known(onset))
            {
                return before * profile.At(m);
            }

            // A logistic from 1 to `growth`, centred half-way through the ramp.
            var progress = 1 / (1 + Math.Exp(-10 * ((m - launch) / ramp - 0.5)));
            var level = 1 + ((growth - 1) * progress);
            var after = m - (launch + ramp);
            var extra = after > 0 ? 1 + (bump * Math.Exp(-after / fade)) : 1 + (bump * progress);
            return before * level * extra * profile.At(m);
        }, [onset], NoiseModel.Typical(random));
    }

    /// <summary>Five days of a daily cycle with one permanent shift (x1.5-3 up, or x0.3-0.65 down) at 1.5-3.5 days, over 0-3 minutes.</summary>
    private static FamilyShape LevelShift(TraceRandom random, bool up)
    {
        var peak = random.LogUniform(up ? 200 : 400, up ? 2500 : 6000);
        var profile = new DailyProfile(random, 0.15, 0.5);
        var at = (int)(random.Uniform(1.5, 3.5) * 1440);
        var length = random.Integer(0, 3);
        var factor = up ? random.Uniform(1.5, 3) : random.Uniform(0.3, 0.65);
        var shift = new TraceEvent("shift", at);
        return new FamilyShape(5 * 1440, (m, known) =>
        {
            var progress = m < at || !known(shift) ? 0 : m >= at + length ? 1 : (m - at + 1.0) / (length + 1);
            return peak * profile.At(m) * (1 + ((factor - 1) * progress));
        }, [shift], NoiseModel.Typical(random));
    }

    /// <summary>Five days of a daily cycle under heavy-tailed minute noise: Student-t with 1.5-3 degrees of freedom in log space, scale 5-12%.</summary>
    private static FamilyShape HeavyTail(TraceRandom random)
    {
        var peak = random.LogUniform(400, 5000);
        var profile = new DailyProfile(random, 0.15, 0.5);
        var noise = new NoiseModel(random.Uniform(0.005, 0.015), random.Uniform(0.05, 0.12), random.Uniform(1.5, 3));
        return FamilyShape.Steady(5 * 1440, m => peak * profile.At(m), noise);
    }

    /// <summary>
    /// Three days of a background load with batch jobs on top: one every 30-240 minutes, running 15-60% of
    /// that, 2-15x the background, each start and stop jittered by up to 3 minutes.
    /// </summary>
    private static FamilyShape OnOffBatch(TraceRandom random)
    {
        const int minutes = 3 * 1440;
        var background = random.LogUniform(60, 400);
        var profile = new DailyProfile(random, 0.4, 0.8);
        var amplitude = background * random.Uniform(2, 15);
        var period = random.Integer(30, 240);
        var duration = Math.Max(5, (int)(random.Uniform(0.15, 0.6) * period));
        var jitter = random.Integer(0, 3);
        var offset = random.Integer(0, period - 1);
        // The batch running at each minute (-1: none), and the batch whose scheduled window covers it: from
        // its start as early as the jitter allows to its stop as late (both jitters add up); a batch ends
        // before the next one's earliest start, so neither overlaps.
        var batch = new int[minutes];
        var scheduled = new int[minutes];
        Array.Fill(batch, -1);
        Array.Fill(scheduled, -1);
        var events = new List<TraceEvent>();
        for (var start = offset; start < minutes; start += period)
        {
            var from = start + random.Integer(-jitter, jitter);
            var to = from + duration + random.Integer(-jitter, jitter);
            if (Math.Max(0, from) >= Math.Min(minutes, to))
            {
                continue;
            }

            events.Add(new TraceEvent("batch", Math.Max(0, from)));
            for (var m = Math.Max(0, from); m < Math.Min(minutes, to); m++)
            {
                batch[m] = events.Count - 1;
            }

            for (var m = Math.Max(0, start - jitter); m < Math.Min(minutes, start + duration + (2 * jitter)); m++)
            {
                scheduled[m] = events.Count - 1;
            }
        }

        // A batch not yet known is provisioned for over its scheduled window: the schedule is the family's
        // deterministic part, the jitter is not.
        return new FamilyShape(
            minutes,
            (m, known) => (background * profile.At(m))
                + ((batch[m] >= 0 && known(events[batch[m]])) || (scheduled[m] >= 0 && !known(events[scheduled[m]])) ? amplitude : 0),
            events,
            NoiseModel.Typical(random));
    }

    /// <summary>
    /// Two days of a sawtooth with a period of 20-180 minutes between 5-30% and 100%: a slow climb and a
    /// fall within 1-5 minutes, or (half the traces) the reverse, a jump and a slow decline.
    /// </summary>
    private static FamilyShape Sawtooth(TraceRandom random)
    {
        var peak = random.LogUniform(400, 5000);
        var period = random.Integer(20, 180);
        var low = random.Uniform(0.05, 0.3);
        var fast = Math.Min(random.Integer(1, 5), period / 4);
        var jumpFirst = random.Chance(0.5);
        return FamilyShape.Steady(2 * 1440, m =>
        {
            var phase = m % period;
            double shape;
            if (jumpFirst)
            {
                shape = phase < fast ? (phase + 1.0) / fast : 1 - ((phase - fast + 1.0) / (period - fast));
            }
            else
            {
                shape = phase < period - fast ? (phase + 1.0) / (period - fast) : 1 - ((phase - (period - fast) + 1.0) / fast);
            }

            return peak * (low + ((1 - low) * Math.Clamp(shape, 0, 1)));
        }, NoiseModel.Typical(random));
    }
}
