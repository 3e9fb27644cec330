using System.Buffers.Binary;
using Grpc.Core;
using Hello;
using Shoal.Client.Native;
using Shoal.Client.Native.Protocol;
using Shoal.Connections;
using Shoal.Fuzzing.Infrastructure;
using Shoal.Fuzzing.Seeds;

namespace Shoal.Fuzzing.Targets;

/// <summary>
/// The client side of a native connection: the input is what a server sends (after a chunk-size
/// byte). Its first frame is the handshake; once the client is ready, it starts one call of each
/// kind (ids 1 to 4: unary, server streaming, client streaming, duplex) and then reads the rest:
/// Settings, ResponseHeaders, Message, Trailers, Cancel, WindowUpdate, Ping and GoAway frames.
/// Every call must end, with a response or an <see cref="RpcException"/>, and nothing else.
/// </summary>
internal sealed class ClientConnectionTarget : IFuzzTarget
{
    public string Name => "client";

    public string Description => "bytes from a server into a real client connection with four calls in flight";

    public void Run(ReadOnlySpan<byte> input)
    {
        var (chunkSize, body) = Chunks.Split(input);
        var handshake = FirstFrameLength(body);
        var stream = new ScriptedStream(body[..handshake], body[handshake..], chunkSize);
        var connection = NativeTransportAdapter.CreateClient(stream, new NativeClientOptions
        {
            MaxReceiveMessageSize = ServerConnectionTarget.MaxMessageSize,
            KeepAliveInterval = Timeout.InfiniteTimeSpan,
            ConnectTimeout = Bounds.Time,
            ReconnectBackoffInitial = TimeSpan.FromMinutes(1),
        });
        var settled = new TaskCompletionSource<ConnectionState>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.StateChanged += (_, state) =>
        {
            if (state is ConnectionState.Ready or ConnectionState.TransientFailure or ConnectionState.Shutdown)
            {
                settled.TrySetResult(state);
            }
        };
        var connecting = connection.ConnectAsync().AsTask();
        try
        {
            Bounds.Wait(settled.Task, "the client's handshake");
            if (settled.Task.Result == ConnectionState.Ready)
            {
                RunCalls(connection.Invoker, stream);
            }
        }
        finally
        {
            stream.ReleaseSecondAct();
            Bounds.Wait(connection.DisposeAsync().AsTask(), "disposing the client connection");
            Bounds.Wait(Expect<ObjectDisposedException>(connecting), "ConnectAsync after dispose");
        }
    }

    public IEnumerable<(string Name, byte[] Input)> Seeds() => ClientSeeds.Create();

    /// <summary>The length of the first frame when the input holds all of it, else the whole input.</summary>
    internal static int FirstFrameLength(ReadOnlySpan<byte> body)
    {
        if (body.Length < FrameHeader.Size)
        {
            return body.Length;
        }
        var length = BinaryPrimitives.ReadUInt32LittleEndian(body);
        return length <= (uint)(body.Length - FrameHeader.Size) ? FrameHeader.Size + (int)length : body.Length;
    }

    private static void RunCalls(CallInvoker invoker, ScriptedStream stream)
    {
        var greeter = new Greeter.GreeterClient(invoker);
        var streams = new GreeterStreams.GreeterStreamsClient(invoker);
        using var unary = greeter.SayHelloAsync(new HelloRequest { Name = "fuzz" });
        using var many = streams.SayHelloMany(new ManyHellosRequest { Name = "fuzz", Count = 3 });
        using var all = streams.SayHelloToAll();
        using var chat = streams.Chat();

        // The server granted credit in its settings, so these go out before it says anything more.
        Bounds.Wait(all.RequestStream.WriteAsync(new HelloRequest { Name = "one" }), "a client-streaming write");
        Bounds.Wait(all.RequestStream.CompleteAsync(), "a client-streaming half-close");
        Bounds.Wait(chat.RequestStream.WriteAsync(new HelloRequest { Name = "two" }), "a duplex write");

        stream.ReleaseSecondAct();
        Bounds.Wait(
            Task.WhenAll(
                Expect<RpcException>(unary.ResponseAsync),
                Expect<RpcException>(unary.ResponseHeadersAsync),
                DrainAsync(many.ResponseStream),
                Expect<RpcException>(all.ResponseAsync),
                DrainAsync(chat.ResponseStream)),
            "the calls of a closed connection");
        // Once the response task ended, the status is known.
        _ = unary.GetStatus();
    }

    private static async Task DrainAsync(IAsyncStreamReader<HelloReply> responses)
    {
        try
        {
            while (await responses.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
                _ = responses.Current.Message;
            }
        }
        catch (RpcException)
        {
            // How a call ends without OK.
        }
    }

    private static async Task Expect<TException>(Task task)
        where TException : Exception
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (TException)
        {
            // The documented outcome.
        }
    }
}
