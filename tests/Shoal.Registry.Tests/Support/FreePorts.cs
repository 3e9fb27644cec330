using System.Net;
using System.Net.Sockets;

namespace Shoal.Registry.Tests.Support;

/// <summary>Free loopback ports, for processes that cannot be told to pick port 0 themselves.</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
