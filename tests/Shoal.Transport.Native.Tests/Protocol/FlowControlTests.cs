using Shoal.Client.Native.Internal;

namespace Shoal.Transport.Native.Tests.Protocol;

public sealed class FlowControlTests
{
    [Fact]
    public async Task SendWindow_CreditUsedUp_WriterWaitsUntilUpdate()
    {
        var window = new SendWindow(100);
        await window.WaitAsync(CancellationToken.None);
        window.Consume(150);

        var wait = window.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(wait.IsCompleted);
        window.Add(40);
        Assert.False(wait.IsCompleted);
        window.Add(20);
        await wait.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(10, window.Credit);
    }

    [Fact]
    public async Task SendWindow_Failed_WaitersGetTheError()
    {
        var window = new SendWindow(0);
        var wait = window.WaitAsync(CancellationToken.None).AsTask();

        window.Fail(new InvalidOperationException("gone"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => wait.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void ReceiveWindow_PeerPastWindowPlusOneMessage_IsAProtocolError()
    {
        var window = new ReceiveWindow(window: 100, maxMessage: 50);
        window.OnReceived(100);
        window.OnReceived(50);

        Assert.Throws<ProtocolException>(() => window.OnReceived(1));
    }
}
