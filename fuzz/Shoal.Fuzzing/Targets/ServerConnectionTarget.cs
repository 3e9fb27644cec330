using System.IO.Pipelines;
using System.Net;
using Hello;
using Microsoft.AspNetCore.Connections;
using Shoal.Fuzzing.Infrastructure;
using Shoal.Fuzzing.Seeds;
using Shoal.Server.Native;

namespace Shoal.Fuzzing.Targets;

/// <summary>
/// The server side of a native connection: the input is what a client sends (after a chunk-size
/// byte), fed to a real <see cref="NativeConnectionHandler"/> through an in-memory connection, with
/// the Greeter bound so CallStarts dispatch to handlers. Exercises the preface and settings parser,
/// the frame decoder, the metadata codec, call dispatch, flow control and connection close.
/// </summary>
internal sealed class ServerConnectionTarget : IFuzzTarget
{
    /// <summary>The server's message limit: small, so that the fuzzer reaches the oversized paths with small inputs.</summary>
    public const int MaxMessageSize = 16 * 1024;

    private readonly HandlerTracker _handlers = new();
    private readonly NativeConnectionHandler _server;

    public ServerConnectionTarget()
    {
        var services = new NativeServiceTable();
        services.Bind(binder => Greeter.BindService(binder, new FuzzGreeter(_handlers)));
        services.Bind(binder => GreeterStreams.BindService(binder, new FuzzGreeterStreams(_handlers)));
        _server = NativeTransportAdapter.CreateServer(services, new NativeServerOptions
        {
            MaxReceiveMessageSize = MaxMessageSize,
            MaxSendMessageSize = MaxMessageSize,
            MaxConcurrentCallsPerConnection = 8,
            KeepAliveInterval = Timeout.InfiniteTimeSpan,
            HandshakeTimeout = Bounds.Time,
        });
    }

    public string Name => "server";

    public string Description => "bytes from a client into a real server connection (preface, frames, metadata, dispatch)";

    public void Run(ReadOnlySpan<byte> input)
    {
        var (chunkSize, body) = Chunks.Split(input);
        var transport = new Pipe(PipeOptions.Default);
        var connection = new DefaultConnectionContext(
            "fuzz",
            new DuplexPipe(new ScriptedPipeReader(body, chunkSize), PipeWriter.Create(Stream.Null)),
            new DuplexPipe(transport.Reader, transport.Writer))
        {
            LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 7000),
            RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 40000),
        };
        Bounds.Wait(NativeTransportAdapter.ServeAsync(_server, connection), "the server connection");
        Bounds.Wait(_handlers.WhenIdle(), "the handlers of the closed connection");
    }

    public IEnumerable<(string Name, byte[] Input)> Seeds() => ServerSeeds.Create();

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
