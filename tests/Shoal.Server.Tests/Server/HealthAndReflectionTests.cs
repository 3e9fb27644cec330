using Grpc.Core;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Server;

public sealed class HealthAndReflectionTests
{
    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task Health_AddedServicesAndServer_AreServing(TestTransport transport)
    {
        await using var host = await TestHost.StartAsync(only: transport);
        await using var channel = host.Channel(transport);
        var health = new Health.HealthClient(channel);

        foreach (var service in new[] { "", "hello.Greeter", "hello.GreeterStreams" })
        {
            var response = await health.CheckAsync(new HealthCheckRequest { Service = service }, deadline: TestHost.Deadline());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
        }
        var unknown = await Assert.ThrowsAsync<RpcException>(async () =>
            await health.CheckAsync(new HealthCheckRequest { Service = "no.Such" }, deadline: TestHost.Deadline()));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Health_ShutdownBegins_EveryServiceNotServing()
    {
        await using var host = await TestHost.StartAsync(only: TestTransport.Grpc);
        var health = host.App.Services.GetRequiredService<HealthServiceImpl>();

        host.App.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        foreach (var service in new[] { "", "hello.Greeter", "hello.GreeterStreams" })
        {
            // HealthServiceImpl.Check does not read the call context.
            var response = await health.Check(new HealthCheckRequest { Service = service }, null!);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, response.Status);
        }
    }

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task Reflection_GeneratedReflectionClient_ListsServicesAndFindsTheirFiles(TestTransport transport)
    {
        await using var host = await TestHost.StartAsync(only: transport);
        await using var channel = host.Channel(transport);
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(deadline: TestHost.Deadline());

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection", "hello.Greeter", "hello.GreeterStreams", "shoal.load.v1.LoadReporter"], services);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "hello.GreeterStreams" });
        Assert.True(await call.ResponseStream.MoveNext());
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(bytes => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(bytes).Name)
            .ToArray();
        Assert.Contains("hello_streams.proto", files);

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
    }
}
