namespace Shoal.Client.Native.Internal;

/// <summary>What an <see cref="OutboundStream{T}"/> asks of the call it belongs to.</summary>
internal interface IOutboundOwner
{
    /// <summary>The reason writes must fail now (the call ended), or null.</summary>
    Exception? WriteError();

    /// <summary>Called under the writer's lock when a message frame was encoded.</summary>
    void OnMessageEncoded();

    /// <summary>Cancels waits for credit when the call ends.</summary>
    CancellationToken CallToken { get; }
}
