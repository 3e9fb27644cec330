using System.Net;
using BenchmarkDotNet.Attributes;
using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shoal.Client.Native;
using Shoal.Server.Native;

namespace Shoal.Benchmarks.Native;

/// <summary>
/// The whole native call path in one process: generated Greeter client → native client connection →
/// loopback TCP → Kestrel → native server → GreeterService and back. <c>UnaryCall</c> is one caller
/// (latency, allocations per call); <c>Unary64Callers</c> runs 64 concurrent callers on one connection
/// and reports time per call, so calls/s = 1 / mean.
/// </summary>
[MemoryDiagnoser]
public class NativeCallPathBenchmarks
{
    private const int CallsPerCaller = 500;
    private const int Callers = 64;
    private WebApplication _app = null!;
    private NativeClientConnection _connection = null!;
    private Greeter.GreeterClient _client = null!;
    private readonly HelloRequest _request = new() { Name = "world" };

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var table = new NativeServiceTable();
        table.Bind(b => Greeter.BindService(b, new GreeterService()));
        builder.Services.AddSingleton(table);
        builder.Services.AddSingleton<IOptions<NativeServerOptions>>(Options.Create(new NativeServerOptions()));
        ListenOptions? listen = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            listen = l;
            l.UseShoalNative();
        }));
        _app = builder.Build();
        _app.StartAsync().GetAwaiter().GetResult();
        var address = new Uri($"shoal://127.0.0.1:{listen!.IPEndPoint!.Port}");
        _connection = (NativeClientConnection)new NativeConnectionFactory().Create(address);
        _connection.ConnectAsync().AsTask().GetAwaiter().GetResult();
        _client = new Greeter.GreeterClient(_connection.Invoker);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public async Task<string> UnaryCall() => (await _client.SayHelloAsync(_request).ResponseAsync.ConfigureAwait(false)).Message;

    [Benchmark(OperationsPerInvoke = Callers * CallsPerCaller)]
    public Task Unary64Callers()
    {
        var callers = new Task[Callers];
        for (var i = 0; i < Callers; i++)
        {
            callers[i] = Caller();
        }
        return Task.WhenAll(callers);
    }

    private async Task Caller()
    {
        await Task.Yield();
        for (var i = 0; i < CallsPerCaller; i++)
        {
            await _client.SayHelloAsync(_request).ResponseAsync.ConfigureAwait(false);
        }
    }
}
