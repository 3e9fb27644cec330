namespace Shoal.Autoscaling.Policy.Internal;

/// <summary>
/// Time-stamped recommendations over a sliding window, with the max and min inside it. A recommendation
/// can be marked as driven by a surge, so that it can be withdrawn when the surge proves a spike.
/// </summary>
internal sealed class RecommendationWindow(TimeSpan length)
{
    private readonly Queue<(DateTimeOffset At, int Replicas, bool Surge)> _items = new();

    public void Add(DateTimeOffset at, int replicas, bool surge = false)
    {
        _items.Enqueue((at, replicas, surge));
        while (_items.Count > 0 && _items.Peek().At <= at - length)
        {
            _items.Dequeue();
        }
    }

    /// <summary>Withdraws the recommendations a surge drove.</summary>
    public void DropSurges()
    {
        var kept = _items.Where(i => !i.Surge).ToArray();
        _items.Clear();
        foreach (var item in kept)
        {
            _items.Enqueue(item);
        }
    }

    public int Max()
    {
        var max = int.MinValue;
        foreach (var item in _items)
        {
            max = Math.Max(max, item.Replicas);
        }

        return max;
    }

    public int Min()
    {
        var min = int.MaxValue;
        foreach (var item in _items)
        {
            min = Math.Min(min, item.Replicas);
        }

        return min;
    }
}
