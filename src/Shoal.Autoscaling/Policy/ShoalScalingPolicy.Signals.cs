namespace Shoal.Autoscaling.Policy;

/// <summary>The surge and plunge rules, the prediction interval and the headroom of <see cref="ShoalScalingPolicy"/>.</summary>
public sealed partial class ShoalScalingPolicy
{
    /// <summary>
    /// When the load now is outside the forecast's prediction interval for the current window (a surge
    /// the forecaster did not see coming), assume the jump since the last window goes on at the same
    /// pace per window up to the window the replicas asked for now will serve; 0 otherwise. Once detected, the surge goes on
    /// being extrapolated while the load keeps rising (<see cref="ShoalPolicyOptions.SurgeContinuation"/>).
    /// </summary>
    /// <param name="load">The load of the tick that just ended.</param>
    /// <param name="spikeOver">Set when a surge has just ended with the load back where it was before it.</param>
    private double SurgeProjection(double load, out bool spikeOver)
    {
        spikeOver = false;
        if (_windowsCompleted < 2)
        {
            return 0;
        }

        var previous = _lastWindowMean;
        var expected = _nextWindowForecast;
        if (load <= previous)
        {
            if (_surging)
            {
                _surging = false;
                spikeOver = _options.CancelSpikeReplicas && load <= _surgeBase * (1 + WindowHeadroom());
            }

            return 0;
        }

        var outside = load > expected * (1 + WindowHeadroom());
        if (!outside)
        {
            _recoveryCeiling = 0;
        }

        // The way back to the level held before a plunge is a recovery, not a surge.
        var ceiling = _plungeSince is not null ? _plungeBase * (2 - _plungeLower) : _recoveryCeiling;
        if (load <= ceiling || (!outside && !(_surging && _options.SurgeContinuation)))
        {
            return 0;
        }

        if (!_surging)
        {
            _surging = true;
            _surgeBase = previous;
        }

        // The jump goes on at the same pace per window up to the window of the last tick the replicas
        // asked for now will serve (counted from this tick's window, which this tick has not yet joined).
        var untilServedEnd = ((_ticksInWindow + 1) * _options.ControlInterval) + _options.LeadTime + _options.ControlInterval - TimeSpan.FromTicks(1);
        var windowsAhead = Math.Floor(untilServedEnd / _options.ForecastInterval);
        return load + ((load - previous) * windowsAhead);
    }

    /// <summary>
    /// Whether the load has collapsed below the lower edge of the forecast's one-window prediction
    /// interval, and not longer ago than one stabilisation window (<see cref="ShoalPolicyOptions.HoldThroughPlunges"/>).
    /// </summary>
    /// <param name="load">The load of the tick that just ended.</param>
    /// <param name="now">The time.</param>
    /// <param name="spikeOver">Whether a spike has just ended: the fall back from it is not a collapse.</param>
    private bool Plunging(double load, DateTimeOffset now, bool spikeOver)
    {
        if (!_options.HoldThroughPlunges || _windowsCompleted < 2)
        {
            return false;
        }

        var lower = 1 + WindowLowerEdge();
        if (spikeOver)
        {
            _afterSpike = true;
        }

        if (_afterSpike)
        {
            // The forecast still carries the spike; a collapse is judged again once it has come down.
            _afterSpike = load < _nextWindowForecast * lower;
            return false;
        }

        if (_plungeSince is { } since)
        {
            // Judged against the interval as it was when the plunge began: its own ticks widen it.
            if (load < _plungeBase * _plungeLower && now - since < _options.ScaleDownStabilisation)
            {
                return true;
            }

            // Recovered (until the forecast has caught up, the way back is no surge), or held for a
            // whole window: from now on the load is what it is.
            _recoveryCeiling = load >= _plungeBase * _plungeLower ? _plungeBase * (2 - _plungeLower) : 0;
            _plungeSince = null;
            return false;
        }

        if (load >= _nextWindowForecast * lower)
        {
            return false;
        }

        _plungeSince = now;
        _plungeLower = lower;
        _plungeBase = Math.Max(_lastWindowMean, _nextWindowForecast);
        return true;
    }

    /// <summary>The headroom for predictions ending <paramref name="steps"/> windows ahead: a high quantile of their recent errors.</summary>
    private double Headroom(int steps)
    {
        if (_spanErrors.Count(steps) < _options.MinErrorSamples)
        {
            return _options.InitialHeadroom;
        }

        var count = _spanErrors.Count(steps);
        var needed = 1 / (1 - _options.HeadroomQuantile);
        var floor = count < needed ? _options.InitialHeadroom * (1 - (count / needed)) : 0;
        return Math.Clamp(Math.Max(floor, _spanErrors.Quantile(steps, _options.HeadroomQuantile)), _options.MinHeadroom, _options.MaxHeadroom);
    }

    /// <summary>The upper edge of a tick's prediction interval around its window's forecast, as a fraction of the forecast.</summary>
    private double WindowHeadroom() =>
        _tickDeviations.Count < _options.MinErrorSamples ? _options.InitialHeadroom : Math.Max(_options.MinHeadroom, _tickDeviations.Upper);

    /// <summary>The lower edge of a tick's prediction interval around its window's forecast, as a (negative) fraction of the forecast.</summary>
    private double WindowLowerEdge() =>
        _tickDeviations.Count < _options.MinErrorSamples ? -_options.InitialHeadroom : Math.Min(-_options.MinHeadroom, _tickDeviations.Lower);
}
