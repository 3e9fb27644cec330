using Grpc.Core;
using Grpc.Net.Client;
using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shoal.Cli.Commands.Call;

namespace Shoal.Cli.Tests.Commands.Call;

public sealed class NoReflectionTests
{
    [Fact]
    public async Task ServerWithoutReflection_FailsWithUnimplemented_SayingReflectionIsMissing()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        await using var app = builder.Build();
        app.MapGrpcService<GreeterService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var channel = GrpcChannel.ForAddress(address);
        var runner = new CallRunner(channel.CreateCallInvoker(), new StringWriter());

        var ex = await Assert.ThrowsAsync<RpcException>(() => runner.ListAsync(new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30))));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
        Assert.Contains("does not serve reflection", ex.Status.Detail, StringComparison.Ordinal);
        await app.StopAsync();
    }
}
