namespace Shoal.Autoscaling.Policy.Internal;

/// <summary>Time-stamped recommendations over a sliding window, with the max and min inside it.</summary>
internal sealed class RecommendationWindow(TimeSpan length)
{
    private readonly Queue<(DateTimeOffset At, int Replicas)> _items = new();

    public void Add(DateTimeOffset at, int replicas)
    {
        _items.Enqueue((at, replicas));
        while (_items.Count > 0 && _items.Peek().At <= at - length)
        {
            _items.Dequeue();
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
