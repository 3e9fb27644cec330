using Grpc.Core;
using Shoal.Client.Cluster;
using Shoal.Cluster.Tests.Fakes;
using Shoal.Errors;

namespace Shoal.Cluster.Tests.FaultTolerance;

/// <summary>
/// The contract of a unary call's end, one table run on every path a unary call can take: how the
/// first attempt ended decides the status the caller sees, whether the endpoint is charged a
/// failure, and whether another attempt may follow. Two instances; every attempt after the first
/// answers OK, so a call that was retried ends OK.
/// </summary>
public sealed class UnaryOutcomeContractTests
{
    /// <summary>How the first attempt ends.</summary>
    public enum Ending
    {
        Ok,
        ServerUnavailable,
        ServerInternal,
        ServerNotFound,
        ServerDeadlineExceeded,
        ServerCancelled,
        CallerCancelled,
        DeadlinePassed,
        NotStarted,
        BrokenAfterSending,
    }

    /// <summary>When another attempt may follow a failed first one.</summary>
    public enum Retry
    {
        Never,
        IdempotentOnly,
        EvenIfNotIdempotent,
    }

    /// <summary>The ways a unary call reaches its outcome.</summary>
    public enum CallPath
    {
        /// <summary>Failfast on an observing connection: the caller gets the connection's own call, the connection reports its end.</summary>
        DirectFailfast,

        /// <summary>Failover on a method that is not idempotent, observing connection: direct, a refused call comes back to be sent elsewhere.</summary>
        DirectFailover,

        /// <summary>Failover on an idempotent method: the first attempt on the fast path, the strategy after a failure.</summary>
        FastPathFailover,

        /// <summary>Hedging on an idempotent method (the hedge delay never passes): the whole strategy path.</summary>
        StrategyHedging,
    }

    private static readonly Dictionary<Ending, (StatusCode Seen, bool Charged, Retry Retry)> Rules = new()
    {
        [Ending.Ok] = (StatusCode.OK, false, Retry.Never),
        [Ending.ServerUnavailable] = (StatusCode.Unavailable, true, Retry.IdempotentOnly),
        [Ending.ServerInternal] = (StatusCode.Internal, true, Retry.Never),
        // An application's answer says nothing about the instance.
        [Ending.ServerNotFound] = (StatusCode.NotFound, false, Retry.Never),
        [Ending.ServerDeadlineExceeded] = (StatusCode.DeadlineExceeded, true, Retry.Never),
        // Cancelled sent by the server is the server's answer, judged by the failure codes like any
        // other (this table configures Cancelled as one); the caller's own cancellation never is.
        [Ending.ServerCancelled] = (StatusCode.Cancelled, true, Retry.Never),
        [Ending.CallerCancelled] = (StatusCode.Cancelled, false, Retry.Never),
        [Ending.DeadlinePassed] = (StatusCode.DeadlineExceeded, true, Retry.Never),
        [Ending.NotStarted] = (StatusCode.Unavailable, true, Retry.EvenIfNotIdempotent),
        [Ending.BrokenAfterSending] = (StatusCode.Unavailable, true, Retry.IdempotentOnly),
    };

    public static TheoryData<CallPath, Ending> Table()
    {
        var data = new TheoryData<CallPath, Ending>();
        foreach (var path in Enum.GetValues<CallPath>())
        {
            foreach (var ending in Enum.GetValues<Ending>())
            {
                data.Add(path, ending);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public async Task FirstAttemptEnds_OnEveryPath_TheOneRuleDecides(CallPath path, Ending ending)
    {
        var (seen, charged, retry) = Rules[ending];
        var retried = retry switch
        {
            Retry.IdempotentOnly => path is CallPath.FastPathFailover or CallPath.StrategyHedging,
            Retry.EvenIfNotIdempotent => path is not CallPath.DirectFailfast,
            _ => false,
        };
        await using var harness = new ClusterHarness(Options(path));
        harness.Factory.Observing = path is CallPath.DirectFailfast or CallPath.DirectFailover;
        harness.AddInstances(2);
        using var caller = new CancellationTokenSource();
        var first = 0;
        harness.Factory.Handler = _ => Interlocked.Increment(ref first) == 1 ? EndFirstAttempt(ending, caller, harness) : Task.FromResult<object>("ok");
        var options = new CallOptions(deadline: harness.Time.GetUtcNow().UtcDateTime.AddSeconds(10), cancellationToken: caller.Token);

        var (status, trailers) = await CallAsync(harness, options);

        Assert.Equal(retried ? StatusCode.OK : seen, status.StatusCode);
        Assert.Equal(retried ? 2 : 1, harness.TotalCalls);
        var endpoints = harness.Invoker.Snapshot.Ready;
        Assert.Equal(charged ? 1 : 0, endpoints.Sum(e => e.ConsecutiveFailures));
        Assert.All(endpoints, e => Assert.Equal(0, e.InFlight));
        if (!retried && seen != StatusCode.OK)
        {
            // The server's trailers reach the caller with its status.
            Assert.Equal(ending.ToString(), trailers.GetValue("x-ending"));
        }
    }

    [Theory]
    [InlineData(CallPath.DirectFailfast)]
    [InlineData(CallPath.FastPathFailover)]
    [InlineData(CallPath.StrategyHedging)]
    public async Task ServerSendsCancelled_DefaultFailureCodes_NotCharged(CallPath path)
    {
        var options = Options(path);
        options.OutlierEjection.FailureStatusCodes = [];
        await using var harness = new ClusterHarness(options);
        harness.Factory.Observing = path == CallPath.DirectFailfast;
        harness.AddInstances(1);
        harness.Factory.Handler = _ => Fail(StatusCode.Cancelled, Ending.ServerCancelled);

        var (status, _) = await CallAsync(harness, default);

        Assert.Equal(StatusCode.Cancelled, status.StatusCode);
        Assert.Equal(0, Assert.Single(harness.Invoker.Snapshot.Ready).ConsecutiveFailures);
    }

    private static ClusterOptions Options(CallPath path)
    {
        var options = path switch
        {
            CallPath.DirectFailfast => ClusterHarness.PlainOptions("failfast", idempotent: true),
            CallPath.DirectFailover => ClusterHarness.PlainOptions("failover", idempotent: false),
            CallPath.FastPathFailover => ClusterHarness.PlainOptions("failover", idempotent: true),
            _ => ClusterHarness.PlainOptions("hedging", idempotent: true),
        };
        options.DefaultMethod.HedgingDelay = TimeSpan.FromHours(1);
        options.OutlierEjection.FailureStatusCodes =
            [StatusCode.Unavailable, StatusCode.Unknown, StatusCode.Internal, StatusCode.DataLoss, StatusCode.DeadlineExceeded, StatusCode.Cancelled];
        return options;
    }

    private static async Task<(Status Status, Metadata Trailers)> CallAsync(ClusterHarness harness, CallOptions options)
    {
        using var call = harness.Invoker.AsyncUnaryCall(TestMethods.Unary, null, options, "hi");
        try
        {
            await call.ResponseAsync.WithTimeout();
            return (Status.DefaultSuccess, []);
        }
        catch (RpcException ex)
        {
            return (ex.Status, ex.Trailers);
        }
    }

    /// <summary>Ends the first attempt as <paramref name="ending"/> says, the way a transport reports it.</summary>
    private static async Task<object> EndFirstAttempt(Ending ending, CancellationTokenSource caller, ClusterHarness harness)
    {
        await Task.Yield();
        switch (ending)
        {
            case Ending.Ok:
                return "ok";
            case Ending.CallerCancelled:
                await caller.CancelAsync();
                return await Fail(StatusCode.Cancelled, ending, "Call canceled by the client.");
            case Ending.DeadlinePassed:
                // The transport's deadline timer: the call's own deadline, now past.
                harness.Time.Advance(TimeSpan.FromSeconds(11));
                return await Fail(StatusCode.DeadlineExceeded, ending, "Deadline Exceeded");
            case Ending.NotStarted:
                throw new RpcException(CallNotStarted.Status("The connection closed before the call was sent."), Trailers(ending));
            case Ending.BrokenAfterSending:
                throw new RpcException(new Status(StatusCode.Unavailable, "The connection was reset.", new IOException("reset")), Trailers(ending));
            default:
                var code = ending switch
                {
                    Ending.ServerUnavailable => StatusCode.Unavailable,
                    Ending.ServerInternal => StatusCode.Internal,
                    Ending.ServerNotFound => StatusCode.NotFound,
                    Ending.ServerDeadlineExceeded => StatusCode.DeadlineExceeded,
                    _ => StatusCode.Cancelled,
                };
                return await Fail(code, ending);
        }
    }

    private static Task<object> Fail(StatusCode code, Ending ending, string detail = "from the server")
        => Task.FromException<object>(new RpcException(new Status(code, detail), Trailers(ending)));

    private static Metadata Trailers(Ending ending) => new() { { "x-ending", ending.ToString() } };
}
