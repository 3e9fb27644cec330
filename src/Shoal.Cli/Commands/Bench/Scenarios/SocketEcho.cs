using System.Text;
using Google.Protobuf;
using Hello;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>
/// The physical reference of a unary run over N connections: the same bytes per call as a native
/// SayHello on the wire, over the same number of plain loopback TCP connections, with the same
/// callers spread over them the same way (caller i on connection i mod N), each with one request in
/// flight. The echo server (<see cref="SocketEchoServer"/>) lives in this process, so client CPU is
/// both ends'. What it costs is the kernel's loopback TCP and .NET's asynchronous sockets, nothing
/// of Shoal: a Shoal run at the rate of this one would be as fast as the machine moves those bytes.
/// </summary>
internal static class SocketEcho
{
    /// <summary>The run's name in the results.</summary>
    public const string RunName = "socket-echo";

    /// <summary>A native frame's fixed header (docs/protocol.md, "Frame layout").</summary>
    private const int FrameHeaderBytes = 12;

    /// <summary>
    /// The bytes of one SayHello carrying <paramref name="name"/> on the native wire, each way, as
    /// docs/protocol.md's unary fast path lays them out: a CallStart (the method, an empty host, no
    /// timeout, no headers, the request) and a Trailers frame (no headers, status OK with no detail,
    /// no trailers, the reply "Hello " + name).
    /// </summary>
    public static (int Request, int Reply) SayHelloWireBytes(string name)
    {
        var method = Encoding.UTF8.GetByteCount("/" + Greeter.Descriptor.FullName + "/" + Greeter.Descriptor.Methods[0].Name);
        var request = FrameHeaderBytes + CodedOutputStream.ComputeLengthSize(method) + method
            + 1 /* host: "" */ + 1 /* timeout: 0 */ + 1 /* headers: none */ + new HelloRequest { Name = name }.CalculateSize();
        var reply = FrameHeaderBytes
            + 1 /* headers: none */ + 1 /* status: OK */ + 1 /* detail: "" */ + 1 /* trailers: none */ + new HelloReply { Message = "Hello " + name }.CalculateSize();
        return (request, reply);
    }

    /// <summary>
    /// Runs the reference for <paramref name="settings"/>' callers, connections and warm-up. The
    /// warm-up is the Shoal run's, not shorter: at 1,000 connections a 3 s one left the echo still
    /// rising (the thread pool still growing), too short for the extension to see it.
    /// </summary>
    public static async Task<BenchResult> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var (request, reply) = SayHelloWireBytes(settings.RequestName);
        var server = SocketEchoServer.Start(request, reply, settings.Connections);
        await using (server.ConfigureAwait(false))
        {
            var connections = new List<SocketEchoConnection>(settings.Connections);
            try
            {
                for (var i = 0; i < settings.Connections; i++)
                {
                    var callers = (settings.Concurrency / settings.Connections) + (i < settings.Concurrency % settings.Connections ? 1 : 0);
                    connections.Add(await SocketEchoConnection.ConnectAsync(server.EndPoint, request, reply, callers, cancellationToken).ConfigureAwait(false));
                }
                return await BenchRunner.RunAsync(RunName, "tcp://" + server.EndPoint, connections.Count,
                    i => new SocketEchoCaller(connections[i], !settings.InlineContinuations), settings, [], cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                foreach (var connection in connections)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }
}
