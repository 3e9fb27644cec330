namespace Shoal.Client.Native.Internal.Client;

/// <summary>What a <see cref="ReceiveEngine"/> wakes when the socket it armed is ready: a connection's pending read, or a connect in progress.</summary>
internal interface IEngineWaiter
{
    /// <summary>On the engine's thread: the armed socket is ready (readable or writable as armed, at its end, or failed).</summary>
    void OnReady();
}
