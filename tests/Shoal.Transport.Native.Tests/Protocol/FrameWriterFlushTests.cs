using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Protocol;

/// <summary>
/// When a frame reaches the transport: an idle writer sends it on the writing thread before
/// <see cref="FrameWriter.RequestFlush"/> returns (no flush loop to wake, no thread hop: what one call
/// in flight per connection needs), a read loop's batch goes out in one write, stream messages
/// written outside a batch share one flush on the thread pool, and concurrent writers lose no frame
/// whichever of them runs the flush.
/// </summary>
public sealed class FrameWriterFlushTests
{
    [Fact]
    public void RequestFlush_IdleWriter_SendsOnTheWritingThreadBeforeReturning()
    {
        var stream = new RecordingStream(completeAsynchronouslyEvery: 0);
        var writer = new FrameWriter(stream, 1024 * 1024, e => throw e);
        WritePing(writer);

        writer.RequestFlush();

        Assert.Equal(1, stream.Writes);
        Assert.Equal([Environment.CurrentManagedThreadId], stream.WritingThreads);
        Assert.Equal(0, writer.BufferedLength);
    }

    [Fact]
    public void RequestFlush_InsideABatch_SendsTheBatchInOneWriteAtItsEnd()
    {
        var stream = new RecordingStream(completeAsynchronouslyEvery: 0);
        var writer = new FrameWriter(stream, 1024 * 1024, e => throw e);

        writer.BeginBatch();
        for (var i = 0; i < 3; i++)
        {
            WritePing(writer);
            writer.RequestFlush();
        }
        var writesInBatch = stream.Writes;
        writer.EndBatch();

        Assert.Equal(0, writesInBatch);
        Assert.Equal(1, stream.Writes);
        Assert.Equal(3 * PingFrameLength(), stream.Bytes);
    }

    [Fact]
    public async Task RequestFlush_ConcurrentWritersAndSlowWrites_LoseNoFrame()
    {
        // Every third write completes later, on another thread: writers keep adding while a flush is in flight.
        var stream = new RecordingStream(completeAsynchronouslyEvery: 3);
        var writer = new FrameWriter(stream, 1024 * 1024, e => throw e);
        const int Writers = 4, FramesEach = 500;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < FramesEach; i++)
            {
                WritePing(writer);
                writer.RequestFlush();
            }
        }))).Within();
        await writer.DrainAsync().Within();

        Assert.Equal(Writers * FramesEach * PingFrameLength(), stream.Bytes);
        Assert.Equal(0, writer.BufferedLength);
    }

    [Fact]
    public async Task RequestStreamFlush_WritesBeforeTheFlushRuns_ShareOneWriteOffTheWritingThread()
    {
        var stream = new RecordingStream(completeAsynchronouslyEvery: 0);
        var writer = new FrameWriter(stream, 1024 * 1024, e => throw e);

        int writesMeanwhile;
        // Holding the writer's lock keeps the scheduled flush from taking the buffer until all three are in.
        lock (writer.SyncRoot)
        {
            for (var i = 0; i < 3; i++)
            {
                WritePing(writer);
                writer.RequestStreamFlush();
            }
            writesMeanwhile = stream.Writes;
        }
        await Wait.UntilAsync(() => stream.Bytes == 3 * PingFrameLength(), "the three frames were written");

        Assert.Equal(0, writesMeanwhile);
        Assert.Equal(1, stream.Writes);
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, stream.WritingThreads);
    }

    [Fact]
    public async Task RequestStreamFlush_InsideABatch_SendsWithTheBatch()
    {
        var stream = new RecordingStream(completeAsynchronouslyEvery: 0);
        var writer = new FrameWriter(stream, 1024 * 1024, e => throw e);

        writer.BeginBatch();
        WritePing(writer);
        writer.RequestStreamFlush();
        WritePing(writer);
        writer.RequestStreamFlush();
        writer.EndBatch();
        await writer.DrainAsync().Within();

        Assert.Equal(1, stream.Writes);
        Assert.Equal([Environment.CurrentManagedThreadId], stream.WritingThreads);
    }

    [Fact]
    public async Task RequestStreamFlush_TransportFails_ReportsTheErrorAndCloses()
    {
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = new FrameWriter(new FailingStream(), 1024 * 1024, e => failed.TrySetResult(e));

        WritePing(writer);
        writer.RequestStreamFlush();
        var error = await failed.Task.Within();

        Assert.IsType<IOException>(error);
        lock (writer.SyncRoot)
        {
            Assert.True(writer.IsClosed);
        }
    }

    [Fact]
    public async Task RequestStreamFlush_ReleasedBeforeTheFlushRuns_GivesTheBuffersBack()
    {
        var stream = new RecordingStream(completeAsynchronouslyEvery: 0);
        var writer = new FrameWriter(stream, 1024 * 1024, e => throw e);

        Task released;
        lock (writer.SyncRoot)
        {
            WritePing(writer);
            writer.RequestStreamFlush();
            released = writer.ReleaseAsync();
        }
        await released.Within();

        Assert.Equal(0, stream.Writes);
        Assert.Equal(0, writer.Buffer.Capacity);
    }

    private static void WritePing(FrameWriter writer)
    {
        lock (writer.SyncRoot)
        {
            var start = writer.Buffer.BeginFrame(FrameType.Ping, FrameFlags.None, 0);
            writer.Buffer.WriteUInt64(42);
            writer.Buffer.EndFrame(start);
        }
    }

    private static int PingFrameLength()
    {
        var buffer = new OutputBuffer();
        var start = buffer.BeginFrame(FrameType.Ping, FrameFlags.None, 0);
        buffer.WriteUInt64(42);
        buffer.EndFrame(start);
        return buffer.Length;
    }

    /// <summary>The writer's transport as these tests see it: only <see cref="Stream.WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/> is used.</summary>
    private abstract class WriteOnlyStream : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public abstract override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private sealed class FailingStream : WriteOnlyStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            => ValueTask.FromException(new IOException("The peer is gone."));
    }

    /// <summary>Counts writes, bytes and the threads that wrote; every Nth write completes asynchronously (0: never).</summary>
    private sealed class RecordingStream(int completeAsynchronouslyEvery) : WriteOnlyStream
    {
        private readonly Lock _lock = new();
        private readonly List<int> _threads = [];
        private int _writes;
        private long _bytes;

        public int Writes => Volatile.Read(ref _writes);

        public long Bytes => Interlocked.Read(ref _bytes);

        public IReadOnlyList<int> WritingThreads
        {
            get
            {
                lock (_lock)
                {
                    return [.. _threads];
                }
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (_lock)
            {
                _threads.Add(Environment.CurrentManagedThreadId);
            }
            var count = Interlocked.Increment(ref _writes);
            Interlocked.Add(ref _bytes, buffer.Length);
            return completeAsynchronouslyEvery > 0 && count % completeAsynchronouslyEvery == 0
                ? new ValueTask(Task.Run(() => { }, cancellationToken))
                : default;
        }

    }
}
