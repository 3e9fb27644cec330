namespace Shoal.Fuzzing.Infrastructure;

/// <summary>Counts the service's handlers that are running, so a run can wait until every one has returned.</summary>
internal sealed class HandlerTracker
{
    private readonly Lock _lock = new();
    private int _running;
    private TaskCompletionSource? _idle;

    public void Enter()
    {
        lock (_lock)
        {
            _running++;
        }
    }

    public void Exit()
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            if (--_running == 0)
            {
                idle = _idle;
                _idle = null;
            }
        }
        idle?.TrySetResult();
    }

    /// <summary>Completes when no handler is running.</summary>
    public Task WhenIdle()
    {
        lock (_lock)
        {
            if (_running == 0)
            {
                return Task.CompletedTask;
            }
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }
}
