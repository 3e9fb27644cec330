using Google.Protobuf;
using Grpc.Core;

namespace Shoal.Transport.Native.Tests.Infrastructure;

public static class MarshallerExtensions
{
    public static Marshaller<T> ToMarshaller<T>(this MessageParser<T> parser)
        where T : IMessage<T>
        => Marshallers.Create(m => m.ToByteArray(), parser.ParseFrom);
}
