using System.Reflection;
using Grpc.AspNetCore.Server;
using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shoal.Client.Native;
using Shoal.Server.Internal;
using Shoal.Server.Native;

namespace Shoal.Server.Tests.Server;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _contentRoot = Directory.CreateTempSubdirectory("shoal-hosting-").FullName;

    public void Dispose() => Directory.Delete(_contentRoot, recursive: true);

    [Fact]
    public async Task AppSettings_ShoalServerSection_ConfiguresHostAndBothTransports()
    {
        await File.WriteAllTextAsync(Path.Combine(_contentRoot, "appsettings.json"), """
            {
              "Shoal": {
                "Server": {
                  "Host": "127.0.0.1",
                  "TcpPort": -1,
                  "GrpcPort": 0,
                  "EnableDetailedErrors": true,
                  "ShutdownGracePeriod": "00:00:03",
                  "Native": { "MaxReceiveMessageSize": 12345, "MaxConcurrentCallsPerConnection": 7 }
                }
              }
            }
            """);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _contentRoot });
        builder.Logging.ClearProviders();
        builder.AddShoalServer().AddService<GreeterService>();
        await using var app = builder.Build();
        app.MapShoalServices();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            var options = app.Services.GetRequiredService<IOptions<ShoalServerOptions>>().Value;
            Assert.Equal(-1, options.TcpPort);
            Assert.Null(app.GetShoalAddresses().Native);
            Assert.NotEqual(0, app.GetShoalAddresses().Grpc!.Port);
            Assert.Equal(TimeSpan.FromSeconds(3), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);

            var grpc = app.Services.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
            Assert.True(grpc.EnableDetailedErrors);
            Assert.Equal(12345, grpc.MaxReceiveMessageSize);

            var native = app.Services.GetRequiredService<IOptions<NativeServerOptions>>().Value;
            Assert.Equal(12345, native.MaxReceiveMessageSize);
            Assert.Equal(7, native.MaxConcurrentCallsPerConnection);
            Assert.True(native.EnableDetailedErrors);
        }
        finally
        {
            await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task AppSettings_NativeLimits_BindAndOneFrameBudgetServesTheHost()
    {
        await File.WriteAllTextAsync(Path.Combine(_contentRoot, "appsettings.json"), """
            {
              "Shoal": {
                "Server": {
                  "Host": "127.0.0.1", "TcpPort": 0, "GrpcPort": -1,
                  "Native": {
                    "MaxConnections": 42, "FrameAssemblyBudget": 8388608, "ConnectionWindowSize": 131072,
                    "MaxOutputBufferSize": 65536, "MinReceiveDataRate": 1000, "MinReceiveDataRateGracePeriod": "00:00:02",
                    "MinSendDataRate": 0, "IdleTimeout": "00:00:30", "MaxCallResetsPerSecond": 50
                  }
                }
              }
            }
            """);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _contentRoot });
        builder.Logging.ClearProviders();
        builder.AddShoalServer().AddService<GreeterService>();
        await using var app = builder.Build();
        app.MapShoalServices();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            var native = app.Services.GetRequiredService<IOptions<NativeServerOptions>>().Value;
            Assert.Equal(42, native.MaxConnections);
            Assert.Equal(131072, native.ConnectionWindowSize);
            Assert.Equal(65536, native.MaxOutputBufferSize);
            Assert.Equal(1000, native.MinReceiveDataRate);
            Assert.Equal(TimeSpan.FromSeconds(2), native.MinReceiveDataRateGracePeriod);
            Assert.Equal(0, native.MinSendDataRate);
            Assert.Equal(TimeSpan.FromSeconds(30), native.IdleTimeout);
            Assert.Equal(50, native.MaxCallResetsPerSecond);
            var budget = app.Services.GetRequiredService<NativeFrameBudget>();
            Assert.Equal(8388608, budget.Capacity);
            Assert.Same(budget, app.Services.GetRequiredService<NativeConnectionHandler>().FrameBudget);
        }
        finally
        {
            await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void InlineSocketScheduling_Configured_SetsKestrelSocketTransport(string? configured, bool expected)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _contentRoot });
        builder.Logging.ClearProviders();
        if (configured is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("Shoal:Server:InlineSocketScheduling", configured)]);
        }
        builder.AddShoalServer().AddService<GreeterService>();
        using var app = builder.Build();

        var transport = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;

        Assert.Equal(expected, transport.UnsafePreferInlineScheduling);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void WaitForDataBeforeReceiveBuffer_Configured_SetsKestrelSocketTransport(string? configured, bool expected)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _contentRoot });
        builder.Logging.ClearProviders();
        if (configured is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("Shoal:Server:WaitForDataBeforeReceiveBuffer", configured)]);
        }
        builder.AddShoalServer().AddService<GreeterService>();
        using var app = builder.Build();

        var transport = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;

        Assert.Equal(expected, transport.WaitForDataBeforeAllocatingBuffer);
    }

    [Theory]
    [InlineData(null, 16384)]
    [InlineData("16384", 16384)]
    [InlineData("65536", 65536)]
    public void MemoryPoolBlockSize_Configured_KestrelsSocketTransportTakesPoolsOfThatBlockSize(string? configured, int expected)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _contentRoot });
        builder.Logging.ClearProviders();
        if (configured is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("Shoal:Server:MemoryPoolBlockSize", configured)]);
        }
        builder.AddShoalServer().AddService<GreeterService>();
        using var app = builder.Build();

        using var pool = TransportPoolFactory(app).Create();

        Assert.IsType<BlockMemoryPool>(pool);
        Assert.Equal(expected, pool.MaxBufferSize);
    }

    [Fact]
    public void MemoryPoolBlockSize_Kestrels4KiB_KeepsKestrelsOwnPool()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _contentRoot });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection([new("Shoal:Server:MemoryPoolBlockSize", "4096")]);
        builder.AddShoalServer().AddService<GreeterService>();
        using var app = builder.Build();

        var factory = TransportPoolFactory(app);

        Assert.IsNotType<BlockMemoryPoolFactory>(factory);
        using var pool = factory.Create();
        Assert.Equal(4096, pool.MaxBufferSize);
    }

    /// <summary>The factory Kestrel's socket transport takes its pools from (an internal property of its options).</summary>
    private static IMemoryPoolFactory<byte> TransportPoolFactory(WebApplication app)
    {
        var transport = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
        var property = typeof(SocketTransportOptions).GetProperty("MemoryPoolFactory", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
        Assert.NotNull(property);
        return Assert.IsAssignableFrom<IMemoryPoolFactory<byte>>(property.GetValue(transport));
    }

    [Fact]
    public void KestrelLimits_Configured_AreTheGrpcPortsLimits()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _contentRoot });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection([
            new("Kestrel:Limits:KeepAliveTimeout", "00:00:07"),
            new("Kestrel:Limits:MaxConcurrentConnections", "5000"),
            new("Kestrel:Limits:Http2:MaxStreamsPerConnection", "50"),
            new("Kestrel:Limits:MinRequestBodyDataRate:BytesPerSecond", "1000"),
            new("Kestrel:Limits:MinRequestBodyDataRate:GracePeriod", "00:00:03"),
            new("Kestrel:Limits:MinResponseDataRate:BytesPerSecond", "100"),
        ]);
        builder.AddShoalServer().AddService<GreeterService>();
        using var app = builder.Build();

        var limits = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(TimeSpan.FromSeconds(7), limits.KeepAliveTimeout);
        Assert.Equal(5000, limits.MaxConcurrentConnections);
        Assert.Equal(50, limits.Http2.MaxStreamsPerConnection);
        Assert.Equal(1000, limits.MinRequestBodyDataRate!.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(3), limits.MinRequestBodyDataRate.GracePeriod);
        Assert.Equal(100, limits.MinResponseDataRate!.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(5), limits.MinResponseDataRate.GracePeriod);
        // What the configuration does not name keeps Kestrel's default.
        Assert.Equal(TimeSpan.FromSeconds(30), limits.RequestHeadersTimeout);
    }

    [Fact]
    public void KestrelLimits_NotConfigured_AreKestrelsDefaults()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _contentRoot });
        builder.Logging.ClearProviders();
        builder.AddShoalServer().AddService<GreeterService>();
        using var app = builder.Build();

        var limits = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(TimeSpan.FromSeconds(130), limits.KeepAliveTimeout);
        Assert.Null(limits.MaxConcurrentConnections);
        Assert.Equal(240, limits.MinRequestBodyDataRate!.BytesPerSecond);
    }

    [Fact]
    public async Task InvalidNativeLimits_BuildingTheHost_FailsNamingEachKey()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.AddShoalServer(o =>
        {
            o.TcpPort = 0;
            o.GrpcPort = -1;
            o.Native.ConnectionWindowSize = 1000;
            o.Native.MinSendDataRateGracePeriod = TimeSpan.Zero;
        }).AddService<GreeterService>();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = builder.Build();
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        });

        Assert.Contains("Shoal:Server:Native:ConnectionWindowSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("Shoal:Server:Native:MinSendDataRateGracePeriod", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandLine_ShoalSwitches_MapToServerKeys()
    {
        var configuration = new ConfigurationBuilder()
            .AddShoalCommandLine(
                ["--tcp-port", "0", "--grpc-port=-1", "--host", "0.0.0.0", "--registry-token-file", "/run/secrets/token", "--delay-ms", "25"],
                new Dictionary<string, string> { ["--delay-ms"] = "Greeter:DelayMs" })
            .Build();

        var options = configuration.GetSection(ShoalServerOptions.SectionName).Get<ShoalServerOptions>()!;
        Assert.Equal("/run/secrets/token", options.RegistryTokenFile);
        Assert.Equal(0, options.TcpPort);
        Assert.Equal(-1, options.GrpcPort);
        Assert.Equal("0.0.0.0", options.Host);
        Assert.Equal("25", configuration["Greeter:DelayMs"]);
    }

    [Theory]
    [InlineData(70000, 0, "TcpPort")]
    [InlineData(0, -2, "GrpcPort")]
    [InlineData(-1, -1, "both TcpPort and GrpcPort are disabled")]
    public async Task InvalidOptions_BuildingTheHost_FailsNamingTheKey(int tcpPort, int grpcPort, string expected)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.AddShoalServer(o => { o.TcpPort = tcpPort; o.GrpcPort = grpcPort; }).AddService<GreeterService>();

        // Kestrel reads its endpoints while the application is built, so that is where validation speaks.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = builder.Build();
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        });

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddService_NotAGeneratedService_ThrowsNamingTheType()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var shoal = builder.AddShoalServer();

        var error = Assert.Throws<ArgumentException>(() => shoal.AddService<ConfigurationTests>());

        Assert.Contains(nameof(ConfigurationTests), error.Message, StringComparison.Ordinal);
        Assert.Contains("BindServiceMethod", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddService_SameServiceTwice_Throws()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var shoal = builder.AddShoalServer().AddService<GreeterService>();

        var error = Assert.Throws<InvalidOperationException>(() => shoal.AddService<Infrastructure.CountingGreeter>());

        Assert.Contains("hello.Greeter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddShoalServer_CalledTwice_Throws()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddShoalServer();

        Assert.Throws<InvalidOperationException>(() => builder.AddShoalServer());
    }
}
