using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Shoal.Server.Native;

/// <summary>Attaches the native protocol to a Kestrel endpoint.</summary>
public static class NativeListenOptionsExtensions
{
    /// <summary>Serves Shoal's native protocol on this endpoint (Kestrel keeps sockets, TLS and connection limits).</summary>
    public static ListenOptions UseShoalNative(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.UseConnectionHandler<NativeConnectionHandler>();
        return listenOptions;
    }
}
