using Hello;
using Shoal.Client.Native;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>
/// Continuations run inline on the client's read loop by default; one that blocks on another call of
/// the same connection must not deadlock it (the watchdog hands the read loop over).
/// </summary>
public sealed class InlineContinuationTests
{
    [Fact]
    public void Defaults_AsynchronousReceive_InlineContinuations()
    {
        var options = new NativeClientOptions();

        Assert.False(options.DedicatedReceiveThread);
        Assert.False(options.RunContinuationsAsynchronously);
    }

    [Fact]
    public async Task Continuation_BlocksOnAnotherCallOfTheConnection_BothComplete()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();

        // Several at once, so that blocked continuations and their successors overlap.
        var chains = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => ChainAsync(client, i))).Within(TimeSpan.FromSeconds(30));

        Assert.Equal("Hello a3 then Hello b3", chains[3]);
        // The connection still serves ordinary calls afterwards.
        Assert.Equal("Hello after", (await client.SayHelloAsync(new HelloRequest { Name = "after" }).ResponseAsync.Within()).Message);
    }

    [Fact]
    public async Task Continuation_BlocksOnACallItStarted_OtherCallsOfTheBatchGoOn()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();
        using var release = new ManualResetEventSlim();

        // The first continuation blocks until released; the calls after it must complete meanwhile. Every
        // answer comes 100 ms late, so the continuation is attached before its call can complete (one
        // attached to a completed call would run, and block, on this thread) and the answers arrive together.
        var testThread = Environment.CurrentManagedThreadId;
        var blocked = client.SayHelloAsync(new HelloRequest { Name = "slow:100" }).ResponseAsync
            .ContinueWith(_ => Environment.CurrentManagedThreadId == testThread || release.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var others = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.SayHelloAsync(new HelloRequest { Name = "slow:100" }).ResponseAsync))
            .Within(TimeSpan.FromSeconds(20));
        release.Set();

        Assert.All(others, reply => Assert.Equal("slow", reply.Message));
        Assert.True(await blocked.Within());
    }

    private static async Task<string> ChainAsync(Greeter.GreeterClient client, int i)
    {
        var first = await client.SayHelloAsync(new HelloRequest { Name = "a" + i }).ResponseAsync.ConfigureAwait(false);
        // Runs on the read loop that completed the first call, and blocks it until this call's answer arrives.
        var second = client.SayHello(new HelloRequest { Name = "b" + i }, deadline: DateTime.UtcNow.AddSeconds(20));
        return first.Message + " then " + second.Message;
    }
}
