using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Server;

/// <summary>The host names its native endpoint <c>shoal://</c> where Kestrel would say <c>http://</c>: in its start-up log and in <c>app.Urls</c>.</summary>
public sealed class ListeningAddressTests
{
    [Fact]
    public async Task HostStarts_BothTransports_ListeningLogAndUrlsNameTheNativePortShoal()
    {
        var log = new LifetimeLog();
        await using var host = await TestHost.StartAsync(builder: b =>
        {
            b.Logging.AddProvider(log);
            b.Logging.AddFilter<LifetimeLog>("Microsoft.Hosting.Lifetime", LogLevel.Information);
        });
        var native = host.Addresses.NativeTarget;
        var grpc = host.Addresses.GrpcTarget;

        Assert.Contains($"Now listening on: {native}", log.Lines);
        Assert.Contains($"Now listening on: {grpc}", log.Lines);
        Assert.DoesNotContain(log.Lines, l => l.Contains($"http://127.0.0.1:{host.Addresses.Native!.Port}", StringComparison.Ordinal));
        Assert.Contains(native, host.App.Urls);
        Assert.Contains(grpc, host.App.Urls);
    }

    private sealed class LifetimeLog : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(LifetimeLog owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => owner.Lines.Enqueue(formatter(state, exception));
        }
    }
}
