using System.Buffers;
using Grpc.Core;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shoal.Client.Native;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;
using Shoal.Connections;
using Shoal.Fuzzing.Infrastructure;
using Shoal.Server.Native;

namespace Shoal.Fuzzing;

/// <summary>
/// The harness's only contact with the native transport's internals (and its entry points), in
/// one file so that it can be re-targeted when those internals change. The server target goes
/// through the public <see cref="NativeConnectionHandler"/> exactly as Kestrel does; the client
/// target through <see cref="NativeClientOptions"/>' internal stream seam; the payload target
/// straight at <c>PayloadReader</c> and <c>MetadataCodec</c>.
/// </summary>
internal static class NativeTransportAdapter
{
    /// <summary>Whether the transport itself documents <paramref name="error"/> as its answer to bad input.</summary>
    public static bool IsProtocolError(Exception error) => error is ProtocolException;

    /// <summary>A server for the services bound to <paramref name="services"/>, as DI builds it for Kestrel.</summary>
    public static NativeConnectionHandler CreateServer(NativeServiceTable services, NativeServerOptions options)
        => new(services, Options.Create(options), NullLoggerFactory.Instance);

    /// <summary>Serves one connection until it closes.</summary>
    public static Task ServeAsync(NativeConnectionHandler server, ConnectionContext connection) => server.OnConnectedAsync(connection);

    /// <summary>A client connection whose one and only transport runs over <paramref name="stream"/>.</summary>
    public static IConnection CreateClient(Stream stream, NativeClientOptions options)
    {
        var dialed = 0;
        options.StreamDialer = (_, _) => Interlocked.Exchange(ref dialed, 1) == 0
            ? ValueTask.FromResult(stream)
            : ValueTask.FromException<Stream>(new IOException("The scripted server takes one connection."));
        return new NativeConnectionFactory(options).Create(new Uri("shoal://fuzz.invalid:1"));
    }

    /// <summary>
    /// Reads <paramref name="payload"/> the way frame handlers do: a metadata block (which must survive
    /// being written and read again unchanged), then fields chosen by the bytes themselves.
    /// </summary>
    public static void ReadPayload(in ReadOnlySequence<byte> payload)
    {
        var reader = new PayloadReader(payload);
        CheckRoundTrip(MetadataCodec.Read(ref reader));
        var scratch = new byte[16];
        while (reader.Remaining > 0)
        {
            switch (reader.ReadByte() % 8)
            {
                case 0: reader.ReadUInt16(); break;
                case 1: reader.ReadUInt32(); break;
                case 2: reader.ReadUInt64(); break;
                case 3: reader.ReadVarint(); break;
                case 4: reader.ReadString(ProtocolConstants.MaxMethodLength); break;
                case 5: ReadBytes(ref reader, scratch); break;
                case 6: reader.ReadByteArray(ProtocolConstants.MaxMetadataSize); break;
                default: CheckRoundTrip(MetadataCodec.Read(ref reader)); break;
            }
        }
    }

    /// <summary>Encodes <paramref name="metadata"/> as a frame's metadata block (for seeds).</summary>
    public static byte[] EncodeMetadata(Metadata? metadata)
    {
        var output = new OutputBuffer();
        try
        {
            MetadataCodec.Write(output, metadata);
            return output.WrittenMemory.ToArray();
        }
        finally
        {
            output.Release();
        }
    }

    private static void ReadBytes(ref PayloadReader reader, byte[] scratch)
    {
        var before = reader.Remaining;
        var bytes = reader.ReadBytes(ProtocolConstants.MaxMethodLength, scratch);
        if (before - reader.Remaining < bytes.Length)
        {
            throw new FuzzFindingException($"ReadBytes returned {bytes.Length} bytes but consumed {before - reader.Remaining}");
        }
    }

    private static void CheckRoundTrip(Metadata? metadata)
    {
        if (metadata is null)
        {
            return;
        }
        var encoded = EncodeMetadata(metadata);
        var reader = new PayloadReader(new ReadOnlySequence<byte>(encoded));
        var again = MetadataCodec.Read(ref reader) ?? [];
        if (reader.Remaining != 0 || again.Count != metadata.Count)
        {
            throw new FuzzFindingException($"metadata of {metadata.Count} entries read back as {again.Count} ({reader.Remaining} bytes left)");
        }
        for (var i = 0; i < metadata.Count; i++)
        {
            var (a, b) = (metadata[i], again[i]);
            var same = a.IsBinary ? b.IsBinary && a.ValueBytes.AsSpan().SequenceEqual(b.ValueBytes) : !b.IsBinary && a.Value == b.Value;
            if (a.Key != b.Key || !same)
            {
                throw new FuzzFindingException($"metadata entry {i} '{a.Key}' did not survive a round trip (read back as '{b.Key}')");
            }
        }
    }
}
