using Grpc.Core;
using Hello;
using Shoal.Client;

namespace Shoal.Autoscaling.Hosting.Tests.Infrastructure;

/// <summary>Calls one Greeter back to back until stopped (at most one call in flight, bounded by the cluster timeout).</summary>
public sealed class LoadLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new(TestCluster.Timeout * 2);
    private readonly ShoalChannel _channel;
    private readonly Task _run;
    private long _calls;

    public LoadLoop(string target, StatusCode? fail = null)
    {
        _channel = ShoalChannel.ForTarget(target);
        var client = new Greeter.GreeterClient(_channel);
        var headers = fail is { } code ? new Metadata { { GreeterHeaders.FailCode, code.ToString() } } : new Metadata();
        _run = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await client.SayHelloAsync(new HelloRequest { Name = "load" }, headers, DateTime.UtcNow.AddSeconds(10), _stop.Token);
                }
                catch (RpcException)
                {
                    // Failures were asked for, or the host is stopping.
                }
                Interlocked.Increment(ref _calls);
            }
        });
    }

    public long Calls => Interlocked.Read(ref _calls);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TestCluster.Timeout);
        }
        catch (OperationCanceledException)
        {
        }
        await _channel.DisposeAsync();
        _stop.Dispose();
    }
}
