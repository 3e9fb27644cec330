namespace Shoal.Autoscaling.Policy.Internal;

/// <summary>
/// The replica counts planned over the last stabilisation window, and the top of their hysteresis band:
/// the policy scales in only when the current count is above every band of the window, and then to the
/// highest count planned in it.
/// </summary>
internal sealed class StabilisationWindow(TimeSpan length)
{
    private readonly Queue<(DateTimeOffset At, int Planned, int Band)> _items = new();

    public void Add(DateTimeOffset at, int planned, int band)
    {
        _items.Enqueue((at, planned, Math.Max(planned, band)));
        while (_items.Count > 1 && _items.Peek().At <= at - length)
        {
            _items.Dequeue();
        }
    }

    public int MaxPlanned => _items.Max(i => i.Planned);

    public int MaxBand => _items.Max(i => i.Band);
}
