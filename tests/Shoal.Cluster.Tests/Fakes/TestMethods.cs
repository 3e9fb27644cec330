using System.Text;
using Grpc.Core;

namespace Shoal.Cluster.Tests.Fakes;

/// <summary>String methods for calls through the cluster.</summary>
public static class TestMethods
{
    private static readonly Marshaller<string> Utf8 = Marshallers.Create(s => Encoding.UTF8.GetBytes(s), b => Encoding.UTF8.GetString(b));

    public static Method<string, string> Unary { get; } = new(MethodType.Unary, "hello.Greeter", "SayHello", Utf8, Utf8);

    public static Method<string, string> Other { get; } = new(MethodType.Unary, "hello.Greeter", "Write", Utf8, Utf8);

    public static Method<string, string> ServerStream { get; } = new(MethodType.ServerStreaming, "hello.Greeter", "Stream", Utf8, Utf8);
}
