using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Autoscaling.Actuators.Internal;

namespace Shoal.Autoscaling.Actuators;

/// <summary>
/// The embedded actuator: runs each instance as a local process on its own port, stops removed
/// instances gracefully (SIGTERM, then SIGKILL after the grace period), and restarts an instance whose
/// process exits without being asked to.
/// </summary>
/// <remarks>
/// SIGTERM is the drain signal: Shoal's hosting deregisters the instance, stops accepting calls and
/// finishes the ones in flight before exiting. The newest instances are removed first. A restarted
/// instance keeps its id and gets a fresh port.
/// </remarks>
public sealed partial class LocalProcessActuator : IScaleActuator, IAsyncDisposable
{
    private readonly LocalProcessOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly List<SupervisedProcess> _running = [];
    private readonly List<Task> _background = [];
    private int _nextId;
    private bool _disposed;

    /// <summary>Creates the actuator; no process starts until <see cref="ScaleAsync"/>.</summary>
    /// <param name="options">What to run.</param>
    /// <param name="time">The clock for the grace period and restart delay.</param>
    /// <param name="logger">Where starts, stops and crashes are logged.</param>
    public LocalProcessActuator(LocalProcessOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.FileName);
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc/>
    public string Name => "local";

    /// <inheritdoc/>
    public event EventHandler<ScaleEvent>? Changed;

    /// <summary>Gets the running instances, oldest first.</summary>
    public IReadOnlyList<LocalInstance> Instances
    {
        get
        {
            lock (_gate)
            {
                return _running.Select(p => p.Describe()).ToArray();
            }
        }
    }

    /// <inheritdoc/>
    public Task<int> GetReplicasAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_running.Count);
        }
    }

    /// <inheritdoc/>
    public Task ScaleAsync(int replicas, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        var events = new List<ScaleEvent>();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var from = _running.Count;
            if (from == replicas)
            {
                return Task.CompletedTask;
            }

            while (_running.Count < replicas)
            {
                var started = Start($"{_options.InstancePrefix}-{++_nextId}", restarts: 0);
                _running.Add(started);
                events.Add(Event(ScaleEventKind.InstanceStarted, started.Id));
            }

            while (_running.Count > replicas)
            {
                var victim = _running[^1];
                _running.RemoveAt(_running.Count - 1);
                Track(StopAsync(victim));
            }

            events.Insert(0, new ScaleEvent(_time.GetUtcNow(), Name, ScaleEventKind.Scaled, from, replicas));
        }

        foreach (var e in events)
        {
            Changed?.Invoke(this, e);
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits until every instance being stopped or restarted has finished doing so.</summary>
    /// <returns>A task that completes when nothing is pending.</returns>
    public async Task WhenIdleAsync()
    {
        while (true)
        {
            Task[] pending;
            lock (_gate)
            {
                _background.RemoveAll(t => t.IsCompleted);
                pending = _background.ToArray();
            }

            if (pending.Length == 0)
            {
                return;
            }

            await Task.WhenAll(pending).ConfigureAwait(false);
        }
    }

    /// <summary>Stops every instance (SIGTERM, then SIGKILL after the grace period) and waits for them.</summary>
    /// <returns>A task that completes when all processes have exited.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var process in _running)
            {
                Track(StopAsync(process));
            }

            _running.Clear();
        }

        await WhenIdleAsync().ConfigureAwait(false);
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _background.Add(task);
        }
    }

    private ScaleEvent Event(ScaleEventKind kind, string? instance)
    {
        var count = _running.Count;
        return new ScaleEvent(_time.GetUtcNow(), Name, kind, count, count, instance);
    }

    private void Raise(ScaleEvent e) => Changed?.Invoke(this, e);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
