using Microsoft.Extensions.Logging;

namespace Shoal.FunctionalTests.Support;

/// <summary>
/// Counts the cluster client's "retrying on another instance" log lines (event id 3020), so a test
/// can tell that a scenario did make the cluster send calls again. Hand <see cref="Factory"/> to a channel.
/// </summary>
public sealed class RetryCounter : ILoggerProvider
{
    private const int RetryingEventId = 3020;
    private int _retries;

    public RetryCounter()
    {
        Factory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(this));
    }

    /// <summary>A logger factory that reports to this counter.</summary>
    public ILoggerFactory Factory { get; }

    /// <summary>Retries logged so far.</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Counting(this);

    /// <inheritdoc/>
    public void Dispose() => Factory.Dispose();

    private sealed class Counting(RetryCounter counter) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == RetryingEventId)
            {
                Interlocked.Increment(ref counter._retries);
            }
        }
    }
}
