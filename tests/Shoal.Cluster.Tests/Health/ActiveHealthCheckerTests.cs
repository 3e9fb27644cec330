using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.Health;
using Shoal.Cluster.Tests.Fakes;
using static Shoal.Cluster.Tests.Fakes.TestInstances;

namespace Shoal.Cluster.Tests.Health;

public sealed class ActiveHealthCheckerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeConnectionFactory _factory = new();
    private readonly Dictionary<int, Func<TestCall, Task<object>>> _answers = [];
    private ClusterDirectory _directory = null!;

    public Task InitializeAsync()
    {
        _factory.Handler = call => _answers[call.Address.Port](call);
        _directory = new ClusterDirectory(Service, new FakeResolver(), [_factory], timeProvider: _time);
        _directory.Apply(Set(1, Instance(7000), Instance(7010)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _directory.DisposeAsync();

    private static Func<TestCall, Task<object>> Answer(HealthCheckResponse.Types.ServingStatus status)
        => _ => Task.FromResult<object>(new HealthCheckResponse { Status = status });

    [Fact]
    public async Task NotServing_EndpointLeavesSnapshot_AndReturnsWhenServingAgain()
    {
        _answers[7000] = Answer(HealthCheckResponse.Types.ServingStatus.Serving);
        _answers[7010] = Answer(HealthCheckResponse.Types.ServingStatus.NotServing);
        await using var checker = new ActiveHealthChecker(_directory, new HealthCheckOptions { Enabled = true }, _time);

        await checker.CheckAllAsync().WithTimeout();
        Assert.Equal(7000, Assert.Single(_directory.Snapshot.Ready).Address.Port);

        _answers[7010] = Answer(HealthCheckResponse.Types.ServingStatus.Serving);
        await checker.CheckAllAsync().WithTimeout();
        Assert.Equal(2, _directory.Snapshot.Ready.Length);
    }

    [Fact]
    public async Task Check_SendsTheServiceNameOverTheEndpointsOwnInvoker()
    {
        _answers[7000] = Answer(HealthCheckResponse.Types.ServingStatus.Serving);
        _answers[7010] = Answer(HealthCheckResponse.Types.ServingStatus.Serving);
        await using var checker = new ActiveHealthChecker(_directory, new HealthCheckOptions { Enabled = true }, _time);

        await checker.CheckAllAsync().WithTimeout();

        var received = Assert.Single(_factory[Native(7000).ToString()].TestInvoker.Received);
        Assert.Equal("/grpc.health.v1.Health/Check", received.Method);
        Assert.Equal(Service, ((HealthCheckRequest)received.Request!).Service);
    }

    [Fact]
    public async Task NoHealthService_CountsAsHealthy()
    {
        _answers[7000] = _ => Task.FromException<object>(new RpcException(new Status(StatusCode.Unimplemented, "no")));
        _answers[7010] = _ => Task.FromException<object>(new RpcException(new Status(StatusCode.Unavailable, "down")));
        await using var checker = new ActiveHealthChecker(_directory, new HealthCheckOptions { Enabled = true }, _time);

        await checker.CheckAllAsync().WithTimeout();

        Assert.Equal(7000, Assert.Single(_directory.Snapshot.Ready).Address.Port);
    }

    [Fact]
    public async Task Start_RunsChecksOnTheInterval()
    {
        var checkedOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _answers[7000] = Answer(HealthCheckResponse.Types.ServingStatus.Serving);
        _answers[7010] = _ =>
        {
            checkedOnce.TrySetResult();
            return Task.FromResult<object>(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.NotServing });
        };
        await using var checker = new ActiveHealthChecker(_directory, new HealthCheckOptions { Enabled = true, Interval = TimeSpan.FromSeconds(5) }, _time);

        checker.Start();
        await Wait.UntilAsync(() =>
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            return checkedOnce.Task.IsCompleted;
        }, "the first health check");

        await Wait.UntilAsync(() => _directory.Snapshot.Ready.Length == 1, "the unhealthy endpoint to leave");
    }
}
