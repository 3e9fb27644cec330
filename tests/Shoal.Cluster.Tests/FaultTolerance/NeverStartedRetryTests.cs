using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;
using Shoal.Cluster.Tests.Fakes;
using Shoal.Errors;

namespace Shoal.Cluster.Tests.FaultTolerance;

/// <summary>
/// Transparent retry of calls the server never started: failover sends them to another instance
/// even for a method that is not idempotent, and never retries one that may have reached a handler.
/// Run on plain connections (the fast path) and on connections that count calls themselves, as the
/// native transport's do.
/// </summary>
public sealed class NeverStartedRetryTests
{
    private static Task<object> Fail(Status status) => Task.FromException<object>(new RpcException(status));

    private static readonly Status Refused = CallNotStarted.Status("The server is shutting down and did not start this call.");

    /// <summary>Three instances; the first attempt of each call ends with <paramref name="first"/>, the others succeed.</summary>
    private static async Task<(Status Status, int Attempts, int Instances)> CallOnceAsync(Status first, bool observing,
        string strategy = "failover", Action<Shoal.Client.Cluster.FaultTolerance.MethodPolicy>? configure = null)
    {
        var options = ClusterHarness.PlainOptions(strategy, idempotent: false);
        configure?.Invoke(options.DefaultMethod);
        await using var harness = new ClusterHarness(options);
        harness.Factory.Observing = observing;
        var attempts = 0;
        harness.Factory.Handler = _ => Interlocked.Increment(ref attempts) == 1 ? Fail(first) : Task.FromResult<object>("ok");
        harness.AddInstances(3);

        var (_, status) = await harness.CallAsync();

        var instances = harness.Factory.Connections.Values.Count(c => c.TestInvoker.Calls > 0);
        return (status, attempts, instances);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NotIdempotent_FirstAttemptNeverStarted_SucceedsOnAnotherInstance(bool observing)
    {
        var (status, attempts, instances) = await CallOnceAsync(Refused, observing);

        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal(2, attempts);
        Assert.Equal(2, instances);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NotIdempotent_GrpcDialRefused_IsRetried(bool observing)
    {
        var dial = new Status(StatusCode.Unavailable, "Error starting gRPC call.",
            new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused)));

        var (status, attempts, _) = await CallOnceAsync(dial, observing);

        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal(2, attempts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NotIdempotent_ConnectionBrokeDuringTheCall_IsNotRetried(bool observing)
    {
        var broke = new Status(StatusCode.Unavailable, "The connection to shoal://127.0.0.1:7000 broke: the server closed the connection");

        var (status, attempts, _) = await CallOnceAsync(broke, observing);

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task NotIdempotent_GrpcResetMidCall_IsNotRetried()
    {
        var reset = new Status(StatusCode.Unavailable, "Error starting gRPC call.",
            new HttpRequestException(HttpRequestError.Unknown, "An error occurred while sending the request.",
                new IOException("The request was aborted.", new SocketException((int)SocketError.ConnectionReset))));

        var (status, attempts, _) = await CallOnceAsync(reset, observing: false);

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Equal(1, attempts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Failfast_NeverStarted_IsNotRetried(bool observing)
    {
        var (status, attempts, _) = await CallOnceAsync(Refused, observing, "failfast");

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task NoRetriesConfigured_NeverStarted_IsNotRetried()
    {
        var (status, attempts, _) = await CallOnceAsync(Refused, observing: true, configure: p => p.Retries = 0);

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task RetryableCodesWithoutUnavailable_NeverStarted_IsStillRetried()
    {
        var (status, attempts, _) = await CallOnceAsync(Refused, observing: false, configure: p => p.RetryableStatusCodes = [StatusCode.ResourceExhausted]);

        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task EveryInstanceRefuses_StopsAfterTheRetriesWithTheRefusal()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions(idempotent: false));
        harness.Factory.Handler = _ => Fail(Refused);
        harness.AddInstances(5);

        var (_, status) = await harness.CallAsync();

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.True(CallNotStarted.Is(status), status.ToString());
        Assert.Equal(3, harness.TotalCalls);
    }
}
