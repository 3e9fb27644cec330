using System.Buffers;
using BenchmarkDotNet.Attributes;
using Grpc.Core;
using Hello;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Benchmarks.Native;

/// <summary>
/// The native frame codec on its own: encoding and decoding the one frame a unary request and
/// its response each cost, with protobuf writing into and parsing from the frame buffers.
/// </summary>
[MemoryDiagnoser]
public class NativeCodecBenchmarks
{
    private static readonly byte[] MethodName = "/hello.Greeter/SayHello"u8.ToArray();
    private readonly OutputBuffer _output = new();
    private readonly NativeSerializationContext _serializer = new();
    private readonly NativeDeserializationContext _deserializer = new();
    private readonly FrameDecoder _decoder = new(4 * 1024 * 1024 + ProtocolConstants.MetadataAllowance);
    private readonly HelloRequest _request = new() { Name = "world" };
    private readonly HelloReply _reply = new() { Message = "Hello world" };
    private Marshaller<HelloRequest> _requestMarshaller = null!;
    private Marshaller<HelloReply> _replyMarshaller = null!;
    private ReadOnlySequence<byte> _requestFrame;
    private ReadOnlySequence<byte> _replyFrame;

    [GlobalSetup]
    public void Setup()
    {
        // The same shape as the marshallers Grpc.Tools generates (IBufferMessage path both ways).
        _requestMarshaller = Marshallers.Create<HelloRequest>((m, c) => WriteMessage(m, c), c => HelloRequest.Parser.ParseFrom(c.PayloadAsReadOnlySequence()));
        _replyMarshaller = Marshallers.Create<HelloReply>((m, c) => WriteMessage(m, c), c => HelloReply.Parser.ParseFrom(c.PayloadAsReadOnlySequence()));
        EncodeRequest();
        _requestFrame = new ReadOnlySequence<byte>(_output.WrittenMemory.ToArray());
        EncodeReply();
        _replyFrame = new ReadOnlySequence<byte>(_output.WrittenMemory.ToArray());
    }

    private static void WriteMessage<T>(T message, SerializationContext context)
        where T : Google.Protobuf.IBufferMessage, Google.Protobuf.IMessage
    {
        context.SetPayloadLength(message.CalculateSize());
        Google.Protobuf.MessageExtensions.WriteTo(message, context.GetBufferWriter());
        context.Complete();
    }

    [Benchmark]
    public int EncodeRequest()
    {
        _output.Reset();
        var start = _output.BeginFrame(FrameType.CallStart, FrameFlags.HasMessage | FrameFlags.EndStream, 1);
        _output.WriteBytes(MethodName);
        _output.WriteString(null);
        _output.WriteVarint(0);
        _output.WriteByte(0);
        _serializer.Serialize(_output, _requestMarshaller, _request, int.MaxValue);
        return _output.EndFrame(start);
    }

    [Benchmark]
    public int EncodeReply()
    {
        _output.Reset();
        var start = _output.BeginFrame(FrameType.Trailers, FrameFlags.HasHeaders | FrameFlags.HasMessage, 1);
        _output.WriteByte(0);
        _output.WriteVarint(0);
        _output.WriteString(null);
        _output.WriteByte(0);
        _serializer.Serialize(_output, _replyMarshaller, _reply, int.MaxValue);
        return _output.EndFrame(start);
    }

    [Benchmark]
    public string DecodeRequest()
    {
        var buffer = _requestFrame;
        _decoder.TryDecode(ref buffer, out _, out var payload);
        var reader = new PayloadReader(payload);
        var name = reader.ReadBytes(1024, []);
        reader.ReadString(1024);
        reader.ReadVarint();
        reader.ReadVarint();
        var request = _deserializer.Deserialize(_requestMarshaller, reader.Rest);
        return name.Length > 0 ? request.Name : "";
    }

    [Benchmark]
    public string DecodeReply()
    {
        var buffer = _replyFrame;
        _decoder.TryDecode(ref buffer, out _, out var payload);
        var reader = new PayloadReader(payload);
        reader.ReadVarint();
        reader.ReadVarint();
        reader.ReadString(1024);
        reader.ReadVarint();
        return _deserializer.Deserialize(_replyMarshaller, reader.Rest).Message;
    }
}
