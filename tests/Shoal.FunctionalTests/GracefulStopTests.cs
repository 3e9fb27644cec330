using System.Diagnostics;
using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Shoal.FunctionalTests.Support;
using Shoal.Hosting.Client;
using Shoal.Hosting.Server;
using Xunit.Abstractions;

namespace Shoal.FunctionalTests;

/// <summary>
/// Transparent retry of calls a stopping server never started, on real sockets: two Greeter hosts
/// in this process behind a <c>static://</c> target (so no registry takes the stopping one out of
/// rotation first), 16 callers of SayHello, whose contract does not say it is idempotent, and one
/// host stopped gracefully under that load. The native server's go-away refuses the calls that
/// crossed it; Kestrel refuses new streams and then new connections.
/// </summary>
public sealed class GracefulStopTests(ITestOutputHelper output)
{
    private const int Callers = 16;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("native")]
    [InlineData("grpc")]
    public async Task Failover_ServerStopsUnderLoad_NoCallOfANonIdempotentMethodFails(string transport)
    {
        var all = await RunAsync(transport, "failover");

        Assert.True(all.Failures().Count == 0, $"calls failed: {all.Describe()}");
    }

    /// <summary>The control: failfast sends nothing twice, so the calls the stopping server refused reach the callers.</summary>
    [Theory]
    [InlineData("native")]
    [InlineData("grpc")]
    public async Task Failfast_ServerStopsUnderLoad_TheRefusedCallsFail(string transport)
    {
        var all = await RunAsync(transport, "failfast");

        Assert.True(all.Failures().Count > 0, $"no call failed, so the stop refused none: the scenario proves nothing. {all.Describe()}");
        Assert.All(all.Failures(), c => Assert.Equal(Grpc.Core.StatusCode.Unavailable, c.Failure));
    }

    private async Task<List<CallRecord>> RunAsync(string transport, string strategy)
    {
        await using var stopping = await StartGreeterAsync();
        await using var staying = await StartGreeterAsync();
        var a = stopping.GetShoalAddresses();
        var b = staying.GetShoalAddresses();
        var authorities = transport == "native" ? $"{a.Native!.Authority},{b.Native!.Authority}" : $"{a.Grpc!.Authority},{b.Grpc!.Authority}";
        await using var channel = ShoalChannel.ForTarget($"static://{authorities}?lb=round_robin&strategy={strategy}&transport={transport}");
        await using var load = CallLoad.Start(new Greeter.GreeterClient(channel), Callers);
        var start = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(1));

        await stopping.StopAsync().WaitAsync(Timeout);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await load.StopAsync();

        var all = load.Between(start);
        output.WriteLine($"{transport}, {strategy}: {all.Describe()}");
        Assert.True(all.Count > 100, $"too few calls to tell: {all.Describe()}");
        return all;
    }

    private static async Task<WebApplication> StartGreeterAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.AddShoalServer(o =>
        {
            o.TcpPort = 0;
            o.GrpcPort = 0;
        }).AddService<GreeterService>();
        var app = builder.Build();
        app.MapShoalServices();
        await app.StartAsync();
        return app;
    }
}
