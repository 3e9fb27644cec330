using System.Net.Security;

namespace Shoal.Client.Native;

/// <summary>TLS conventions of the native protocol.</summary>
public static class NativeTls
{
    /// <summary>
    /// The ALPN id of the native protocol, <c>shoal</c>: a Shoal host offers it on its native port, and
    /// a channel configured with <c>ShoalChannelOptions.Tls</c> asks for it, so a TLS terminator or a
    /// port shared by several protocols can tell it from <c>h2</c>. A client whose own
    /// <see cref="SslClientAuthenticationOptions"/> name no protocol sends no ALPN, which every server accepts.
    /// </summary>
    public static readonly SslApplicationProtocol ApplicationProtocol = new("shoal"u8.ToArray());
}
