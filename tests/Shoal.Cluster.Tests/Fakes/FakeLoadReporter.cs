using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Connections;

namespace Shoal.Cluster.Tests.Fakes;

/// <summary>A load reporter the test feeds per address: reports, failures and ends, in order, across watches.</summary>
public sealed class FakeLoadReporter : IEndpointLoadReporter
{
    private readonly ConcurrentDictionary<Uri, Feed> _feeds = new();

    public Feed For(Uri address) => _feeds.GetOrAdd(address, _ => new Feed());

    public Feed For(int port) => For(TestInstances.Native(port));

    public async IAsyncEnumerable<EndpointLoad> WatchAsync(IConnection connection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var feed = For(connection.Address);
        feed.Opened();
        try
        {
            while (await feed.Items.Reader.WaitToReadAsync(cancellationToken))
            {
                while (feed.Items.Reader.TryRead(out var item))
                {
                    switch (item)
                    {
                        case Exception exception:
                            throw exception;
                        case EndpointLoad load:
                            yield return load;
                            break;
                        default:
                            // End of this watch's stream.
                            yield break;
                    }
                }
            }
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested)
            {
                feed.WasCancelled();
            }
        }
    }

    /// <summary>A report of one 5-second window.</summary>
    public static EndpointLoad Load(double utilization, long inFlight = 0, TimeSpan? window = null)
        => new(utilization, inFlight, 100, TimeSpan.FromMilliseconds(5), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), window ?? TimeSpan.FromSeconds(5));

    public sealed class Feed
    {
        private int _watches;
        private int _cancelled;

        internal Channel<object> Items { get; } = Channel.CreateUnbounded<object>();

        /// <summary>Watches opened so far.</summary>
        public int Watches => Volatile.Read(ref _watches);

        /// <summary>Watches that ended because the cluster cancelled them.</summary>
        public int Cancelled => Volatile.Read(ref _cancelled);

        public void Send(EndpointLoad load) => Items.Writer.TryWrite(load);

        public void Fail(Exception exception) => Items.Writer.TryWrite(exception);

        public void End() => Items.Writer.TryWrite(new object());

        internal void Opened() => Interlocked.Increment(ref _watches);

        internal void WasCancelled() => Interlocked.Increment(ref _cancelled);
    }
}
