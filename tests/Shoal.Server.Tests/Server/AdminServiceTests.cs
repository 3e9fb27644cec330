using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shoal.Client.Admin.Protocol;
using Shoal.Client.Discovery.Embedded;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Server.Registry;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Server;

/// <summary>
/// <c>shoal.admin.v1.Admin/Drain</c> on a host registered with a registry that has a token: refused
/// without the token or with a wrong one, on both transports; with it the host deregisters and stops.
/// A host without a registry token refuses every admin call.
/// </summary>
public sealed class AdminServiceTests : IDisposable
{
    private const string Token = "cluster-token-admin-5c2a";
    private readonly string _tokenFile = Path.Combine(Path.GetTempPath(), $"shoal-token-{Guid.NewGuid():N}");

    public AdminServiceTests() => File.WriteAllText(_tokenFile, Token + "\n");

    public void Dispose() => File.Delete(_tokenFile);

    [Theory]
    [InlineData(TestTransport.Native, null)]
    [InlineData(TestTransport.Grpc, null)]
    [InlineData(TestTransport.Native, "Bearer not-the-token")]
    [InlineData(TestTransport.Grpc, "Basic " + Token)]
    public async Task Drain_WithoutTheRegistryToken_UnauthenticatedAndTheHostKeepsServing(TestTransport transport, string? authorization)
    {
        await using var registry = await StartRegistryAsync();
        await using var host = await StartMemberAsync(registry);
        using var channel = host.Channel(transport);
        var headers = authorization is null ? null : new Metadata { { "authorization", authorization } };

        var error = await Assert.ThrowsAsync<RpcException>(() => new Admin.AdminClient(channel).DrainAsync(new DrainRequest(), headers, TestHost.Deadline()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("registry token", error.Status.Detail, StringComparison.Ordinal);
        Assert.False(host.App.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.Single((await ListAsync(registry)).Instances);
    }

    [Fact]
    public async Task Drain_WithTheRegistryToken_DeregistersAndStopsTheHost()
    {
        await using var registry = await StartRegistryAsync();
        await using var host = await StartMemberAsync(registry);
        var shutdown = host.App.WaitForShutdownAsync();
        using var channel = host.Channel(TestTransport.Native);

        var reply = await new Admin.AdminClient(channel).DrainAsync(new DrainRequest { Reason = "test" }, new Metadata { { "authorization", "Bearer " + Token } }, TestHost.Deadline());
        // As in `shoal serve`: the stop the drain asked for runs the host's stop (deregister, then drain) to its end.
        await shutdown.WaitAsync(TestHost.Timeout);

        Assert.Equal("admin-member-1", reply.InstanceId);
        Assert.Empty((await ListAsync(registry)).Instances);
    }

    [Fact]
    public async Task Drain_HostWithoutARegistryToken_PermissionDeniedEvenWithAToken()
    {
        await using var host = await TestHost.StartAsync(only: TestTransport.Native);
        using var channel = host.Channel(TestTransport.Native);

        var error = await Assert.ThrowsAsync<RpcException>(() => new Admin.AdminClient(channel).DrainAsync(new DrainRequest(), new Metadata { { "authorization", "Bearer " + Token } }, TestHost.Deadline()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("no registry token", error.Status.Detail, StringComparison.Ordinal);
        Assert.False(host.App.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    private Task<TestHost> StartRegistryAsync() => TestHost.StartAsync(
        only: TestTransport.Native,
        services: s => s.AddEmbeddedRegistry(),
        builder: b => b.Services.Configure<EmbeddedRegistryOptions>(o => o.TokenFile = _tokenFile));

    private Task<TestHost> StartMemberAsync(TestHost registry) => TestHost.StartAsync(configure: o =>
    {
        o.Registry = $"registry://127.0.0.1:{registry.Addresses.Native!.Port}";
        o.RegistryTokenFile = _tokenFile;
        o.InstanceId = "admin-member-1";
        o.DeregisterDelay = TimeSpan.Zero;
        o.ShutdownGracePeriod = TimeSpan.FromSeconds(2);
    });

    private static async Task<InstanceSetMessage> ListAsync(TestHost registry)
    {
        using var channel = registry.Channel(TestTransport.Native);
        return await new RegistryService.RegistryServiceClient(channel).ListAsync(
            new ListRequest { Service = "hello.Greeter" }, new Metadata { { "authorization", "Bearer " + Token } }, TestHost.Deadline());
    }
}
