using Grpc.Core;
using Hello;
using Shoal.Server.Internal;

namespace Shoal.Server.Tests.Internal;

public sealed class ServiceBindingTests
{
    [Fact]
    public void Create_GeneratedService_FindsDescriptorAndBindsEveryMethodThroughBindService()
    {
        var registration = ServiceBinding.Create<GreeterStreamsService>();
        var binder = new RecordingBinder();

        registration.Bind(binder, new GreeterStreamsService());

        Assert.Equal("hello.GreeterStreams", registration.ServiceName);
        Assert.Equal(typeof(GreeterStreamsService), registration.ImplementationType);
        Assert.Equal(
            ["/hello.GreeterStreams/SayHelloMany", "/hello.GreeterStreams/SayHelloToAll", "/hello.GreeterStreams/Chat"],
            binder.Methods);
    }

    [Fact]
    public void Create_ServiceDerivedFromAGeneratedServiceSubclass_FindsTheGeneratedBase()
    {
        var registration = ServiceBinding.Create<Infrastructure.CountingGreeter>();
        var binder = new RecordingBinder();

        registration.Bind(binder, new Infrastructure.CountingGreeter());

        Assert.Equal("hello.Greeter", registration.ServiceName);
        Assert.Equal(["/hello.Greeter/SayHello"], binder.Methods);
    }

    [Fact]
    public void Create_PlainClass_ThrowsArgumentExceptionNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => ServiceBinding.Create<ServiceBindingTests>());

        Assert.Contains(typeof(ServiceBindingTests).FullName!, error.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingBinder : ServiceBinderBase
    {
        public List<string> Methods { get; } = [];

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
            => Methods.Add(method.FullName);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
            => Methods.Add(method.FullName);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
            => Methods.Add(method.FullName);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
            => Methods.Add(method.FullName);
    }
}
