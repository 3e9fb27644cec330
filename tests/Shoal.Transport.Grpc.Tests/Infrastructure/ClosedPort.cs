using System.Net;
using System.Net.Sockets;

namespace Shoal.Transport.Grpc.Tests.Infrastructure;

/// <summary>A loopback port that nothing listens on: bound on port 0 to learn a free one, then closed.</summary>
public static class ClosedPort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
