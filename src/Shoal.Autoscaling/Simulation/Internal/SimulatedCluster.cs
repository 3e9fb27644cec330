namespace Shoal.Autoscaling.Simulation.Internal;

/// <summary>
/// The replicas of the simulated cluster: starting (ready at a known time), ready, and draining
/// (no longer serving, still costing until a known time).
/// </summary>
internal sealed class SimulatedCluster(TimeSpan startup, TimeSpan drain)
{
    // Starting replicas in decision order; the newest are cancelled first on scale-down.
    private readonly List<TimeSpan> _starting = [];
    private readonly Queue<TimeSpan> _draining = new();

    public int Ready { get; private set; }

    public int Starting => _starting.Count;

    public int Draining => _draining.Count;

    /// <summary>Ready plus starting: what the policy asked for (a Deployment's spec.replicas).</summary>
    public int Current => Ready + _starting.Count;

    /// <summary>Every replica that costs: starting, ready and draining.</summary>
    public int Running => Current + _draining.Count;

    public void StartReady(int replicas) => Ready = replicas;

    /// <summary>Moves replicas whose startup or drain finished by <paramref name="now"/>.</summary>
    public void Advance(TimeSpan now)
    {
        var promoted = _starting.RemoveAll(at => at <= now);
        Ready += promoted;
        while (_draining.Count > 0 && _draining.Peek() <= now)
        {
            _draining.Dequeue();
        }
    }

    /// <summary>Carries out a decision taken at <paramref name="now"/>.</summary>
    public void ScaleTo(int desired, TimeSpan now)
    {
        var current = Current;
        for (var i = current; i < desired; i++)
        {
            _starting.Add(now + startup);
        }

        var excess = current - desired;
        while (excess > 0 && _starting.Count > 0)
        {
            // A replica that is not ready yet holds no calls: stop it at once.
            _starting.RemoveAt(_starting.Count - 1);
            excess--;
        }

        for (; excess > 0 && Ready > 0; excess--)
        {
            Ready--;
            if (drain > TimeSpan.Zero)
            {
                _draining.Enqueue(now + drain);
            }
        }
    }
}
