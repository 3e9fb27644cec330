using System.Diagnostics;
using System.Text.Json;
using Shoal.Client;
using Shoal.Client.Cluster;

namespace Shoal.Cli.Tests.Infrastructure;

/// <summary>
/// <c>shoal registry</c> and three <c>shoal serve</c> processes registered with it, each on free
/// loopback ports, as a user starts them by hand. Every process is killed on dispose.
/// </summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    private readonly List<CliProcess> _processes = [];
    private string? _tokenFile;

    private ProcessCluster()
    {
    }

    /// <summary>The registry target of the Greeter, <c>registry://127.0.0.1:port/hello.Greeter</c>.</summary>
    public string Target { get; private set; } = "";

    /// <summary>The <c>shoal serve</c> processes with their native addresses.</summary>
    public IReadOnlyList<(CliProcess Process, string Native)> Servers { get; private set; } = [];

    /// <summary>
    /// Starts the registry and <paramref name="servers"/> servers, and waits until a client of the
    /// registry sees every one of them. With <paramref name="tokenFile"/> the registry admits members
    /// only (<c>--token-file</c>) and the servers and the waiting client present it.
    /// </summary>
    public static async Task<ProcessCluster> StartAsync(int servers, string? tokenFile = null)
    {
        var cluster = new ProcessCluster { _tokenFile = tokenFile };
        string[] registryToken = tokenFile is null ? [] : ["--registry-token-file", tokenFile];
        try
        {
            var registry = cluster.Start(["registry", "--port", "0", .. tokenFile is null ? Array.Empty<string>() : ["--token-file", tokenFile]]);
            var registryAddress = (await registry.FirstLineAsync(Startup)).Trim();
            cluster.Target = registryAddress + "/hello.Greeter";
            var started = Enumerable.Range(0, servers)
                .Select(_ => cluster.Start(["serve", "--tcp-port", "0", "--grpc-port", "0", "--registry", registryAddress, .. registryToken]))
                .ToList();
            var list = new List<(CliProcess, string)>();
            foreach (var server in started)
            {
                using var ready = JsonDocument.Parse(await server.FirstLineAsync(Startup));
                list.Add((server, ready.RootElement.GetProperty("native").GetString()!));
            }
            cluster.Servers = list;
            await cluster.WaitUntilRegisteredAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits, bounded, until a fresh cluster client of <see cref="Target"/> holds every server's native address.</summary>
    private async Task WaitUntilRegisteredAsync()
    {
        await using var channel = ShoalChannel.ForTarget(Target, new ShoalChannelOptions { RegistryTokenFile = _tokenFile });
        var cluster = (ClusterCallInvoker)channel.ClusterInvoker!;
        var expected = Servers.Select(s => new Uri(s.Native).Authority).ToHashSet(StringComparer.Ordinal);
        var deadline = Stopwatch.GetTimestamp() + (long)(Startup.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (expected.IsSubsetOf(cluster.Snapshot.All.Select(e => e.Connection.Address.Authority)))
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"The registry did not list all {expected.Count} servers within {Startup.TotalSeconds:0} s.");
    }

    private CliProcess Start(params string[] args)
    {
        var process = CliProcess.Start(args);
        _processes.Add(process);
        return process;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
