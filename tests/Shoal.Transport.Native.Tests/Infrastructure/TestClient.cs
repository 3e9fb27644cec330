using System.Net.Security;
using Shoal.Client.Native;
using Shoal.Connections;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>Creates native client connections for tests.</summary>
public static class TestClient
{
    public static NativeClientConnection Connect(Uri address, Action<NativeClientOptions>? configure = null)
    {
        var options = new NativeClientOptions();
        configure?.Invoke(options);
        return (NativeClientConnection)new NativeConnectionFactory(options).Create(address);
    }

    public static Hello.Greeter.GreeterClient Greeter(this IConnection connection) => new(connection.Invoker);

    public static Hello.GreeterStreams.GreeterStreamsClient Streams(this IConnection connection) => new(connection.Invoker);

    public static SslClientAuthenticationOptions TrustAll() => new()
    {
        TargetHost = "localhost",
        RemoteCertificateValidationCallback = static (_, _, _, _) => true,
    };
}
