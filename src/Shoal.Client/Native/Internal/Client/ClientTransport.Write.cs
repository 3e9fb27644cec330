using Grpc.Core;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal.Client;

internal sealed partial class ClientTransport
{
    /// <summary>Whether new calls may start here.</summary>
    public bool IsUsable => !IsDraining && !Writer.IsClosed;

    /// <summary>Whether this transport retired itself because its call ids ran out (not a failure).</summary>
    public bool IdsExhausted => _idsExhausted;

    /// <summary>
    /// Registers <paramref name="call"/> and encodes its CallStart frame, with the whole request
    /// inline when <paramref name="request"/> is given. The id is taken under the writer's lock so
    /// ids reach the wire in increasing order. Returns <see cref="StartOutcome.OutputFull"/> (nothing
    /// sent) while the connection's output is over its limit: the caller waits for room and tries
    /// again. <paramref name="failure"/> is the status of a call that could not start.
    /// </summary>
    public StartOutcome StartCall<TRequest>(IClientCall call, byte[] method, string? host, ulong timeoutMicros, Metadata? headers, TRequest? request, Marshaller<TRequest> marshaller, out uint id, out Status failure)
        where TRequest : class
    {
        var writer = Writer;
        failure = default;
        lock (writer.SyncRoot)
        {
            if (writer.IsClosed || IsDraining)
            {
                id = 0;
                failure = Shoal.Errors.CallNotStarted.Status("The connection to " + _address + " is not ready.");
                return StartOutcome.Failed;
            }
            if (!writer.HasRoom)
            {
                id = 0;
                return StartOutcome.OutputFull;
            }
            if (Calls.IsFull)
            {
                id = 0;
                return StartOutcome.CallLimit;
            }
            var output = writer.Buffer;
            var flags = request is null ? FrameFlags.None : FrameFlags.HasMessage | FrameFlags.EndStream;
            var start = output.BeginFrame(FrameType.CallStart, flags, _nextId + 1);
            output.WriteBytes(method);
            output.WriteString(host);
            output.WriteVarint(timeoutMicros);
            if (!MetadataCodec.Write(output, headers))
            {
                // The server would refuse it; fail here without sending anything.
                output.Rollback(start);
                id = 0;
                failure = new Status(StatusCode.ResourceExhausted, MetadataTooLargeException.RequestDetail);
                return StartOutcome.Failed;
            }
            if (request is not null)
            {
                try
                {
                    writer.Serializer.Serialize(output, marshaller, request, Options.MaxSendMessageSize);
                }
                catch (RpcException e)
                {
                    output.Rollback(start);
                    id = 0;
                    failure = e.Status;
                    return StartOutcome.Failed;
                }
                catch (Exception e)
                {
                    output.Rollback(start);
                    id = 0;
                    failure = new Status(StatusCode.Internal, "Failed to serialize the request: " + e.Message, e);
                    return StartOutcome.Failed;
                }
            }
            output.EndFrame(start);
            id = ++_nextId;
            call.OnStarted(this, id);
            Calls.Add(id, call);
            if (id >= Options.CallIdLimit)
            {
                // Call ids are u32 and must increase: this connection takes no new calls, closes
                // once its calls finish, and the owner dials a fresh one (as HTTP/2 clients do).
                // New calls wait for it instead of failing.
                IsDraining = true;
                _idsExhausted = true;
            }
        }
        writer.RequestFlush();
        return StartOutcome.Started;
    }

    /// <summary>Tells the server to stop a call (the caller cancelled, or its deadline passed).</summary>
    public void SendCancel(uint id, StatusCode code, string detail)
    {
        Calls.Remove(id);
        lock (Writer.SyncRoot)
        {
            if (Writer.IsClosed)
            {
                return;
            }
            var output = Writer.Buffer;
            var start = output.BeginFrame(FrameType.Cancel, FrameFlags.None, id);
            output.WriteVarint((uint)code);
            output.WriteString(detail);
            output.EndFrame(start);
        }
        Writer.RequestFlush();
        if (IsDraining && Calls.Count == 0)
        {
            _ = RetireAsync();
        }
    }

    /// <summary>Why a draining transport closes: its ids ran out, or the server sent its go-away.</summary>
    private string RetiredReason => _idsExhausted ? "call ids exhausted; a new connection takes over" : "the server is shutting down";

    /// <summary>Closes a draining transport (ids ran out, or the server's go-away) once its last call is gone (the cancel goes out first).</summary>
    private async Task RetireAsync()
    {
        await Writer.DrainAsync().WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Close(RetiredReason);
    }

    private void WriteGoAway(GoAwayCode code, string detail)
    {
        lock (Writer.SyncRoot)
        {
            if (Writer.IsClosed)
            {
                return;
            }
            var output = Writer.Buffer;
            var start = output.BeginFrame(FrameType.GoAway, FrameFlags.None, 0);
            output.WriteUInt32(0);
            output.WriteUInt32((uint)code);
            output.WriteString(detail);
            output.EndFrame(start);
        }
        Writer.RequestFlush();
    }

    private void OnKeepAliveTick()
    {
        switch (_keepAliveMonitor.Tick(Volatile.Read(ref _bytesReceived), out var now))
        {
            case KeepAliveAction.TimedOut:
                Abort("keepalive ping was not answered in time");
                break;
            case KeepAliveAction.SendPing:
                Writer.WritePing(now);
                break;
        }
    }
}
