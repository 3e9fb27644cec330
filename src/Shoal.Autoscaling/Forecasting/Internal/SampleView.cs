namespace Shoal.Autoscaling.Forecasting.Internal;

/// <summary>
/// The history as a forecast reads it: the observed samples, optionally followed by one provisional
/// sample (the mean of a window still in progress), which then counts as the latest.
/// </summary>
internal readonly struct SampleView(SampleHistory history, double? provisional)
{
    /// <summary>Gets the index of the latest sample (the provisional one when there is one).</summary>
    public long Last => provisional is null ? history.Count - 1 : history.Count;

    public bool Holds(long index) => (provisional is not null && index == history.Count) || history.Holds(index);

    public double this[long index] => provisional is { } p && index == history.Count ? p : history.At(index);
}
