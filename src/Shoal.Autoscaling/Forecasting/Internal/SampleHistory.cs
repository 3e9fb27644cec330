namespace Shoal.Autoscaling.Forecasting.Internal;

/// <summary>The last samples of a series in a ring, addressed by their absolute index (0 = the first sample ever).</summary>
internal sealed class SampleHistory(int capacity)
{
    private readonly double[] _values = new double[capacity];

    public long Count { get; private set; }

    public void Add(double value)
    {
        _values[Count % _values.Length] = value;
        Count++;
    }

    /// <summary>Whether sample <paramref name="index"/> was observed and is still held.</summary>
    public bool Holds(long index) => index >= 0 && index < Count && Count - index <= _values.Length;

    public double At(long index) => _values[index % _values.Length];
}
