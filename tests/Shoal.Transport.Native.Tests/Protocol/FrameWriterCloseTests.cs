using System.IO.Pipelines;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Protocol;

/// <summary>
/// Closing a server connection's writer while a flush is in flight (found by the server fuzz target:
/// a handler's late frame started a flush after the drain, and the connection completed the
/// transport's PipeWriter under it, which is not thread-safe; the pipe threw from CompleteAsync).
/// </summary>
public sealed class FrameWriterCloseTests
{
    [Fact]
    public async Task ReleaseAsync_FlushInFlight_CancelsItAndReturnsOnlyOnceTheFlushHasLeftThePipe()
    {
        var pipe = new StalledPipeWriter();
        var writer = new FrameWriter(pipe, 1024 * 1024, _ => { });
        lock (writer.SyncRoot)
        {
            writer.Buffer.WriteEmptyFrame(FrameType.Ping, FrameFlags.None, 0);
        }
        writer.RequestFlush();
        await pipe.FlushStarted.Within();

        await writer.ReleaseAsync().Within();

        Assert.True(pipe.CancelRequested);
        Assert.False(pipe.InFlush);
        Assert.True(writer.IsClosed);
    }

    [Fact]
    public async Task ReleaseAsync_NoFlushInFlight_ReturnsAtOnce()
    {
        var pipe = new StalledPipeWriter();
        var writer = new FrameWriter(pipe, 1024 * 1024, _ => { });

        await writer.ReleaseAsync().Within();

        Assert.False(pipe.CancelRequested);
        Assert.True(writer.IsClosed);
    }

    /// <summary>A transport whose flushes never finish until they are cancelled, as with a peer that does not read.</summary>
    private sealed class StalledPipeWriter : PipeWriter
    {
        private readonly TaskCompletionSource _flushStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource<FlushResult>? _flush;
        private readonly byte[] _buffer = new byte[4096];

        public Task FlushStarted => _flushStarted.Task;

        public bool InFlush { get; private set; }

        public bool CancelRequested { get; private set; }

        public override void Advance(int bytes)
        {
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer;

        public override Span<byte> GetSpan(int sizeHint = 0) => _buffer;

        public override void CancelPendingFlush()
        {
            CancelRequested = true;
            _flush?.TrySetResult(new FlushResult(isCanceled: true, isCompleted: false));
        }

        public override void Complete(Exception? exception = null)
        {
        }

        public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            InFlush = true;
            _flush = new TaskCompletionSource<FlushResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushStarted.TrySetResult();
            var result = await _flush.Task.ConfigureAwait(false);
            InFlush = false;
            return result;
        }
    }
}
