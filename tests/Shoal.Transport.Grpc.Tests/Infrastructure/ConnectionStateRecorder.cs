using Shoal.Connections;

namespace Shoal.Transport.Grpc.Tests.Infrastructure;

/// <summary>Records every state a connection reports and lets a test wait for one, with a bound.</summary>
public sealed class ConnectionStateRecorder
{
    private readonly IConnection _connection;
    private readonly List<ConnectionState> _seen = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource? _changed;

    public ConnectionStateRecorder(IConnection connection)
    {
        _connection = connection;
        connection.StateChanged += (_, state) =>
        {
            lock (_lock)
            {
                _seen.Add(state);
                _changed?.TrySetResult();
            }
        };
    }

    /// <summary>Forgets the states seen so far (the current state still counts).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _seen.Clear();
        }
    }

    public async Task WaitForAsync(ConnectionState state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_seen.Contains(state) || _connection.State == state)
                {
                    return;
                }
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed = _changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Never saw {state}; saw {string.Join(", ", _seen)}.");
            }
            await Task.WhenAny(changed, Task.Delay(left));
        }
    }
}
