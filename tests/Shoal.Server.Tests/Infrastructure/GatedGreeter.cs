using Grpc.Core;
using Hello;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>A Greeter whose call signals when it has started and then waits until the test releases it.</summary>
public sealed class GatedGreeter : Greeter.GreeterBase
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Started => _started.Task;

    public void Release() => _release.TrySetResult();

    public override async Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        _started.TrySetResult();
        // Not bound to the call's token: the point is to finish after shutdown began.
        await _release.Task.WaitAsync(TestHost.Timeout);
        return new HelloReply { Message = "Hello " + request.Name };
    }
}
