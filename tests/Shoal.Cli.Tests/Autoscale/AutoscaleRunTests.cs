using System.Text.Json;
using Grpc.Core;
using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Shoal.Cli.Hosting;
using Shoal.Cli.Tests.Infrastructure;
using Shoal.Client;
using Shoal.Server;

namespace Shoal.Cli.Tests.Autoscale;

public sealed class AutoscaleRunTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_DryRunAgainstRegistryWithOneHostUnderLoad_PrintsDecisionsAndExitsZero()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await using var registry = await EmbeddedRegistryHost.StartAsync(cancel.Token);
        var greeter = await StartGreeterAsync(registry.Address);
        try
        {
            using var stopLoad = new CancellationTokenSource(Timeout);
            var load = RunLoadAsync(greeter, stopLoad.Token);

            var (exitCode, output, error) = await CliRun.RunAsync(
                "autoscale", "run", "--registry", registry.Address, "--service", "hello.Greeter",
                "--actuator", "dry-run", "--duration", "5s", "--interval", "1s", "--capacity", "5", "--json");
            await stopLoad.CancelAsync();
            await load;

            Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.NotEmpty(lines);
            var decisions = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
            Assert.All(decisions, d =>
            {
                Assert.Equal("dry-run", d.GetProperty("actuator").GetString());
                Assert.False(string.IsNullOrEmpty(d.GetProperty("reason").GetString()));
                Assert.Equal(5, d.GetProperty("capacity_rps").GetDouble());
            });
            Assert.Contains(decisions, d => d.GetProperty("instances").GetInt32() == 1 && d.GetProperty("load_rps").GetDouble() > 0);
            Assert.Contains("duration reached", error, StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(greeter);
        }
    }

    [Fact]
    public async Task Run_ConfigFileAndFlags_FlagsOverrideTheFileAndDecisionsPrintTheirReason()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await using var registry = await EmbeddedRegistryHost.StartAsync(cancel.Token);
        var config = Path.Combine(Path.GetTempPath(), $"shoal-autoscale-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, $$"""
            { "Shoal": { "Autoscaler": { "Registry": "{{registry.Address}}", "Service": "hello.Greeter", "MinReplicas": 2, "MaxReplicas": 3, "Interval": "00:00:05" } } }
            """, cancel.Token);
        try
        {
            var (exitCode, output, error) = await CliRun.RunAsync("autoscale", "run", "--config", config, "--interval", "500ms", "--duration", "2s", "--capacity", "10");

            Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            // A 500 ms interval (the flag), not 5 s (the file): several decisions in 2 s.
            Assert.True(lines.Length >= 2, output);
            // MinReplicas 2 from the file: the dry-run's one replica goes to two, with the reason printed.
            Assert.Contains(lines, l => l.Contains("1 -> 2 replicas", StringComparison.Ordinal));
            Assert.All(lines, l => Assert.Matches(@"^\d\d:\d\d:\d\d [A-Za-z]+ \d+ -> \d+ replicas: load ", l));
            Assert.Contains("registry://", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Theory]
    [InlineData("--registry", "registry://127.0.0.1:7000", "--service", "hello.Greeter", "--min", "abc")]
    [InlineData("--registry", "registry://127.0.0.1:7000", "--service", "hello.Greeter", "--actuator", "bogus")]
    [InlineData("--registry", "registry://127.0.0.1:7000", "--service", "hello.Greeter", "--actuator", "local")]
    [InlineData("--registry", "registry://127.0.0.1:7000", "--service", "hello.Greeter", "--actuator", "kubernetes")]
    [InlineData("--registry", "registry://127.0.0.1:7000", "--service", "hello.Greeter", "--capacity", "-3")]
    [InlineData("--registry", "registry://127.0.0.1:7000", "--service", "hello.Greeter", "--duration", "soon")]
    [InlineData("--registry", "registry://127.0.0.1:7000", "--service", "hello.Greeter", "--min", "4", "--max", "2")]
    [InlineData("--registry", "registry://127.0.0.1:7000", "--service", "hello.Greeter", "--bogus")]
    [InlineData("--registry", "shoal://127.0.0.1:7000")]
    [InlineData("--registry", "registry://127.0.0.1:7000")]
    [InlineData("--service", "hello.Greeter")]
    [InlineData("--config", "/no/such/appsettings.json")]
    public async Task Run_BadInput_ExitsTwoWithOneLineOnStderr(params string[] flags)
    {
        var (exitCode, output, error) = await CliRun.RunAsync(["autoscale", "run", .. flags]);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        // One line says what is wrong; a flag the parser does not know adds the usage hint docs/cli.md shows.
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l != "Run 'shoal autoscale run --help' for usage.");
        var line = Assert.Single(lines);
        Assert.StartsWith("shoal: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SigTerm_StopsCleanlyWithExitCodeZero()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await using var registry = await EmbeddedRegistryHost.StartAsync(cancel.Token);
        using var cli = CliProcess.Start("autoscale", "run", "--registry", registry.Address, "--service", "hello.Greeter", "--interval", "500ms", "--json");
        var first = await cli.FirstLineAsync(Timeout);
        Assert.Equal("dry-run", JsonDocument.Parse(first).RootElement.GetProperty("actuator").GetString());

        cli.Terminate();

        Assert.Equal(0, await cli.WaitForExitAsync(Timeout));
        Assert.Contains("stopped", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RegistryUnreachable_KeepsDecidingAndWarnsOnStderr()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exitCode, output, error) = await CliProcess.RunAsync(Timeout, null,
            "autoscale", "run", "--registry", $"registry://127.0.0.1:{port}", "--service", "hello.Greeter", "--interval", "500ms", "--duration", "3s");

        Assert.True(exitCode == 0, error);
        // No instance reports: every tick holds the count and says why.
        Assert.Contains("NoMetrics 1 -> 1 replicas", output, StringComparison.Ordinal);
        Assert.Contains("serving the last known set", error, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartGreeterAsync(string registry)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.AddShoalServer(o =>
        {
            o.Host = "127.0.0.1";
            o.TcpPort = 0;
            o.GrpcPort = 0;
            o.Registry = registry;
            o.DeregisterDelay = TimeSpan.Zero;
            o.ShutdownGracePeriod = TimeSpan.FromSeconds(2);
            o.Load.Window = TimeSpan.FromMilliseconds(250);
        }).AddService<GreeterService>();
        var app = builder.Build();
        app.MapShoalServices();
        try
        {
            await app.StartAsync().WaitAsync(Timeout);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    private static async Task StopAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync().WaitAsync(Timeout);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Calls the Greeter back to back until stopped (one call in flight; each bounded by a deadline).</summary>
    private static Task RunLoadAsync(WebApplication greeter, CancellationToken stop) => Task.Run(async () =>
    {
        await using var channel = ShoalChannel.ForTarget(greeter.GetShoalAddresses().NativeTarget!);
        var client = new Greeter.GreeterClient(channel);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await client.SayHelloAsync(new HelloRequest { Name = "load" }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: stop);
            }
            catch (RpcException) when (stop.IsCancellationRequested)
            {
            }
        }
    });
}
