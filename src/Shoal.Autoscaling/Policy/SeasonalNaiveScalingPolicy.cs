using Shoal.Autoscaling.Capacity;

namespace Shoal.Autoscaling.Policy;

/// <summary>
/// The second baseline: seasonal-naive predictive scaling as cloud "predictive scaling" offerings do it,
/// on top of the reactive HPA.
/// </summary>
/// <remarks>
/// <para>
/// The forecast for the window a replica asked for now will serve is the higher of the load at the same
/// time one day ago and one week ago (whichever history exists). It sets a floor, ceil(forecast /
/// (capacity × target)), under the HPA's own decision at the same target, the way a forecast-driven
/// minimum capacity works together with target tracking. Before a day of history it is the HPA alone.
/// </para>
/// <para>Memory: one value per history interval for a week (10,080 doubles at one minute).</para>
/// </remarks>
public sealed class SeasonalNaiveScalingPolicy : IScalingPolicy
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private readonly SeasonalNaiveOptions _options;
    private readonly ICapacityModel _capacity;
    private readonly HpaScalingPolicy _reactive;
    private readonly double[] _history;
    private readonly int _ticksPerWindow;
    private readonly long _dayWindows;
    private readonly long _weekWindows;
    private long _windows;
    private long _ticks;
    private double _sum;
    private int _inWindow;

    /// <summary>Creates the baseline.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="capacity">The capacity of one replica.</param>
    public SeasonalNaiveScalingPolicy(SeasonalNaiveOptions options, ICapacityModel capacity)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _capacity = capacity ?? throw new ArgumentNullException(nameof(capacity));
        _ticksPerWindow = Math.Max(1, (int)Math.Round(options.HistoryInterval / options.ControlInterval));
        var window = options.ControlInterval * _ticksPerWindow;
        _dayWindows = (long)Math.Round(Day / window);
        _weekWindows = (long)Math.Round(Week / window);
        _history = new double[_weekWindows + 1];
        _reactive = new HpaScalingPolicy(
            new HpaOptions { TargetUtilisation = options.TargetUtilisation, MinReplicas = options.MinReplicas, MaxReplicas = options.MaxReplicas },
            capacity);
    }

    /// <inheritdoc/>
    public string Name => FormattableString.Invariant($"seasonal-naive-{_options.TargetUtilisation * 100:0}%");

    /// <inheritdoc/>
    public ScalingDecision Decide(ScalingInput input)
    {
        var load = Math.Max(0, double.IsFinite(input.RequestsPerSecond) ? input.RequestsPerSecond : 0);
        Remember(load);
        var reactive = _reactive.Decide(input);
        var forecast = Forecast();
        var capacity = _capacity.RequestsPerSecondPerInstance;
        var floor = (int)Math.Ceiling((forecast / (capacity * _options.TargetUtilisation)) - 1e-9);
        var desired = Math.Clamp(Math.Max(reactive.Desired, floor), _options.MinReplicas, _options.MaxReplicas);
        var reason = desired > reactive.Desired ? ScalingReason.ScaleUpForecast : reactive.Reason;
        return reactive with { Policy = Name, Forecast = Math.Max(forecast, load), Recommended = Math.Max(reactive.Recommended, floor), Desired = desired, Reason = reason };
    }

    private void Remember(double load)
    {
        _sum += load;
        _inWindow++;
        _ticks++;
        if (_inWindow < _ticksPerWindow)
        {
            return;
        }

        _history[_windows % _history.Length] = _sum / _inWindow;
        _windows++;
        _sum = 0;
        _inWindow = 0;
    }

    /// <summary>The highest day-ago or week-ago load over the windows a replica asked for now would serve.</summary>
    private double Forecast()
    {
        // Ticks elapsed so far = _ticks; the span served is [now + lead, now + lead + one tick).
        var from = (_ticks * _options.ControlInterval) + _options.LeadTime;
        var to = from + _options.ControlInterval - TimeSpan.FromTicks(1);
        var window = _options.ControlInterval * _ticksPerWindow;
        var first = (long)(from / window);
        var last = (long)(to / window);
        var forecast = 0.0;
        for (var w = first; w <= last; w++)
        {
            forecast = Math.Max(forecast, Past(w - _dayWindows));
            forecast = Math.Max(forecast, Past(w - _weekWindows));
        }

        return forecast;
    }

    private double Past(long window) => window >= 0 && window < _windows && _windows - window <= _history.Length ? _history[window % _history.Length] : 0;
}
