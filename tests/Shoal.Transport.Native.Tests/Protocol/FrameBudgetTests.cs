using System.Buffers;
using Shoal.Client.Native;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Transport.Native.Tests.Protocol;

public sealed class FrameBudgetTests
{
    private const int Large = 1024 * 1024;

    [Fact]
    public void Budget_ReservationsUpToCapacity_FitAndTheNextDoesNot()
    {
        var budget = new NativeFrameBudget(3 * Large);

        Assert.True(budget.TryReserve(Large));
        Assert.True(budget.TryReserve(2 * Large));
        Assert.False(budget.TryReserve(1));
        budget.Release(Large);
        Assert.True(budget.TryReserve(Large));
        Assert.Equal(3 * Large, budget.InUse);
    }

    [Fact]
    public void Budget_ReleasingMoreThanReserved_Throws()
    {
        var budget = new NativeFrameBudget(Large);
        Assert.True(budget.TryReserve(10));

        Assert.Throws<InvalidOperationException>(() => budget.Release(11));
    }

    [Fact]
    public async Task Budget_ManyThreadsReserving_NeverPassCapacity()
    {
        var budget = new NativeFrameBudget(10 * Large);
        var peak = 0L;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                if (budget.TryReserve(Large))
                {
                    var inUse = budget.InUse;
                    long seen;
                    while (inUse > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, inUse, seen) != seen)
                    {
                    }
                    budget.Release(Large);
                }
            }
        }))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(peak, Large, 10 * Large);
        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public void Decoder_LargeFrameArrivingSlowly_HoldsMemoryForTheBytesReceived_NotTheDeclaredLength()
    {
        var budget = new NativeFrameBudget(64 * Large);
        var decoder = new FrameDecoder(8 * Large, budget);
        var header = Header(FrameType.CallStart, 4 * Large, 1);
        var buffer = new ReadOnlySequence<byte>([.. header, .. new byte[100_000]]);

        Assert.Equal(DecodeResult.NeedMore, decoder.TryDecode(ref buffer, out _, out _));

        // The declared 4 MiB are reserved against the budget, but only what arrived is held (in
        // segments that double from 64 KiB: at most twice what arrived, plus the first segment).
        Assert.Equal(4 * Large, budget.InUse);
        Assert.InRange(decoder.AssemblingBytes, 100_000, (2 * 100_000) + (64 * 1024));
        Assert.True(decoder.HasPartialFrame);
    }

    [Fact]
    public void Decoder_FrameThatDoesNotFitTheBudget_IsSkippedAsItArrives_AndTheNextFrameDecodes()
    {
        var budget = new NativeFrameBudget(2 * Large);
        Assert.True(budget.TryReserve(Large + 1));
        var decoder = new FrameDecoder(8 * Large, budget);
        byte[] first = [.. Header(FrameType.Message, Large, 3), .. new byte[Large]];
        byte[] next = [.. Header(FrameType.Message, 5, 3), 1, 2, 3, 4, 5];
        var all = first.Concat(next).ToArray();
        var results = new List<DecodeResult>();
        var payloads = new List<byte[]>();

        for (var offset = 0; offset < all.Length; offset += 30_000)
        {
            var buffer = new ReadOnlySequence<byte>(all, offset, Math.Min(30_000, all.Length - offset));
            DecodeResult result;
            while ((result = decoder.TryDecode(ref buffer, out _, out var payload)) != DecodeResult.NeedMore)
            {
                results.Add(result);
                if (result == DecodeResult.Frame)
                {
                    payloads.Add(payload.ToArray());
                    decoder.FrameDone();
                }
            }
        }

        Assert.Equal([DecodeResult.OverBudget, DecodeResult.Frame], results);
        Assert.Equal([1, 2, 3, 4, 5], payloads.Single());
        Assert.Equal(Large + 1, budget.InUse);
        Assert.Equal(0, decoder.AssemblingBytes);
    }

    [Fact]
    public void Decoder_AssembledFrame_GivesItsReservationBackWhenDone_AndAPartialOneWhenReleased()
    {
        var budget = new NativeFrameBudget(64 * Large);
        var decoder = new FrameDecoder(8 * Large, budget);
        var body = Enumerable.Range(0, 3 * Large).Select(i => (byte)(i * 7)).ToArray();
        var whole = new ReadOnlySequence<byte>([.. Header(FrameType.Message, body.Length, 1), .. body.AsSpan(0, 70_000)]);
        var rest = new ReadOnlySequence<byte>(body, 70_000, body.Length - 70_000);

        Assert.Equal(DecodeResult.NeedMore, decoder.TryDecode(ref whole, out _, out _));
        Assert.Equal(DecodeResult.Frame, decoder.TryDecode(ref rest, out _, out var payload));
        Assert.Equal(body, payload.ToArray());
        decoder.FrameDone();
        Assert.Equal(0, budget.InUse);

        var partial = new ReadOnlySequence<byte>([.. Header(FrameType.Message, body.Length, 2), .. new byte[70_000]]);
        Assert.Equal(DecodeResult.NeedMore, decoder.TryDecode(ref partial, out _, out _));
        Assert.Equal(body.Length, budget.InUse);
        decoder.Release();

        Assert.Equal(0, budget.InUse);
        Assert.Equal(0, decoder.AssemblingBytes);
        Assert.False(decoder.HasPartialFrame);
    }

    private static byte[] Header(FrameType type, int length, uint callId)
    {
        var header = new byte[FrameHeader.Size];
        new FrameHeader(length, type, FrameFlags.None, callId).Write(header);
        return header;
    }
}
