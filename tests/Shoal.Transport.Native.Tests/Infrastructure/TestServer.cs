using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core.Interceptors;
using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shoal.Server.Native;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>A minimal Kestrel host serving the native protocol on 127.0.0.1 (port 0 unless given).</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ListenOptions _listen;

    private TestServer(WebApplication app, ListenOptions listen, TestLog log, TestGreeter greeter, TestStreams streams)
    {
        _app = app;
        _listen = listen;
        Log = log;
        Greeter = greeter;
        Streams = streams;
    }

    public int Port => _listen.IPEndPoint!.Port;

    public Uri Address => new($"shoal://127.0.0.1:{Port}");

    public TestLog Log { get; }

    public TestGreeter Greeter { get; }

    public TestStreams Streams { get; }

    public static async Task<TestServer> StartAsync(
        Action<NativeServerOptions>? configure = null,
        IEnumerable<Interceptor>? interceptors = null,
        X509Certificate2? certificate = null,
        int port = 0,
        TimeSpan? shutdownTimeout = null,
        bool inlineScheduling = false,
        bool waitForDataBeforeReceiveBuffer = true,
        IMemoryPoolFactory<byte>? memoryPools = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (memoryPools is not null)
        {
            // Kestrel's transport takes its pools from this factory, as from the one AddShoalServer registers.
            builder.Services.AddSingleton(memoryPools);
        }
        if (inlineScheduling)
        {
            builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        }
        if (!waitForDataBeforeReceiveBuffer)
        {
            builder.WebHost.UseSockets(o => o.WaitForDataBeforeAllocatingBuffer = false);
        }
        var log = new TestLog();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(log);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(10));
        var options = new NativeServerOptions();
        configure?.Invoke(options);
        builder.Services.AddSingleton<IOptions<NativeServerOptions>>(Options.Create(options));
        var greeter = new TestGreeter();
        var streams = new TestStreams();
        var table = new NativeServiceTable(interceptors);
        table.Bind(b => Hello.Greeter.BindService(b, greeter));
        table.Bind(b => GreeterStreams.BindService(b, streams));
        builder.Services.AddSingleton(table);
        ListenOptions? listen = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l =>
        {
            listen = l;
            if (certificate is not null)
            {
                l.UseHttps(certificate);
            }
            l.UseShoalNative();
        }));
        var app = builder.Build();
        await app.StartAsync();
        return new TestServer(app, listen!, log, greeter, streams);
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
    }
}
