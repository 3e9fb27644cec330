using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Shoal.Cli.Commands;
using Shoal.Cli.Hosting;
using Shoal.Cli.Tests.Infrastructure;
using Shoal.Client;
using Shoal.Client.Discovery.Embedded.Protocol;

namespace Shoal.Cli.Tests.Commands.Registry;

/// <summary><c>shoal registry list [SERVICE]</c> as a process against an embedded registry holding two leases.</summary>
public sealed class RegistryListTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly CancellationTokenSource _cancel = new(Timeout);
    private EmbeddedRegistryHost? _registry;

    public async Task InitializeAsync()
    {
        _registry = await EmbeddedRegistryHost.StartAsync(_cancel.Token);
        await using var channel = ShoalChannel.ForTarget("shoal://" + _registry.Address["registry://".Length..]);
        var client = new RegistryService.RegistryServiceClient(channel);
        await RegisterAsync(client, "greeter-1", "hello.Greeter", "eu-1", 30_000);
        await RegisterAsync(client, "greeter-2", "hello.Greeter", "", 20_000);
        await RegisterAsync(client, "orders-1", "shop.orders.Orders", "", 20_000);
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }
        _cancel.Dispose();
    }

    [Fact]
    public async Task ListWithoutService_PrintsEveryServiceWithItsInstanceCount()
    {
        var (exitCode, output, error) = await CliProcess.RunAsync(Timeout, null, "registry", "list", "--registry", _registry!.Address);

        Assert.True(exitCode == 0, error);
        Assert.Equal("hello.Greeter\t2 instances\nshop.orders.Orders\t1 instance\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task ListService_Json_GivesEachInstanceWithAddressZoneAndLeaseTtl()
    {
        var (exitCode, output, error) = await CliProcess.RunAsync(Timeout, null, "registry", "list", "hello.Greeter", "--registry", _registry!.Address, "--json");

        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        var instances = document.RootElement.GetProperty("instances").EnumerateArray().ToList();
        Assert.Equal(["greeter-1", "greeter-2"], instances.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal("shoal://127.0.0.1:9001", instances[0].GetProperty("addresses").GetProperty("native").GetString());
        Assert.Equal("eu-1", instances[0].GetProperty("zone").GetString());
        Assert.Equal(30_000, instances[0].GetProperty("lease_ttl_ms").GetInt64());
        Assert.InRange(instances[0].GetProperty("lease_remaining_ms").GetInt64(), 1, 30_000);
        Assert.Equal(20_000, instances[1].GetProperty("lease_ttl_ms").GetInt64());
    }

    [Fact]
    public async Task ListService_Text_OneLineAnInstance()
    {
        var (exitCode, output, error) = await CliProcess.RunAsync(Timeout, null, "registry", "list", "hello.Greeter", "--registry", _registry!.Address);

        Assert.True(exitCode == 0, error);
        var lines = output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("greeter-1\tshoal://127.0.0.1:9001\tzone eu-1\tlease TTL 30s", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableRegistry_ExitsOneSayingSo()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exitCode, _, error) = await CliProcess.RunAsync(Timeout, null, "registry", "list", "--registry", $"registry://127.0.0.1:{port}");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Equal($"ERROR: registry registry://127.0.0.1:{port} unreachable: connection refused", error.Trim());
    }

    private async Task RegisterAsync(RegistryService.RegistryServiceClient client, string id, string service, string zone, long ttlMs)
    {
        var instance = new Instance { InstanceId = id, Zone = zone };
        instance.Services.Add(service);
        instance.Addresses.Add("native", "shoal://127.0.0.1:9001");
        await client.RegisterAsync(new RegisterRequest { Instance = instance, TtlMs = ttlMs }, cancellationToken: _cancel.Token);
    }
}
