using System.Diagnostics;
using Grpc.Core;
using Hello;

namespace Shoal.FunctionalTests.Support;

/// <summary>
/// Callers calling SayHello back to back through one client until stopped, each call recorded
/// with the instance that answered (its <c>x-instance-id</c> trailer).
/// </summary>
public sealed class CallLoad : IAsyncDisposable
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(10);

    private readonly Greeter.GreeterClient _client;
    private readonly CallLog[] _records;
    private readonly Task[] _callers;
    private volatile bool _stopping;

    private CallLoad(Greeter.GreeterClient client, int callers)
    {
        _client = client;
        var instances = new CallLog.InstanceTable();
        _records = [.. Enumerable.Range(0, callers).Select(_ => new CallLog(instances))];
        _callers = [.. Enumerable.Range(0, callers).Select(i => Task.Run(() => RunAsync(_records[i])))];
    }

    /// <summary>Starts <paramref name="callers"/> callers.</summary>
    public static CallLoad Start(Greeter.GreeterClient client, int callers) => new(client, callers);

    /// <summary>The calls that started in [<paramref name="from"/>, <paramref name="to"/>) (Stopwatch timestamps; <paramref name="to"/> null: until now).</summary>
    public List<CallRecord> Between(long from, long? to = null)
    {
        var end = to ?? long.MaxValue;
        var result = new List<CallRecord>();
        foreach (var log in _records)
        {
            log.CopyBetween(from, end, result);
        }
        return result;
    }

    /// <summary>Waits until a call answered by <paramref name="instanceId"/> started at or after <paramref name="from"/>; returns that call's start, or null after <paramref name="timeout"/>.</summary>
    public async Task<long?> WaitForInstanceAsync(string instanceId, long from, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var first = _records.Select(log => log.FirstStartOf(instanceId, from)).Where(s => s is not null).Min();
            if (first is not null || Stopwatch.GetTimestamp() > deadline)
            {
                return first;
            }
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until <paramref name="count"/> calls that started at or after <paramref name="from"/> have finished, or <paramref name="timeout"/> has passed; returns how many have.</summary>
    public async Task<int> WaitForCallsAsync(long from, int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var finished = Between(from).Count;
            if (finished >= count || Stopwatch.GetTimestamp() > deadline)
            {
                return finished;
            }
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the callers; calls in flight finish.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        await Task.WhenAll(_callers).WaitAsync(CallDeadline + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        try
        {
            await Task.WhenAll(_callers).WaitAsync(CallDeadline + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The channel's disposal ends them.
        }
    }

    private async Task RunAsync(CallLog records)
    {
        var request = new HelloRequest { Name = "functional" };
        while (!_stopping)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                using var call = _client.SayHelloAsync(request, deadline: DateTime.UtcNow + CallDeadline);
                await call.ResponseAsync.ConfigureAwait(false);
                records.Add(start, Stopwatch.GetTimestamp(), call.GetTrailers().GetValue("x-instance-id"), null, null);
            }
            catch (RpcException ex)
            {
                records.Add(start, Stopwatch.GetTimestamp(), null, ex.StatusCode, ex.Status.Detail, Shoal.Errors.CallNotStarted.Is(ex.Status));
            }
        }
    }
}
